#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""policy-set / policy-get / policy-del over raw generic netlink.

Bad requests (unknown cgroup, out-of-range values, unknown and output-only
attributes, a missing cgroup id) fail with an extack message naming the
attribute and leave the policy as it was; set merges, get and dump return
what was set; del removes; the monitor group announces set and del.
argv[1]: a cgroup v2 directory to put policies on. Prints KTAP.
"""
import errno
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genl  # noqa: E402
import uapi_consts  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
C = uapi_consts.parse(os.path.join(os.path.dirname(HERE),
                                   "uapi/linux/offloadmod.h"))
VER = C["OFFLOADMOD_FAMILY_VERSION"]
SET = C["OFFLOADMOD_CMD_POLICY_SET"]
GET = C["OFFLOADMOD_CMD_POLICY_GET"]
DEL = C["OFFLOADMOD_CMD_POLICY_DEL"]
NTF = C["OFFLOADMOD_CMD_POLICY_NTF"]
DEL_NTF = C["OFFLOADMOD_CMD_POLICY_DEL_NTF"]
A = {k[len("OFFLOADMOD_A_POLICY_"):]: v for k, v in C.items()
     if k.startswith("OFFLOADMOD_A_POLICY_")}
NLM_F_DUMP = 0x300
HDR = 16 + 4
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

n = 0
failed = 0


def result(ok, desc, diag=None):
    global n, failed
    n += 1
    if not ok:
        failed += 1
        if diag is not None:
            print("# " + str(diag))
    print("%s %d %s" % ("ok" if ok else "not ok", n, desc))


def u64(atype, v):
    return genl.nla(atype, struct.pack("Q", v))


def u32(atype, v):
    return genl.nla(atype, struct.pack("I", v))


def u8(atype, v):
    return genl.nla(atype, struct.pack("B", v))


def expect_error(nl, fam, desc, want_errno, payload, want_text, attr_at=None):
    """attr_at: byte offset of the offending attribute in payload."""
    try:
        nl.raw_request(fam, SET, VER, payload)
    except genl.NetlinkError as e:
        ok = e.errno == want_errno and bool(e.extack) and want_text in e.extack
        if attr_at is not None:
            ok = ok and e.offset == HDR + attr_at
        result(ok, desc, e)
        print("#   extack: %s (offset %s)" % (e.extack, e.offset))
        return
    result(False, desc, "request was accepted")


def get(nl, fam, cgid):
    (_, attrs), = nl.request(fam, GET, VER, u64(A["CGROUP_ID"], cgid))
    return attrs


def values(attrs):
    """The settable part of a policy, comparable between gets."""
    out = {}
    for k in ("MODE", "GSO_MAX_SIZE", "GSO_MAX_SEGS", "BUSY_POLL"):
        if A[k] in attrs:
            out[k] = genl.as_u32(attrs[A[k]][0])
    out["GSO"] = genl.as_u8(attrs[A["GSO"]][0])
    return out


def monitor_socket(nl):
    """A netlink socket subscribed to the family's monitor group."""
    (_, attrs), = nl.request(genl.GENL_ID_CTRL, genl.CTRL_CMD_GETFAMILY, 1,
                             genl.nla_str(genl.CTRL_ATTR_FAMILY_NAME,
                                          "offloadmod"))
    grp = None
    for nest in attrs.get(CTRL_ATTR_MCAST_GROUPS, []):
        for g in genl.parse_attrs(nest).values():
            ga = genl.parse_attrs(g[0])
            if genl.as_str(ga[CTRL_ATTR_MCAST_GRP_NAME][0]) == "monitor":
                grp = genl.as_u32(ga[CTRL_ATTR_MCAST_GRP_ID][0])
    if grp is None:
        return None
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, genl.NETLINK_GENERIC)
    s.bind((0, 0))
    s.setsockopt(genl.SOL_NETLINK, 1, grp)  # NETLINK_ADD_MEMBERSHIP
    s.settimeout(5)
    return s


def events(sock, count):
    """(cmd, cgroup id) of the next @count notifications."""
    out = []
    while len(out) < count:
        data = sock.recv(1 << 16)
        off = 0
        while off + 16 <= len(data):
            mlen = struct.unpack_from("I", data, off)[0]
            part = data[off + 16:off + mlen]
            off += genl.align4(mlen)
            attrs = genl.parse_attrs(part[4:])
            out.append((part[0], genl.as_u64(attrs[A["CGROUP_ID"]][0])))
    return out


