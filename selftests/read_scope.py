#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What a reader sees over raw generic netlink (read_scope.sh runs it).

  read_scope.py tenant A SUB B
      in a tenant whose cgroup namespace is rooted at cgroup A (ids): A and
      its child SUB are there, named "/" and "/sub", B is not, in every
      stats and policy read (do and dump); dumps abandoned half-read or
      before the first read, their sockets closed, many times over (the
      module must release what each dump holds: read_scope.sh checks that
      A can be freed afterwards).
  read_scope.py join WANT
      join the "monitor" group: WANT is "eperm" (must be refused) or "ok".

Prints KTAP results; exits 1 if any failed.
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
STATS_GET = C["OFFLOADMOD_CMD_STATS_GET"]
POLICY_GET = C["OFFLOADMOD_CMD_POLICY_GET"]
SA = {k[len("OFFLOADMOD_A_STATS_"):]: v for k, v in C.items()
      if k.startswith("OFFLOADMOD_A_STATS_")}
PA = {k[len("OFFLOADMOD_A_POLICY_"):]: v for k, v in C.items()
      if k.startswith("OFFLOADMOD_A_POLICY_")}
NLM_F_DUMP = 0x300
NETLINK_ADD_MEMBERSHIP = 1

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


def dump(nl, fam, cmd, id_attr, path_attr):
    """{cgroup id: path} of a whole dump."""
    out = {}
    for _, attrs in nl.request(fam, cmd, VER, b"", NLM_F_DUMP):
        cgid = genl.as_u64(attrs[id_attr][0])
        out[cgid] = genl.as_str(attrs[path_attr][0]) \
            if path_attr in attrs else None
    return out


def get(nl, fam, cmd, id_attr, path_attr, cgid):
    """(errno or 0, path) of a do request for one cgroup."""
    try:
        (_, attrs), = nl.request(fam, cmd, VER, u64(id_attr, cgid))
    except genl.NetlinkError as e:
        return e.errno, e.extack
    return 0, genl.as_str(attrs[path_attr][0]) if path_attr in attrs else None


def start_dump(fam, cmd):
    """A socket with a dump request sent on it."""
    nl = genl.Genl()
    nl.seq += 1
    body = struct.pack("BBH", cmd, VER, 0)
    nl.sock.send(struct.pack("IHHII", 16 + len(body), fam,
                             genl.NLM_F_REQUEST | NLM_F_DUMP, nl.seq, 0) +
                 body)
    return nl


def tenant(a, sub, b):
    nl = genl.Genl()
    fam, _, _ = nl.resolve("offloadmod")
    want = {a: "/", sub: "/sub"}
    for name, cmd, ida, pa in (
            ("stats", STATS_GET, SA["CGROUP_ID"], SA["PATH"]),
            ("policy", POLICY_GET, PA["CGROUP_ID"], PA["PATH"])):
        seen = dump(nl, fam, cmd, ida, pa)
        result(seen == want,
               "%s dump: exactly A and A/sub, as / and /sub" % name, seen)
        for cgid, path in want.items():
            got = get(nl, fam, cmd, ida, pa, cgid)
            result(got == (0, path), "%s get %d: %s" % (name, cgid, path),
                   got)
        got = get(nl, fam, cmd, ida, pa, b)
        result(got[0] == errno.ENOENT, "%s get of B: ENOENT" % name, got)
    # stats-get recursive on A: in scope, its whole subtree.
    try:
        nl.request(fam, STATS_GET, VER,
                   u64(SA["CGROUP_ID"], a) + genl.nla(SA["RECURSIVE"], b""))
        result(True, "stats get A recursive")
    except genl.NetlinkError as e:
        result(False, "stats get A recursive", e)

    # Dumps left behind: after one part, and before any. The stats dump
    # is sized one large message per part, so the first recv() leaves the
    # rest of it in the kernel.
    rounds = 20
    errors = []
    for i in range(rounds):
        for cmd in (STATS_GET, POLICY_GET):
            d = start_dump(fam, cmd)
            try:
                if i % 2:
                    d.sock.recv(4096)
            except OSError as e:
                errors.append(e)
            d.close()
    result(not errors, "%d dumps abandoned half-read or unread, sockets "
           "closed" % (2 * rounds), errors)
    # The family still answers, with the same scope.
    result(dump(nl, fam, STATS_GET, SA["CGROUP_ID"], SA["PATH"]) == want,
           "a full stats dump afterwards: A and A/sub only")
    nl.close()


def join(want):
    nl = genl.Genl()
    groups = nl.mcast_groups("offloadmod")
    try:
        nl.sock.setsockopt(genl.SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                           groups["monitor"])
        got = 0
    except OSError as e:
        got = e.errno
    if want == "eperm":
        result(got == errno.EPERM, "joining the monitor group: EPERM",
               os.strerror(got) if got else "joined")
    else:
        result(got == 0, "joining the monitor group", got)
    nl.close()


def main():
    if sys.argv[1] == "tenant":
        tenant(*(int(x) for x in sys.argv[2:5]))
    elif sys.argv[1] == "join":
        join(sys.argv[2])
    else:
        sys.exit("usage: read_scope.py tenant A SUB B | join eperm|ok")
    print("1..%d" % n)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    main()
