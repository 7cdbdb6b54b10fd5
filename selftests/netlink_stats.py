#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""stats-get and stats-reset over raw generic netlink.

Checks the reply structure against the uapi header and the bucket
geometry (a stage's buckets add up to its count), the dump cursor, and the
rejection of bad requests with extack. Needs the module loaded and a cgroup
given as argv[1] whose tasks have run and exited (so its stats are still).
Prints KTAP.
"""
import errno
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genl  # noqa: E402
import uapi_consts  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
C = uapi_consts.parse(os.path.join(REPO, "uapi/linux/offloadmod.h"))
VER = C["OFFLOADMOD_FAMILY_VERSION"]
GET = C["OFFLOADMOD_CMD_STATS_GET"]
RESET = C["OFFLOADMOD_CMD_STATS_RESET"]
A = {k[len("OFFLOADMOD_A_STATS_"):]: v for k, v in C.items()
     if k.startswith("OFFLOADMOD_A_STATS_")}
S = {k[len("OFFLOADMOD_A_STAGE_"):]: v for k, v in C.items()
     if k.startswith("OFFLOADMOD_A_STAGE_")}
NLM_F_DUMP = 0x300
HDR = 16 + 4

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


def expect_error(desc, want_errno, fn, want_offset=None, want_text=None):
    """want_errno: one errno or a tuple of acceptable ones."""
    if not isinstance(want_errno, tuple):
        want_errno = (want_errno,)
    try:
        fn()
    except genl.NetlinkError as e:
        ok = e.errno in want_errno
        if want_text is not None:
            ok = ok and bool(e.extack) and want_text in e.extack
        if want_offset is not None:
            ok = ok and e.offset == want_offset
        result(ok, desc, e)
        if e.extack:
            print("#   extack: %s (offset %s)" % (e.extack, e.offset))
        return
    result(False, desc, "request was accepted")


def u64_attr(atype, v):
    return genl.nla(atype, struct.pack("Q", v))


def stages(attrs):
    out = {}
    for nest in attrs.get(A["STAGE"], []):
        s = genl.parse_attrs(nest)
        out[genl.as_u32(s[S["ID"]][0])] = s
    return out


def bucket_total(s):
    if S["BUCKETS"] not in s:
        return 0
    raw = s[S["BUCKETS"]][0]
    return sum(struct.unpack("%dQ" % (len(raw) // 8), raw))


def get(nl, fam, cgid, recursive=False):
    payload = u64_attr(A["CGROUP_ID"], cgid)
    if recursive:
        payload += genl.nla(A["RECURSIVE"], b"")
    (_, attrs), = nl.request(fam, GET, VER, payload)
    return attrs


NLM_F_DUMP_INTR = 0x10


def dump_chunks(nl, fam, between=None):
    """A stats-get dump read one recv() at a time: [(flags, cgroup id)] per
    chunk. between() runs after the first chunk, before the rest is read."""
    nl.seq += 1
    body = struct.pack("BBH", GET, VER, 0)
    nl.sock.send(struct.pack("IHHII", 16 + len(body), fam,
                             genl.NLM_F_REQUEST | NLM_F_DUMP, nl.seq, 0) + body)
    chunks = []
    while True:
        data = nl.sock.recv(1 << 16)
        msgs, done, off = [], False, 0
        while off + 16 <= len(data):
            mlen, mtype, mflags, seq, _ = struct.unpack_from("IHHII", data, off)
            part = data[off:off + mlen]
            off += genl.align4(mlen)
            if mtype in (genl.NLMSG_DONE, genl.NLMSG_ERROR):
                done = True
                break
            attrs = genl.parse_attrs(part[16 + 4:])
            msgs.append((mflags, genl.as_u64(attrs[A["CGROUP_ID"]][0])))
        chunks.append(msgs)
        if done:
            return chunks
        if between and len(chunks) == 1:
            between()


def dump_resume_and_intr(nl, fam, parent):
    """Enough cgroups that a dump takes several recv()s: the cursor resumes
    where it stopped, and cgroups appearing mid-dump flag NLM_F_DUMP_INTR."""
    many = ["%s/many%02d" % (parent, i) for i in range(60)]
    for d in many:
        os.mkdir(d)
        os.system("sh -c 'echo $$ > %s/cgroup.procs; exec true'" % d)
    os.system("sleep 0.5")
    chunks = dump_chunks(nl, fam)
    ids = [cg for chunk in chunks for _, cg in chunk]
    want = {os.stat(d).st_ino for d in many}
    result(len([c for c in chunks if c]) >= 2,
           "a dump of %d cgroups takes several messages batches" % len(ids),
           [len(c) for c in chunks])
    result(ids == sorted(set(ids)) and want <= set(ids),
           "the resumed dump returns every cgroup once, in id order")
    result(not any(f & NLM_F_DUMP_INTR for c in chunks for f, _ in c),
           "an undisturbed dump is not flagged interrupted")

    extra = parent + "/late"

    def add_cgroup():
        os.mkdir(extra)
        os.system("sh -c 'echo $$ > %s/cgroup.procs; exec true'" % extra)
        os.system("sleep 0.5")
    chunks = dump_chunks(nl, fam, between=add_cgroup)
    # The kernel fills the next batch while the first is read, so the
    # flag lands on the first message built after the change.
    later = [f for c in chunks[1:] for f, _ in c]
    result(any(f & NLM_F_DUMP_INTR for f in later) and
           not any(f & NLM_F_DUMP_INTR for f, _ in chunks[0]),
           "a cgroup tracked mid-dump flags the dump NLM_F_DUMP_INTR",
           [[hex(f) for f, _ in c] for c in chunks])
    for d in many + [extra]:
        os.rmdir(d)


def main():
    cg_path = sys.argv[1]
    cgid = os.stat(cg_path).st_ino
    print("TAP version 13")
    nl = genl.Genl()
    fam, _, ops = nl.resolve("offloadmod")
    result(GET in ops and RESET in ops, "stats-get and stats-reset registered", ops)

    attrs = get(nl, fam, cgid)
    got = genl.as_u64(attrs[A["CGROUP_ID"]][0])
    result(got == cgid, "reply cgroup-id is the requested one", got)
    path = genl.as_str(attrs[A["PATH"]][0])
    want = "/" + os.path.relpath(cg_path, "/sys/fs/cgroup")
    result(path == want, "reply path is the cgroup's path", (path, want))
    st = stages(attrs)
    result(sorted(st) == list(range(C["OFFLOADMOD_STAGE_COUNT"])),
           "one stage nest per stage id", sorted(st))
    sched = st.get(C["OFFLOADMOD_STAGE_SCHED_WAIT"], {})
    cnt = genl.as_u64(sched[S["COUNT"]][0]) if sched else 0
    result(cnt > 0, "the cgroup's tasks have sched_wait samples", cnt)
    bad = [i for i, s in st.items()
           if bucket_total(s) != genl.as_u64(s[S["COUNT"]][0])]
    result(not bad, "every stage's buckets add up to its count", bad)
    bad = [i for i, s in st.items() if genl.as_u64(s[S["COUNT"]][0]) and
           not (genl.as_u64(s[S["MIN_NS"]][0]) <= genl.as_u64(s[S["MAX_NS"]][0]))]
    result(not bad, "min <= max where count > 0", bad)
    first_ok = all(genl.as_u32(s[S["BUCKET_FIRST"]][0]) +
                   len(s[S["BUCKETS"]][0]) // 8 <= 496
                   for s in st.values() if S["BUCKETS"] in s)
    result(first_ok, "bucket ranges lie inside the histogram")

    # Recursive on the parent (whose own tasks also ran) sums both.
    parent = os.path.dirname(cg_path)
    pid_ = os.stat(parent).st_ino
    own = genl.as_u64(stages(get(nl, fam, pid_))
                      [C["OFFLOADMOD_STAGE_SCHED_WAIT"]][S["COUNT"]][0])
    pattrs = get(nl, fam, pid_, recursive=True)
    pcnt = genl.as_u64(stages(pattrs)[C["OFFLOADMOD_STAGE_SCHED_WAIT"]][S["COUNT"]][0])
    result(A["RECURSIVE"] in pattrs and own > 0 and pcnt == own + cnt and
           genl.as_u32(pattrs[A["CGROUPS"]][0]) == 2,
           "recursive on the parent sums parent and child",
           (pcnt, own, cnt, genl.as_u32(pattrs[A["CGROUPS"]][0])))

    # Dump: one message per tracked cgroup, in increasing id order.
    replies, _ = nl.raw_request(fam, GET, VER, b"", flags=NLM_F_DUMP)
    ids = [genl.as_u64(genl.parse_attrs(r[4:])[A["CGROUP_ID"]][0]) for r in replies]
    result(len(ids) >= 2 and ids == sorted(set(ids)),
           "dump ids are unique and increasing", ids)
    result(cgid in ids, "dump includes the test cgroup")
    # 5.10 and 6.1 do not pass the extack of a dump's start callback back
    # (6.12 does).
    kver = tuple(int(x) for x in os.uname().release.split(".")[:2])
    expect_error("dump with cgroup-id rejected", errno.EINVAL,
                 lambda: nl.raw_request(fam, GET, VER, u64_attr(A["CGROUP_ID"], 1),
                                        flags=NLM_F_DUMP),
                 want_text=None if kver <= (6, 1) else "takes no attributes")

    dump_resume_and_intr(nl, fam, os.path.dirname(cg_path))

    expect_error("stats-get without cgroup-id rejected", errno.EINVAL,
                 lambda: nl.request(fam, GET, VER), want_text="cgroup-id")
    # 6.1 says ERANGE for a value below the policy minimum, 6.12 EINVAL.
    expect_error("cgroup-id 0 rejected at its offset", (errno.EINVAL, errno.ERANGE),
                 lambda: nl.raw_request(fam, GET, VER, u64_attr(A["CGROUP_ID"], 0)),
                 want_offset=HDR)
    expect_error("cgroup-id of the wrong size rejected", errno.EINVAL,
                 lambda: nl.raw_request(fam, GET, VER,
                                        genl.nla(A["CGROUP_ID"], b"\1\0\0\0")),
                 want_offset=HDR)
    expect_error("unknown cgroup rejected with ENOENT", errno.ENOENT,
                 lambda: get(nl, fam, 1 << 40), want_text="no such cgroup",
                 want_offset=HDR)
    for name in ("PAD", "PATH", "CGROUPS", "RX", "TX", "STAGE"):
        expect_error("output-only attribute %s rejected" % name.lower(),
                     errno.EINVAL,
                     lambda: nl.raw_request(fam, GET, VER,
                                            genl.nla(A[name], b"x\0\0\0")),
                     want_offset=HDR, want_text=name.lower())
    expect_error("reset recursive without cgroup-id rejected", errno.EINVAL,
                 lambda: nl.raw_request(fam, RESET, VER, genl.nla(A["RECURSIVE"], b"")),
                 want_text="cgroup-id")
    expect_error("reset of an unknown cgroup rejected", errno.ENOENT,
                 lambda: nl.raw_request(fam, RESET, VER,
                                        u64_attr(A["CGROUP_ID"], 1 << 40)),
                 want_text="no such cgroup")

    # Reset needs CAP_NET_ADMIN; an unprivileged attempt changes nothing.
    pid = os.fork()
    if pid == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
        try:
            genl.Genl().raw_request(fam, RESET, VER, u64_attr(A["CGROUP_ID"], cgid))
            os._exit(0)
        except genl.NetlinkError as e:
            os._exit(10 if e.errno == errno.EPERM else 11)
    _, status = os.waitpid(pid, 0)
    result(os.waitstatus_to_exitcode(status) == 10,
           "unprivileged stats-reset gets EPERM")
    after = stages(get(nl, fam, cgid))[C["OFFLOADMOD_STAGE_SCHED_WAIT"]]
    result(genl.as_u64(after[S["COUNT"]][0]) == cnt,
           "stats unchanged after the refused reset")

    nl.raw_request(fam, RESET, VER, u64_attr(A["CGROUP_ID"], cgid))
    st = stages(get(nl, fam, cgid))
    left = {i: genl.as_u64(s[S["COUNT"]][0]) + genl.as_u64(s[S["UNTIMED"]][0])
            for i, s in st.items()}
    result(not any(left.values()), "stats-reset zeroes the cgroup", left)

    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