def main():
    cgid = os.stat(sys.argv[1]).st_ino
    print("TAP version 13")
    nl = genl.Genl()
    fam, _, ops = nl.resolve("offloadmod")
    mon = monitor_socket(nl)
    result(mon is not None, "the family has a monitor multicast group")

    ident = u64(A["CGROUP_ID"], cgid)
    nl.request(fam, SET, VER, ident + u8(A["GSO"], 0) +
               u32(A["GSO_MAX_SEGS"], 8))
    before = values(get(nl, fam, cgid))
    result(before == {"MODE": 0, "GSO": 0, "GSO_MAX_SEGS": 8},
           "set, then get returns what was set", before)
    nl.request(fam, SET, VER, ident + u32(A["BUSY_POLL"], 25))
    merged = values(get(nl, fam, cgid))
    result(merged == dict(before, BUSY_POLL=25),
           "a second set merges into the policy", merged)
    before = merged

    # (description, errno, payload after the cgroup id, text, attr offset)
    off = len(ident)
    bad = [
        ("gso-max-size below 2048", errno.ERANGE,
         u32(A["GSO_MAX_SIZE"], 100), "gso-max-size", off),
        ("gso-max-size above 524288", errno.ERANGE,
         u32(A["GSO_MAX_SIZE"], 600000), "", off),
        ("gso-max-segs above 65535", errno.ERANGE,
         u32(A["GSO_MAX_SEGS"], 70000), "", off),
        ("busy-poll above 1000000", errno.ERANGE,
         u32(A["BUSY_POLL"], 2000000), "", off),
        ("mode 2", errno.ERANGE, u32(A["MODE"], 2), "", off),
        ("gso 2", errno.ERANGE, u8(A["GSO"], 2), "", off),
        ("gso-max-size as a u8", errno.ERANGE, u8(A["GSO_MAX_SIZE"], 1), "",
         off),
        ("unknown attribute type", errno.EINVAL, u32(A["MAX"] + 5, 1), "",
         off),
        ("output-only sockets-adjusted", errno.EINVAL,
         genl.nla(A["SOCKETS_ADJUSTED"], struct.pack("Q", 1)),
         "sockets-adjusted", off),
    ]
    for desc, err, extra, text, at in bad:
        # 6.1 reports some range violations as ERANGE, 6.12 as EINVAL.
        want = err
        try:
            nl.raw_request(fam, SET, VER, ident + extra)
            result(False, "rejected: " + desc, "request was accepted")
            continue
        except genl.NetlinkError as e:
            if e.errno == errno.EINVAL and err == errno.ERANGE:
                want = errno.EINVAL
            ok = e.errno == want and bool(e.extack) and text in e.extack
            ok = ok and e.offset == HDR + at
            result(ok, "rejected with extack at the attribute: " + desc, e)
            print("#   extack: %s (offset %s)" % (e.extack, e.offset))
    after = values(get(nl, fam, cgid))
    result(after == before, "no bad request changed the policy", after)

    expect_error(nl, fam, "missing cgroup-id", errno.EINVAL,
                 u8(A["GSO"], 0), "cgroup-id")
    expect_error(nl, fam, "unknown cgroup", errno.ENOENT,
                 u64(A["CGROUP_ID"], 0xfffffffff0) + u8(A["GSO"], 0),
                 "no such cgroup", 0)

    dump = nl.request(fam, GET, VER, b"", NLM_F_DUMP)
    ids = [genl.as_u64(a[A["CGROUP_ID"]][0]) for _, a in dump]
    result(cgid in ids, "dump lists the policy", ids)

    nl.request(fam, DEL, VER, ident)
    try:
        get(nl, fam, cgid)
        result(False, "get after del fails", "policy still there")
    except genl.NetlinkError as e:
        result(e.errno == errno.ENOENT, "get after del: ENOENT", e)
    try:
        nl.request(fam, DEL, VER, ident)
        result(False, "second del fails", "accepted")
    except genl.NetlinkError as e:
        result(e.errno == errno.ENOENT and "cgroup-id" in (e.extack or ""),
               "second del: ENOENT naming cgroup-id", e)

    if mon is not None:
        try:
            got = events(mon, 3)
        except socket.timeout:
            got = []
        result(got == [(NTF, cgid), (NTF, cgid), (DEL_NTF, cgid)],
               "monitor: set, set, del announced in order", got)
    print("# passed %d, failed %d" % (n - failed, failed))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
