#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""get-status over raw generic netlink, and the rejection of bad requests.

Expected values come from outside the module: wire numbers from the uapi
header, the kernel release from uname, hook availability from tracefs, the
module version from the VERSION file. Prints KTAP; needs the module loaded.
Usage: netlink_raw.py [--unprivileged-expect ok|eperm]
"""
import errno
import glob
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genl  # noqa: E402
import uapi_consts  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
C = uapi_consts.parse(os.environ.get("UAPI_HEADER",
                                     os.path.join(REPO, "uapi/linux/offloadmod.h")))

n = 0
failed = 0


def result(ok, desc, diag=None):
    global n, failed
    n += 1
    if not ok:
        failed += 1
        if diag:
            print("# " + str(diag))
    print("%s %d %s" % ("ok" if ok else "not ok", n, desc))


def expect_error(desc, want_errno, fn, want_offset=None, want_msg=True):
    try:
        fn()
    except genl.NetlinkError as e:
        ok = e.errno == want_errno
        if want_msg:
            ok = ok and bool(e.extack)
        if want_offset is not None:
            ok = ok and e.offset == want_offset
        result(ok, desc, e)
        if e.extack:
            print("#   extack: %s (offset %s)" % (e.extack, e.offset))
        return
    result(False, desc, "request was accepted")


def get_status(nl, fam):
    (_, attrs), = nl.request(fam, C["OFFLOADMOD_CMD_GET_STATUS"],
                             C["OFFLOADMOD_FAMILY_VERSION"])
    return attrs


def tracepoint_exists(name):
    return bool(glob.glob("/sys/kernel/tracing/events/*/%s" % name) or
                glob.glob("/sys/kernel/debug/tracing/events/*/%s" % name))


def main():
    unpriv = "ok"
    if len(sys.argv) == 3 and sys.argv[1] == "--unprivileged-expect":
        unpriv = sys.argv[2]
    print("TAP version 13")
    nl = genl.Genl()
    try:
        fam, version, ops = nl.resolve(C_NAME)
    except genl.NetlinkError as e:
        print("1..0 # SKIP family %s not registered: %s" % (C_NAME, e))
        return 4
    result(version == C["OFFLOADMOD_FAMILY_VERSION"],
           "family version matches the uapi header", version)
    result(C["OFFLOADMOD_CMD_GET_STATUS"] in ops, "get-status is registered", ops)
    # Every request command of the header is an operation; notifications
    # (*_NTF) are only ever sent, never accepted.
    cmds = {k: v for k, v in C.items() if k.startswith("OFFLOADMOD_CMD_") and
            not k.endswith(("_UNSPEC", "_MAX"))}
    requests = {k for k in cmds if not k.endswith("_NTF")}
    result(all(cmds[k] in ops for k in requests),
           "every request command of the header is registered",
           sorted(k for k in requests if cmds[k] not in ops))
    ntfs = {k for k in cmds if k.endswith("_NTF")}
    result(not any(cmds[k] in ops for k in ntfs),
           "no notification command is registered as an operation",
           sorted(k for k in ntfs if cmds[k] in ops))
    groups = nl.mcast_groups(C_NAME)
    result(MCGRP in groups, "the family has the multicast group %s" % MCGRP,
           groups)

    attrs = get_status(nl, fam)
    want_ver = open(os.path.join(REPO, "VERSION")).read().strip()
    got = genl.as_str(attrs[C["OFFLOADMOD_A_STATUS_MODULE_VERSION"]][0])
    result(got == want_ver, "module-version is the VERSION file's", got)
    got = genl.as_u32(attrs[C["OFFLOADMOD_A_STATUS_UAPI_VERSION"]][0])
    result(got == C["OFFLOADMOD_FAMILY_VERSION"], "uapi-version matches header", got)
    got = genl.as_str(attrs[C["OFFLOADMOD_A_STATUS_KERNEL_RELEASE"]][0])
    result(got == os.uname().release, "kernel-release is uname -r", got)
    want = int(open("/sys/module/offloadmod/parameters/max_cgroups").read())
    got = genl.as_u32(attrs[C["OFFLOADMOD_A_STATUS_MAX_CGROUPS"]][0])
    result(got == want, "max-cgroups is the module parameter", got)

    hooks = {}
    for nest in attrs.get(C["OFFLOADMOD_A_STATUS_HOOK"], []):
        h = genl.parse_attrs(nest)
        hooks[genl.as_str(h[C["OFFLOADMOD_A_HOOK_NAME"]][0])] = h
    result(len(hooks) > 0, "hooks are reported", sorted(hooks))
    # netfilter_* hooks are netfilter hooks, not tracepoints.
    wrong = [name for name, h in hooks.items()
             if not name.startswith("netfilter_") and
             genl.as_u8(h[C["OFFLOADMOD_A_HOOK_AVAILABLE"]][0]) !=
             tracepoint_exists(name)]
    result(not wrong, "tracepoint hook availability matches tracefs", wrong)
    attached = [name for name, h in hooks.items()
                if genl.as_u8(h[C["OFFLOADMOD_A_HOOK_ATTACHED"]][0])]
    params = "/sys/module/offloadmod/parameters/attach_hooks"
    want_attach = open(params).read().strip() in ("Y", "1")
    avail = [name for name, h in hooks.items()
             if genl.as_u8(h[C["OFFLOADMOD_A_HOOK_AVAILABLE"]][0])]
    result(sorted(attached) == (sorted(avail) if want_attach else []),
           "every available hook is attached (attach_hooks=%s)" % want_attach,
           attached)
    # sched_switch fires on every context switch: a second status read
    # after sleeping must see it grow if it is attached.
    if "sched_switch" in attached:
        before = genl.as_u64(hooks["sched_switch"][C["OFFLOADMOD_A_HOOK_INVOCATIONS"]][0])
        os.system("sleep 0.2")
        again = get_status(nl, fam)
        after = None
        for nest in again[C["OFFLOADMOD_A_STATUS_HOOK"]]:
            h = genl.parse_attrs(nest)
            if genl.as_str(h[C["OFFLOADMOD_A_HOOK_NAME"]][0]) == "sched_switch":
                after = genl.as_u64(h[C["OFFLOADMOD_A_HOOK_INVOCATIONS"]][0])
        result(after is not None and after > before,
               "sched_switch invocations grow", (before, after))

    cmd = C["OFFLOADMOD_CMD_GET_STATUS"]
    ver = C["OFFLOADMOD_FAMILY_VERSION"]
    hdr = 16 + 4  # nlmsghdr + genlmsghdr: offset of the first attribute
    unknown = C["OFFLOADMOD_A_STATUS_MAX"] + 1
    expect_error("unknown attribute type rejected with extack naming it",
                 errno.EINVAL,
                 lambda: nl.raw_request(fam, cmd, ver, genl.nla(unknown, b"\0" * 4)),
                 want_offset=hdr)
    for name in sorted(k for k in C if k.startswith("OFFLOADMOD_A_STATUS_") and
                       not k.endswith(("_MAX", "_UNSPEC"))):
        expect_error("request attribute %s rejected" % name, errno.EINVAL,
                     lambda: nl.raw_request(fam, cmd, ver,
                                            genl.nla(C[name], b"x\0\0\0")),
                     want_offset=hdr)
    bad_len = struct.pack("HH", 64, C["OFFLOADMOD_A_STATUS_MODULE_VERSION"]) + b"abcd"
    expect_error("attribute longer than the message rejected", errno.EINVAL,
                 lambda: nl.raw_request(fam, cmd, ver, bad_len), want_msg=False)
    expect_error("message without a genl header rejected", errno.EINVAL,
                 lambda: nl.raw_request(fam, cmd, ver, b"", genl_hdr=False),
                 want_msg=False)
    expect_error("unknown command rejected", errno.EOPNOTSUPP,
                 lambda: nl.raw_request(fam, C["OFFLOADMOD_CMD_MAX"] + 1, ver, b""),
                 want_msg=False)
    for name in sorted(k for k in C if k.startswith("OFFLOADMOD_CMD_") and
                       k.endswith("_NTF")):
        expect_error("notification %s refused as a request" % name,
                     errno.EOPNOTSUPP,
                     lambda: nl.raw_request(fam, C[name], ver, b""),
                     want_msg=False)
    attrs = get_status(nl, fam)
    result(C["OFFLOADMOD_A_STATUS_MODULE_VERSION"] in attrs,
           "module still answers after bad requests")

    # Reads are open to unprivileged users unless restrict_reads is set.
    pid = os.fork()
    if pid == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        try:
            s = genl.Genl()
            s.request(fam, cmd, ver)
            os._exit(0)
        except genl.NetlinkError as e:
            os._exit(10 if e.errno == errno.EPERM and e.extack else 11)
        except Exception:
            os._exit(12)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if unpriv == "ok":
        result(code == 0, "unprivileged user can read status", code)
    else:
        result(code == 10, "unprivileged read refused with EPERM and extack", code)

    print("1..%d" % n)
    return 1 if failed else 0


C_NAME = "offloadmod"
# The monitor group's name, as the header defines it.
MCGRP = re.search(r'#define\s+OFFLOADMOD_MCGRP_MONITOR\s+"([^"]+)"',
                  open(os.environ.get("UAPI_HEADER",
                                      os.path.join(REPO, "uapi/linux/offloadmod.h")),
                       encoding="utf-8").read()).group(1)

if __name__ == "__main__":
    sys.exit(main())
