#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interface policies (dev-set / dev-get / dev-del over raw generic netlink)
# against ground truth that does not come from the module: `ethtool -k`,
# `ip -d -j link show`, /sys/class/net/IFACE/{gro_flush_timeout,
# napi_defer_hard_irqs}. A policy applies to interfaces that appear or are
# renamed into its pattern, at set time to those already there, in another
# namespace through netns-fd; deleting it, renaming away, moving the
# interface out or unloading the module restores what it changed. Bad
# requests fail with an extack message naming the attribute and change
# nothing. A setting the running kernel lacks (the module lists it:
# om_unsupported) is left out, its checks say SKIP with that reason, and
# setting it is refused as not supported. Every interface and pattern here
# starts with "omt".
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip ethtool setpriv
om_ensure_loaded

# One Python process serves every request (Python starts slowly on the
# debug kernel): a line of shell-quoted words in, one JSON object out.
#   set|get|del PATTERN [KEY=VALUE...]   PATTERN "-" leaves it out
#   dump [netns=PATH] [prefix=P]         {count, patterns, inums}
#   nobody|userns set|del ...            the same, unprivileged
#   tenant PATTERN HOST_PATTERN N        reads of an unprivileged process
#                                        in a user+net namespace of its own
#   monitor PATTERN [KEY=VALUE...]       set and del while listening
#   bulk N PREFIX netns=PATH KEY=VALUE   N policies, a dump in parts
# KEY: netns=PATH (passed as netns-fd), a feature (tso, gso, gro, lro,
# rx_gro_hw, tx_csum) or value (gso_max_size, ...) by name, netns_fd=N,
# aTYPE=u8:V|u32:V|str:S for any attribute type, raw_NAME=... by name.
IFS= read -r -d '' devnl_py <<'EOF'
import ctypes, json, os, select, shlex, socket, struct, sys
sys.path.insert(0, sys.argv[1])
import genl
import uapi_consts

C = uapi_consts.parse(sys.argv[2])
VER = C["OFFLOADMOD_FAMILY_VERSION"]
CMD = {k[len("OFFLOADMOD_CMD_"):]: v for k, v in C.items()
       if k.startswith("OFFLOADMOD_CMD_")}
A = {k[len("OFFLOADMOD_A_DEV_"):].lower(): v for k, v in C.items()
     if k.startswith("OFFLOADMOD_A_DEV_") and not k.endswith("MAX")}
NAME = {v: k.replace("_", "-") for k, v in A.items()}
U8 = ("tso", "gso", "gro", "lro", "rx_gro_hw", "tx_csum")
U32 = ("gso_max_size", "gro_max_size", "gro_flush_timeout",
       "napi_defer_hard_irqs", "netns_fd")
ERR = {1: "EPERM", 2: "ENOENT", 9: "EBADF", 12: "ENOMEM", 22: "EINVAL",
       34: "ERANGE", 90: "EMSGSIZE", 95: "EOPNOTSUPP"}
NLM_F_DUMP_INTR = 0x10


def payload(pattern, args, fds):
    out = b""
    if pattern != "-":
        out += genl.nla_str(A["pattern"], pattern)
    for arg in args:
        k, v = arg.split("=", 1)
        if k == "netns":
            fds.append(os.open(v, os.O_RDONLY))
            out += genl.nla(A["netns_fd"], struct.pack("I", fds[-1]))
        elif k in U8:
            out += genl.nla(A[k], struct.pack("B", int(v)))
        elif k in U32:
            out += genl.nla(A[k], struct.pack("I", int(v)))
        elif k.startswith("raw_") or k.startswith("a"):
            kind, val = v.split(":", 1)
            atype = A[k[4:]] if k.startswith("raw_") else int(k[1:])
            data = (val.encode() + b"\0" if kind == "str" else
                    struct.pack({"u8": "B", "u32": "I"}[kind], int(val)))
            out += genl.nla(atype, data)
        else:
            raise ValueError("unknown argument " + arg)
    return out


def attr_at(buf, off):
    """Name of the request attribute at extack offset @off, or "-"."""
    if off is None:
        return "-"
    pos = 0
    while pos + 4 <= len(buf):
        alen, atype = struct.unpack_from("HH", buf, pos)
        if pos == off - 20:
            return NAME.get(atype, "type%d" % atype)
        pos += genl.align4(max(alen, 4))
    return "offset%d" % off


def decode(attrs):
    d = {"ifaces": ""}
    for t, vals in attrs.items():
        k = NAME.get(t, "type%d" % t).replace("-", "_")
        if k == "pattern":
            d[k] = genl.as_str(vals[0])
        elif k == "iface":
            d["ifaces"] = ",".join(sorted(genl.as_str(x) for x in vals))
        elif k in U8:
            d[k] = genl.as_u8(vals[0])
        elif k in ("ifaces_adjusted", "errors"):
            d[k] = genl.as_u64(vals[0])
        elif k != "pad":
            d[k] = genl.as_u32(vals[0])
    return d


def request(nl, fam, cmd, pattern, args):
    fds = []
    try:
        body = payload(pattern, args, fds)
        replies, _ = nl.raw_request(fam, CMD[cmd], VER, body)
    except genl.NetlinkError as e:
        return {"error": ERR.get(e.errno, str(e.errno)),
                "attr": attr_at(body, e.offset), "msg": e.extack or ""}
    finally:
        for fd in fds:
            os.close(fd)
    out = [decode(genl.parse_attrs(r[4:])) for r in replies]
    return out[0] if out else {"ok": 1}


def dump(nl, fam, args=(), between=None, bufsize=1 << 20):
    """[(flags, policy)] per recv(), and the dump's final errno. The kernel
    sizes dump batches after the largest recv() buffer the socket used."""
    fds = []
    body = struct.pack("BBH", CMD["DEV_GET"], VER, 0) + payload("-", args, fds)
    nl.seq += 1
    nl.sock.send(struct.pack("IHHII", 16 + len(body), fam, genl.NLM_F_REQUEST
                             | genl.NLM_F_DUMP, nl.seq, 0) + body)
    for fd in fds:
        os.close(fd)
    chunks = []
    while True:
        data, off, msgs = nl.sock.recv(bufsize), 0, []
        while off + 16 <= len(data):
            mlen, mtype, mflags = struct.unpack_from("IHH", data, off)
            part = data[off:off + mlen]
            off += genl.align4(mlen)
            if mtype in (genl.NLMSG_DONE, genl.NLMSG_ERROR):
                chunks.append(msgs)
                return chunks, -struct.unpack_from("i", part, 16)[0]
            msgs.append((mflags, decode(genl.parse_attrs(part[20:]))))
        chunks.append(msgs)
        if between and len(chunks) == 1:
            between()


def as_other(fn, userns):
    """Run fn() in a child without privileges (or root of a new user
    namespace) on a socket of its own."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            if userns:
                if ctypes.CDLL(None, use_errno=True).unshare(0x10000000):
                    raise OSError(ctypes.get_errno(), "unshare")
            else:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            nl = genl.Genl()
            res = fn(nl, nl.resolve("offloadmod")[0])
        except Exception as e:
            res = {"exception": repr(e)}
        os.write(w, json.dumps(res).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while True:
        buf = os.read(r, 65536)
        if not buf:
            break
        data += buf
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(data)


def tenant(nl, fam, pattern, host_pattern, n):
    """A process that drops to nobody and unshares a user and a network
    namespace (unshare -Urn); root sets policies in its namespace: PATTERN
    (gro off) and N more, interleaved (in creation order, which is dump
    order) with N / 10 in the initial namespace. Then it reads: a dump in
    8 KiB parts, PATTERN and HOST_PATTERN (a policy of the initial
    namespace), and both again through a netns-fd of the initial namespace
    it opened before unsharing."""
    own = [pattern] + ["omtt%04d-%s*" % (i, "x" * 52) for i in range(n)]
    host = ["omth%04d-%s*" % (i, "x" * 52) for i in range(0, n, 10)]
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    res_r, res_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            hostns = os.open("/proc/self/ns/net", os.O_RDONLY)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            if ctypes.CDLL(None, use_errno=True).unshare(0x50000000):
                raise OSError(ctypes.get_errno(), "unshare(USER|NET)")
            os.write(ready_w, b"1")
            os.read(go_r, 1)
            n = genl.Genl()
            f = n.resolve("offloadmod")[0]
            hfd = "netns_fd=%d" % hostns
            # A fresh socket reading 8 KiB at a time: batches of 8 KiB.
            chunks, err = dump(genl.Genl(), f, bufsize=8192)
            got = [p["pattern"] for c in chunks for _, p in c]
            res = {"dump": ",".join(p for p in got if p in own[:1] or
                                    p not in own),
                   "dump_err": err,
                   "dump_parts": len([c for c in chunks if c]),
                   "dump_own_in_order": got == own}
            chunks, err = dump(n, f, [hfd])
            res["dump_fd"] = ",".join(p["pattern"] for c in chunks
                                      for _, p in c)
            res["dump_fd_err"] = ERR.get(err, str(err))
            for k, pat, args in (("own", pattern, []),
                                 ("host", host_pattern, []),
                                 ("host_fd", host_pattern, [hfd])):
                r = request(n, f, "DEV_GET", pat, args)
                res[k] = r.get("error", r.get("pattern"))
                res[k + "_attr"] = r.get("attr", "-")
            res["own_gro"] = request(n, f, "DEV_GET", pattern, []).get("gro")
        except Exception as e:
            res = {"exception": repr(e)}
        os.write(res_w, json.dumps(res).encode())
        os._exit(0)
    for fd in (ready_w, go_r, res_w):
        os.close(fd)
    res = {}
    if os.read(ready_r, 1):
        tns = "netns=/proc/%d/ns/net" % pid
        failed = []
        for i, p in enumerate(own):
            if "error" in request(nl, fam, "DEV_SET", p, [tns, "gro=0"]):
                failed.append(p)
            if i % 10 == 1 and "error" in request(nl, fam, "DEV_SET",
                                                  host[i // 10], ["gro=0"]):
                failed.append(host[i // 10])
        chunks, _ = dump(nl, fam)
        got = [p["pattern"] for c in chunks for _, p in c]
        res = {"set_failed": len(failed),
               "root_dump": ",".join(sorted(p for p in got
                                            if p in (pattern, host_pattern))),
               "root_sees_all": all(p in got for p in own + host)}
    os.write(go_w, b"1")
    data = b""
    while True:
        buf = os.read(res_r, 65536)
        if not buf:
            break
        data += buf
    for fd in (ready_r, go_w, res_r):
        os.close(fd)
    os.waitpid(pid, 0)
    for p in host:
        request(nl, fam, "DEV_DEL", p, [])
    res.update(json.loads(data))
    return res


def monitor_group(nl):
    (_, attrs), = nl.request(genl.GENL_ID_CTRL, genl.CTRL_CMD_GETFAMILY, 1,
                             genl.nla_str(genl.CTRL_ATTR_FAMILY_NAME,
                                          "offloadmod"))
    for nest in attrs.get(7, []):			# CTRL_ATTR_MCAST_GROUPS
        for grp in genl.parse_attrs(nest).values():
            g = genl.parse_attrs(grp[0])
            if genl.as_str(g[1][0]) == "monitor":
                return genl.as_u32(g[2][0])
    return None


def monitor(nl, fam, pattern, args):
    mon = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                        genl.NETLINK_GENERIC)
    mon.bind((0, 0))
    mon.setsockopt(genl.SOL_NETLINK, 1, monitor_group(nl))  # ADD_MEMBERSHIP
    res = [request(nl, fam, "DEV_SET", pattern, args),
           request(nl, fam, "DEV_DEL", pattern, [])]
    seen = []
    while len(seen) < 2 and select.select([mon], [], [], 20)[0]:
        data, off = mon.recv(1 << 16), 0
        while off + 16 <= len(data):
            mlen, mtype = struct.unpack_from("IH", data, off)
            part = data[off:off + mlen]
            off += genl.align4(mlen)
            d = decode(genl.parse_attrs(part[20:]))
            if mtype == fam and d.get("pattern") == pattern:
                seen.append([k for k, v in CMD.items() if v == part[16]][0])
    mon.close()
    return {"requests": res, "seen": ",".join(seen)}


def bulk(nl, fam, n, prefix, ns, args):
    pats = ["%s%04d-%s*" % (prefix, i, "x" * 52) for i in range(n)]
    failed = [p for p in pats
              if "error" in request(nl, fam, "DEV_SET", p, [ns] + args)]
    # A fresh socket reading 8 KiB at a time: batches of at most 8 KiB.
    chunks, err = dump(genl.Genl(), fam, bufsize=8192)
    got = [p["pattern"] for c in chunks for _, p in c
           if p["pattern"].startswith(prefix)]
    res = {"failed": len(failed), "err": err,
           "parts": len([c for c in chunks if c]),
           "all_once_in_order": got == pats,
           "intr_undisturbed": any(f & NLM_F_DUMP_INTR
                                   for c in chunks for f, _ in c)}
    # Delete one policy after the first part was read.
    chunks, err = dump(genl.Genl(), fam, bufsize=8192,
                       between=lambda: request(nl, fam, "DEV_DEL",
                                               pats.pop(), [ns]))
    res["intr_first_part"] = any(f & NLM_F_DUMP_INTR for f, _ in chunks[0])
    res["intr_after_change"] = any(f & NLM_F_DUMP_INTR
                                   for c in chunks[1:] for f, _ in c)
    res["del_failed"] = len([p for p in pats if "error" in
                             request(nl, fam, "DEV_DEL", p, [ns])])
    return res


def serve():
    nl = genl.Genl()
    fam = nl.resolve("offloadmod")[0]
    for line in sys.stdin:
        argv = shlex.split(line)
        try:
            cmd, rest = argv[0], argv[1:]
            if cmd in ("set", "get", "del"):
                res = request(nl, fam, "DEV_" + cmd.upper(), rest[0], rest[1:])
            elif cmd in ("nobody", "userns"):
                sub, pat, args = rest[0], rest[1], rest[2:]
                res = as_other(lambda n, f: request(
                    n, f, "DEV_" + sub.upper(), pat, args), cmd == "userns")
            elif cmd == "dump":
                opts = dict(a.split("=", 1) for a in rest)
                chunks, err = dump(nl, fam, [a for a in rest
                                             if a.startswith("netns=")])
                ps = [p for c in chunks for _, p in c
                      if p["pattern"].startswith(opts.get("prefix", ""))]
                res = {"err": err, "count": len(ps),
                       "patterns": ",".join(p["pattern"] for p in ps),
                       "inums": ",".join(sorted({str(p["netns_inum"])
                                                 for p in ps}))}
            elif cmd == "monitor":
                res = monitor(nl, fam, rest[0], rest[1:])
            elif cmd == "tenant":
                res = tenant(nl, fam, rest[0], rest[1], int(rest[2]))
            elif cmd == "bulk":
                res = bulk(nl, fam, int(rest[0]), rest[1], rest[2], rest[3:])
            else:
                res = {"exception": "unknown command " + cmd}
        except Exception as e:
            res = {"exception": repr(e)}
        print(json.dumps(res), flush=True)


serve()
EOF

coproc devnl_srv { "$PYTHON" -S -c "$devnl_py" "$here" "$UAPI_HEADER"; }

# The helpers below set globals instead of printing, and use no pipes:
# every fork and exec counts on the debug kernel (KASAN under TCG).

# dn WORD...: one request; its reply (one line of JSON) in R.
dn() {
	printf '%q ' "$@" >&"${devnl_srv[1]}"
	echo >&"${devnl_srv[1]}"
	read -r R <&"${devnl_srv[0]}" || R='{"exception": "helper died"}'
}

# jf KEY...: top-level fields of R in J, space-separated; "none" for a
# missing one, '' for an empty string or array, an array of strings
# comma-separated.
jf() {
	local k re v
	J=""
	for k in "$@"; do
		re="\"$k\": ?(\"([^\"]*)\"|-?[0-9]+|true|false|\[([^]]*)\])"
		if [[ $R =~ $re ]]; then
			v=${BASH_REMATCH[1]}
			[[ $v == \"* ]] && v="${BASH_REMATCH[2]:-''}"
			if [[ $v == \[* ]]; then
				v=${BASH_REMATCH[3]//\"/}
				v=${v:-''}
			fi
		else
			v=none
		fi
		J+="${J:+ }$v"
	done
}

# cdev set|del PATTERN [netns NAME] [SETTING VALUE]...: the main path,
# through `offloadmod-ctl dev`; without a CLI that has it, the same request
# over raw netlink. R: {"ok": 1}, or {"error": ..., "msg": its stderr}.
have_ctl=0
"$OFFLOADMOD_CTL" dev help >/dev/null 2>&1 && have_ctl=1
cdev() {
	local cmd=$1 pattern=$2 out rc k v args=()
	shift 2
	if [ "$have_ctl" = 1 ]; then
		if out=$("$OFFLOADMOD_CTL" dev "$cmd" "$pattern" "$@" 2>&1); then
			R='{"ok": 1}'
		else
			rc=$?
			out=${out//$'\n'/ }
			R="{\"error\": \"exit $rc\", \"msg\": \"${out//\"/}\"}"
		fi
		return
	fi
	while [ $# -ge 2 ]; do
		k=${1//-/_} v=$2
		shift 2
		case $k in
		netns) args+=("netns=/run/netns/$v"); continue ;;
		tx_checksumming) k=tx_csum ;;
		esac
		case $v in on) v=1 ;; off) v=0 ;; esac
		args+=("$k=$v")
	done
	dn "$cmd" "$pattern" "${args[@]}"
}

# Ground truth, from outside the module. gt SPEC...: values in G,
# space-separated. SPEC: IFACE:feat:NAME (ethtool -k), IFACE:link:FIELD
# (ip -d -j link show), IFACE:sys:FILE (/sys/class/net/IFACE/FILE);
# NETNS/IFACE:feat:NAME for an interface in a named network namespace.
gt() {
	local spec dev kind key out v re
	G=""
	for spec in "$@"; do
		IFS=: read -r dev kind key <<<"$spec"
		case $kind in
		feat)
			if [[ $dev == */* ]]; then
				out=$(nsenter --net="/run/netns/${dev%/*}" ethtool -k "${dev#*/}")
			else
				out=$(ethtool -k "$dev")
			fi
			re="(^|"$'\n'")$key: ([a-z]+)"
			;;
		link)
			out=$(ip -d -j link show dev "$dev")
			re="\"$key\":([0-9]+)()"
			;;
		sys)
			out=$(<"/sys/class/net/$dev/$key")
			re="^([0-9]+)()"
			;;
		esac
		v=none
		if [[ $out =~ $re ]]; then
			v=${BASH_REMATCH[2]:-${BASH_REMATCH[1]}}
		fi
		G+="${G:+ }$v"
	done
}
TSO=tcp-segmentation-offload
GRO=generic-receive-offload
# gt_is SPEC VALUE: for busywait.
gt_is() { gt "$1"; [ "$G" = "$2" ]; }

ns=omtns-$$
ns2=omtns2-$$
patterns=("omtv*" "omtg*" "omte*" "omtw*" "omtn*" "omtm*" "omtu*" "omtl*"
	  "omta*" omtc0)
cleanup() {
	local l p
	for p in "${patterns[@]}"; do dn del "$p"; done
	for l in $(ip -o link show | sed -n 's/^[0-9]*: \(omt[^:@]*\).*/\1/p'); do
		ip link del "$l" 2>/dev/null
	done
	ip netns del "$ns" 2>/dev/null
	ip netns del "$ns2" 2>/dev/null
	om_restore
}
trap cleanup EXIT

ktap_header
# The interface settings this kernel lacks, as the module reports them:
# gro-max-size before 5.19, the NAPI ones since 6.13 (docs/POLICY.md).
unsupported=()
for v in gro-max-size gro-flush-timeout napi-defer-hard-irqs; do
	om_unsupported "dev.$v" && unsupported+=("$v")
done
have_val() { ! om_unsupported "dev.$1"; }
note "interface settings this kernel lacks: ${unsupported[*]:-none}"
IFS=. read -r kmajor kminor _ <<<"$(uname -r)"
# NL_SET_ERR_MSG_FMT (6.3+) lets the message name the interface too.
fmt_msgs=0
[ "$kmajor" -gt 6 ] || { [ "$kmajor" = 6 ] && [ "$kminor" -ge 3 ]; } && fmt_msgs=1

# expect_err DESC ERRNO ATTR [TEXT...]: R is a refusal with an extack
# message containing each TEXT, pointing at ATTR ("-": at none).
expect_err() {
	local desc=$1 want="$2 $3" t ok=1
	shift 3
	jf error attr
	[ "$J" = "$want" ] || ok=0
	jf msg
	for t in "$@"; do
		[[ "$J" == *"$t"* ]] || ok=0
	done
	note "$desc: $R"
	if [ "$ok" = 1 ]; then ktap_ok "$desc"; else ktap_fail "$desc"; fi
}
# expect_ok DESC: R is a success.
expect_ok() {
	jf ok
	if [ "$J" = 1 ]; then
		ktap_ok "$1"
	else
		note "$1: $R"
		ktap_fail "$1"
	fi
}
# check_j DESC EXPECTED KEY...: fields of R.
check_j() {
	local desc=$1 want=$2
	shift 2
	jf "$@"
	check_eq "$desc" "$want" "$J"
}
# check_gt DESC EXPECTED SPEC...: ground truth.
check_gt() {
	local desc=$1 want=$2
	shift 2
	gt "$@"
	check_eq "$desc" "$want" "$G"
}

# --- Baselines: what the kernel gives an interface with no policy. ---
ip link add omtx0 type dummy && ip link add omtx1 type veth peer name omtx2 ||
	skip_all "cannot create dummy and veth interfaces"
gt omtx1:link:gso_max_size omtx1:link:gro_max_size \
	omtx1:sys:gro_flush_timeout omtx1:sys:napi_defer_hard_irqs
read -r base_gso base_gro_max base_flush base_defer <<<"$G"
# A new veth's own GRO state: off since 5.13 (veth_newlink() clears it
# after registering), on before.
gt omtx1:feat:$GRO
base_veth_gro=$G
note "baseline veth: gso_max_size $base_gso, gro_max_size $base_gro_max," \
	"gro_flush_timeout $base_flush, napi_defer_hard_irqs $base_defer"
check_gt "baseline: a new dummy has $GRO on, a new veth $TSO on" "on on" \
	omtx0:feat:$GRO omtx1:feat:$TSO

# --- A policy first, then interfaces that match. ---
note "main path through ${OFFLOADMOD_CTL##*/} dev: $([ "$have_ctl" = 1 ] && echo yes || echo "no (not built), raw netlink")"
# Every setting this kernel has; "none" in dev get for the others.
v_args=(gso-max-size 16384) v_want="16384"
for v in gro-max-size:32768 gro-flush-timeout:20000 napi-defer-hard-irqs:2; do
	if have_val "${v%:*}"; then
		v_args+=("${v%:*}" "${v#*:}")
		v_want+=" ${v#*:}"
	else
		v_want+=" none"
	fi
done
cdev set 'omtv*' gro off tso off "${v_args[@]}"
expect_ok "dev set omtv* with no interface matching yet"
dn get 'omtv*'
check_j "dev get: the settings as set, no interface yet" \
	"0 0 $v_want ''" gro tso gso_max_size gro_max_size \
	gro_flush_timeout napi_defer_hard_irqs ifaces

ip link add omtv0 type veth peer name omtp0
ip link add omtvd0 type dummy
# Applied from a work item once the creator is done: wait for it.
check "a veth created afterwards gets $TSO off" \
	busywait 20000 gt_is omtv0:feat:$TSO off
check "a dummy created afterwards gets $GRO off" \
	busywait 20000 gt_is omtvd0:feat:$GRO off
check_gt "... gso_max_size (ip -d link)" 16384 omtv0:link:gso_max_size
if have_val gro-max-size; then
	check_gt "... gro_max_size (ip -d link)" 32768 omtv0:link:gro_max_size
else
	ktap_skip "... gro_max_size (ip -d link)" \
		"$(om_unsupported_reason dev.gro-max-size)"
fi
if have_val gro-flush-timeout && have_val napi-defer-hard-irqs; then
	check_gt "... gro_flush_timeout and napi_defer_hard_irqs (sysfs)" \
		"20000 2" omtv0:sys:gro_flush_timeout \
		omtv0:sys:napi_defer_hard_irqs
else
	ktap_skip "... gro_flush_timeout and napi_defer_hard_irqs (sysfs)" \
		"$(om_unsupported_reason "dev.gro-flush-timeout, dev.napi-defer-hard-irqs")"
fi
check_gt "the veth's peer (not matching) is untouched" \
	"on $base_gso $base_flush" \
	omtp0:feat:$TSO omtp0:link:gso_max_size omtp0:sys:gro_flush_timeout
dn get 'omtv*'
check_j "dev get lists both interfaces, 2 adjusted, no error" \
	"omtv0,omtvd0 2 0" ifaces ifaces_adjusted errors
if [ "$have_ctl" = 1 ]; then
	R=$("$OFFLOADMOD_CTL" -j dev show 'omtv*')
	check_j "offloadmod-ctl -j dev show: the same policy" \
		"omtv* omtv0,omtvd0 false false 16384 2 0" pattern ifaces gro tso \
		gso_max_size ifaces_adjusted errors
	R=$("$OFFLOADMOD_CTL" -j dev show)
	check_j "offloadmod-ctl -j dev show (a dump) lists it" "omtv*" pattern
else
	ktap_skip "offloadmod-ctl dev show" "offloadmod-ctl with dev not built"
fi

ip link set omtp0 name omtv1
check_gt "an interface renamed into the pattern gets the policy" \
	"off 16384" omtv1:feat:$TSO omtv1:link:gso_max_size
ip link set omtv1 name omtq1
check_gt "renamed out of it: restored" "on $base_gso $base_flush" \
	omtq1:feat:$TSO omtq1:link:gso_max_size omtq1:sys:gro_flush_timeout
dn get 'omtv*'
check_j "dev get follows the renames" "omtv0,omtvd0 3" ifaces ifaces_adjusted
# A dummy, which on 6.15+ has the core run its ops under its instance
# lock (held during the rename): the policy applies from the work item.
ip link add omtq2 type dummy
ip link set omtq2 name omtvd1
check "a dummy renamed into the pattern gets the policy" \
	busywait 20000 gt_is omtvd1:feat:$GRO off
ip link set omtvd1 name omtq2
check "... renamed out of it: restored" busywait 20000 gt_is omtq2:feat:$GRO on

cdev set 'omtv*' tso on
expect_ok "dev set omtv* tso on (an update)"
check_gt "the update applies; what it leaves out is kept" "on off 16384" \
	omtv0:feat:$TSO omtvd0:feat:$GRO omtv0:link:gso_max_size

cdev del 'omtv*'
expect_ok "dev del omtv*"
check_gt "dev del restores the veth ($TSO, sizes, sysfs)" \
	"on $base_gso $base_gro_max $base_flush $base_defer" \
	omtv0:feat:$TSO omtv0:link:gso_max_size omtv0:link:gro_max_size \
	omtv0:sys:gro_flush_timeout omtv0:sys:napi_defer_hard_irqs
check_gt "dev del restores the dummy's $GRO" on omtvd0:feat:$GRO
dn get 'omtv*'
expect_err "dev get after dev del: ENOENT" ENOENT pattern "no interface policy"

# veth sets GRO its own way after registering (off, since 5.13); the
# policy asks for the other state and must still win.
want_gro=on
[ "$base_veth_gro" = on ] && want_gro=off
cdev set 'omtg*' gro $want_gro
expect_ok "dev set omtg* gro $want_gro"
ip link add omtg0 type veth peer name omtgp0
check "a new veth gets $GRO $want_gro (veth's own default is $base_veth_gro)" \
	busywait 20000 gt_is omtg0:feat:$GRO $want_gro
cdev del 'omtg*'
expect_ok "dev del omtg*"
check_gt "... and gets its own default back" "$base_veth_gro" omtg0:feat:$GRO

# A setting an interface that appears later cannot take is skipped and
# counted; the rest of the policy still applies. Where interfaces have a
# limit of their own on gso_max_size (tso_max_size, 6.0+), a size a dummy
# cannot take; before that every interface takes up to the kernel's
# GSO_MAX_SIZE (65536), so a feature a dummy cannot switch instead.
gt omtx0:link:tso_max_size
tso_max_dummy=$G
if [ "$tso_max_dummy" != none ]; then
	dn set 'omtw*' gso_max_size=100000 gro=0
	expect_ok "dev set omtw* gso-max-size 100000 (no interface yet)"
	ip link add omtw0 type dummy
	ip link add omtw1 type veth peer name omty1
	check "a new dummy gets the part it can take ($GRO off)" \
		busywait 20000 gt_is omtw0:feat:$GRO off
	check_gt "... but keeps gso_max_size (its tso_max_size is 65536)" \
		"$base_gso 65536" omtw0:link:gso_max_size omtw0:link:tso_max_size
	check "a new veth (tso_max_size 8 * 65535) gets gso_max_size 100000" \
		busywait 20000 gt_is omtw1:link:gso_max_size 100000
	dn get 'omtw*'
	check_j "dev get counts the one setting not applied" "1 omtw0,omtw1" \
		errors ifaces
else
	note "no tso_max_size on this kernel: interfaces have no gso_max_size limit of their own"
	dn set 'omtw*' rx_gro_hw=1 gro=0
	expect_ok "dev set omtw* rx-gro-hw on (no interface yet)"
	ip link add omtw0 type dummy
	check "a new dummy gets the part it can take ($GRO off)" \
		busywait 20000 gt_is omtw0:feat:$GRO off
	check_gt "... but not rx-gro-hw, which it cannot switch" off \
		omtw0:feat:rx-gro-hw
	dn get 'omtw*'
	check_j "dev get counts the one setting not applied" "1 omtw0" \
		errors ifaces
fi
dn del 'omtw*'
expect_ok "dev del omtw*"

# --- Interfaces that exist when the policy is set. ---
ip link add omte0 type veth peer name omtf0
cdev set 'omte*' tso off
expect_ok "dev set omte* tso off with omte0 present"
check_gt "applied at once to the existing interface, not to its peer" \
	"off on" omte0:feat:$TSO omtf0:feat:$TSO

# --- Refusals: an error naming the attribute, and nothing changes. ---
dn dump prefix=omt
before=$R
if [ "$have_ctl" = 1 ]; then
	cdev set 'omte*' rx-gro-hw on
	note "offloadmod-ctl dev set omte* rx-gro-hw on: $R"
	jf error
	err=$J
	jf msg
	if [ "$err" = "exit 2" ] && [[ $J == *"rx-gro-hw: "*"change it"* ]]; then
		ktap_ok "offloadmod-ctl: exit 2, the kernel's message on stderr"
	else
		ktap_fail "offloadmod-ctl: exit 2, the kernel's message on stderr"
	fi
fi
ifname_omte0=""
[ "$fmt_msgs" = 1 ] && ifname_omte0=omte0
dn set 'omte*' rx_gro_hw=1
expect_err "rx-gro-hw on, which veth cannot do: EOPNOTSUPP" EOPNOTSUPP \
	rx-gro-hw rx-gro-hw $ifname_omte0
dn set 'omte*' tso=1 lro=1
expect_err "tso on + lro on: refused for lro" EOPNOTSUPP lro lro $ifname_omte0
dn get 'omte*'
jf tso lro rx_gro_hw
gt omte0:feat:$TSO omte0:feat:rx-gro-hw
check_eq "the refused update changed neither the policy nor the device" \
	"0 none none off off" "$J $G"
dn set 'omtf*' lro=1 gro=1
expect_err "a new policy the interface cannot take: refused" EOPNOTSUPP lro lro
dn get 'omtf*'
jf error
gt omtf0:feat:$GRO
check_eq "... and not created; the peer's $GRO untouched" \
	"ENOENT $base_veth_gro" "$J $G"

ip link add omtd0 type dummy
if [ "$tso_max_dummy" != none ]; then
	dn set 'omtd*' gso_max_size=$((tso_max_dummy + 1))
	expect_err "gso-max-size above the dummy's tso_max_size ($tso_max_dummy): ERANGE" \
		ERANGE gso-max-size gso-max-size
	dn get 'omtd*'
	jf error
	gt omtd0:link:gso_max_size
	check_eq "... its gso_max_size unchanged, no policy" "ENOENT $base_gso" "$J $G"
	# The kernel's GSO_MAX_SIZE is 8 * 65535; the attribute allows 524288.
	gso_kmax=$((8 * 65535))
else
	ktap_skip "gso-max-size above a dummy's own limit: ERANGE" \
		"no per-interface tso_max_size on this kernel ($(uname -r))"
	# GSO_MAX_SIZE is 65536 before 5.19, for every interface.
	gso_kmax=65536
	dn set 'omtd*' gso_max_size=$((gso_kmax + 1))
	expect_err "gso-max-size above the kernel's limit $gso_kmax: ERANGE" \
		ERANGE gso-max-size gso-max-size
	dn get 'omtd*'
	jf error
	gt omtd0:link:gso_max_size
	check_eq "... its gso_max_size unchanged, no policy" "ENOENT $base_gso" "$J $G"
fi
dn set 'omtk*' gso_max_size=524288
expect_err "gso-max-size 524288, above the kernel's limit $gso_kmax: ERANGE" \
	ERANGE gso-max-size gso-max-size
dn set 'omtk*' gso_max_size=600000
expect_err "gso-max-size out of the attribute's range" ERANGE gso-max-size
dn set 'omtk*' gso_max_size=0
expect_err "gso-max-size 0" ERANGE gso-max-size
dn set 'omtk*' napi_defer_hard_irqs=2147483648
expect_err "napi-defer-hard-irqs above S32_MAX" ERANGE napi-defer-hard-irqs
dn set 'omtk*' gro=2
expect_err "a feature value other than 0/1" ERANGE gro
# What this kernel lacks: refused, naming the attribute, nothing created.
if [ ${#unsupported[@]} = 0 ]; then
	ktap_skip "a setting this kernel lacks is refused" \
		"this kernel has every interface setting"
fi
for v in "${unsupported[@]}"; do
	dn set 'omtk*' gro=0 "${v//-/_}=1"
	expect_err "$v: refused as not supported on this kernel" \
		EOPNOTSUPP "$v" "$v" "not supported on this kernel"
	dn get 'omtk*'
	check_j "... and no policy was created" ENOENT error
done
long=omt$(printf 'x%.0s' {1..60})'*'		# 64 characters
dn set "$long" gro=0
expect_err "a 64-character pattern" EINVAL pattern
long=omt$(printf 'x%.0s' {1..59})'*'		# 63
dn set "$long" gro=0
expect_ok "a 63-character pattern is fine"
dn del "$long"
expect_ok "... and deleted"
dn set '' gro=0
expect_err "an empty pattern" EINVAL pattern "pattern: must not be empty"
dn set - gro=0
expect_err "no pattern" EINVAL - "pattern is required"
dn set 'omtk*' gro=0 a99=u32:1
expect_err "an unknown attribute type" EINVAL type99 "Unknown attribute type"
dn set 'omtk*' gro=0 raw_iface=str:eth0
expect_err "an output-only attribute (iface)" EINVAL iface iface
dn set 'omtk*'
expect_err "a new policy with no setting" EINVAL - "at least one setting"
dn del 'omtk*'
expect_err "dev del of an unknown pattern: ENOENT" ENOENT pattern \
	"no interface policy"
dn set 'omtk*' gro=0 netns_fd=9999
expect_err "netns-fd that is not open: EBADF" EBADF netns-fd netns-fd
dn set 'omtk*' gro=0 "netns=$UAPI_HEADER"
expect_err "netns-fd of a file that is no namespace: EINVAL" EINVAL \
	netns-fd netns-fd
dn del 'omte*' netns_fd=9999
expect_err "dev del with a bad netns-fd" EBADF netns-fd netns-fd
dn dump prefix=omt
check_eq "after every refusal the policies are as before" "$before" "$R"

# --- Limits as rtnetlink's, with `ip link set` as the reference. ---
# The smallest gso_max_size rtnetlink takes (MAX_TCP_HEADER + 1, which
# depends on the kernel's configuration: 321 on Debian's kernels and the
# debug one), found by asking it; 0 where it has no minimum (5.10, where
# the module keeps the minimum of the header it was built against).
ip link add omtl0 type dummy
gso_lo=0 gso_kmin=65536
ip link set omtl0 gso_max_size 0 2>/dev/null && gso_kmin=0
while [ $((gso_kmin - gso_lo)) -gt 1 ]; do
	v=$(((gso_lo + gso_kmin) / 2))
	if ip link set omtl0 gso_max_size $v 2>/dev/null; then
		gso_kmin=$v
	else
		gso_lo=$v
	fi
done
ip link set omtl0 gso_max_size 65536
min_txt=""
if [ "$gso_kmin" -gt 1 ]; then
	note "rtnetlink's smallest gso_max_size: $gso_kmin"
	[ "$fmt_msgs" = 1 ] && min_txt="minimum $gso_kmin"
	dn set 'omtl*' gso_max_size=$((gso_kmin - 1))
	expect_err "gso-max-size $((gso_kmin - 1)), which ip link refuses: ERANGE" \
		ERANGE gso-max-size gso-max-size minimum $min_txt
	gso_ok=$gso_kmin
else
	note "rtnetlink takes any gso_max_size on $(uname -r); TCP underflows below MAX_TCP_HEADER + 1 all the same"
	gso_ok=16384
fi
if [ "$gso_kmin" = 0 ] || [ "$gso_kmin" -gt 256 ]; then
	dn set 'omtl*' gso_max_size=256
	expect_err "gso-max-size 256 (issue 13: was accepted): ERANGE" \
		ERANGE gso-max-size gso-max-size minimum $min_txt
else
	ktap_skip "gso-max-size 256: ERANGE" \
		"this kernel's minimum is $gso_kmin: 256 is a valid size here"
fi
dn get 'omtl*'
jf error
gt omtl0:link:gso_max_size
check_eq "... no policy, omtl0's gso_max_size unchanged" "ENOENT 65536" "$J $G"
dn set 'omtl*' gso_max_size=$gso_ok
expect_ok "gso-max-size $gso_ok$([ "$gso_ok" = "$gso_kmin" ] && echo ", the smallest ip link takes")"
check_gt "... applied" "$gso_ok" omtl0:link:gso_max_size
dn set 'omtl*' gro=0 gso_max_size=256
expect_err "an update with gro off and gso-max-size 256: ERANGE" \
	ERANGE gso-max-size gso-max-size
dn get 'omtl*'
jf gro gso_max_size
gt omtl0:feat:$GRO omtl0:link:gso_max_size
check_eq "... neither the policy nor omtl0 changed" "none $gso_ok on $gso_ok" \
	"$J $G"
# gro_max_size: at most GRO_MAX_SIZE (8 * 65535). rtnetlink refuses more on
# 6.12 and 7.2; 6.1 takes any value, the module keeps the bound there too.
if have_val gro-max-size; then
	gro_kmax=$((8 * 65535))
	ip link set omtl0 gro_max_size $((gro_kmax + 1)) 2>/dev/null &&
		note "ip link takes gro_max_size $((gro_kmax + 1)) on $(uname -r)"
	ip link set omtl0 gro_max_size 65536
	dn set 'omtl*' gro_max_size=$((gro_kmax + 1))
	expect_err "gro-max-size $((gro_kmax + 1)), above GRO_MAX_SIZE: ERANGE" \
		ERANGE gro-max-size gro-max-size
	dn set 'omtl*' gro_max_size=$gro_kmax
	expect_ok "gro-max-size $gro_kmax"
	check_gt "... applied" $gro_kmax omtl0:link:gro_max_size
else
	ktap_skip "gro-max-size bounds" \
		"$(om_unsupported_reason dev.gro-max-size)"
fi
dn del 'omtl*'
expect_ok "dev del omtl*"
check_gt "... restores omtl0" "65536 $base_gro_max" omtl0:link:gso_max_size \
	omtl0:link:gro_max_size

# --- A restore puts back only what is still the policy's, clamped. ---
# The administrator changes a value and a feature while the policy is in
# place: dev del leaves theirs. GRO is off before the policy (which turns
# it off too) and on after the administrator: a restore that put back the
# recorded "off" would undo their change.
ip link add omta0 type veth peer name omtap0
ethtool -K omta0 gro off
a_args=(gso_max_size=16384 gro=0) a_want="30000 on"
if have_val gro-flush-timeout; then
	a_args+=(gro_flush_timeout=20000)
	a_want+=" 50000"
fi
dn set 'omta*' "${a_args[@]}"
expect_ok "dev set omta* gso-max-size 16384 gro off ..."
ip link set omta0 gso_max_size 30000
ethtool -K omta0 gro on
have_val gro-flush-timeout && echo 50000 >/sys/class/net/omta0/gro_flush_timeout
dn del 'omta*'
expect_ok "the administrator changes omta0, then dev del omta*"
a_specs=(omta0:link:gso_max_size omta0:feat:$GRO)
have_val gro-flush-timeout && a_specs+=(omta0:sys:gro_flush_timeout)
check_gt "... leaves the administrator's values and $GRO" "$a_want" \
	"${a_specs[@]}"
# ... and a policy updated after such a change overrides the
# administrator's value, which is then what goes back.
ip link set omta0 gso_max_size 65536
dn set 'omta*' gso_max_size=16384
ip link set omta0 gso_max_size 30000
dn set 'omta*' gso_max_size=20000
check_gt "the administrator sets 30000, the policy is updated to 20000" \
	20000 omta0:link:gso_max_size
dn del 'omta*'
check_gt "... dev del puts back 30000, not what was there first" 30000 \
	omta0:link:gso_max_size
# A bridge's tso_max_size is its ports' smallest (6.0+): a dummy port
# (65536) joining lowers it below the value from before the policy.
if [ "$tso_max_dummy" != none ]; then
	ip link add omtc0 type bridge
	ip link add omtcv0 type veth peer name omtcp0
	ip link set omtcv0 master omtc0
	ip link set omtc0 gso_max_size 100000
	check_gt "a bridge with a veth port: gso_max_size 100000 (tso_max_size)" \
		"100000 $((8 * 65535))" omtc0:link:gso_max_size \
		omtc0:link:tso_max_size
	dn set omtc0 gso_max_size=16384
	expect_ok "dev set omtc0 gso-max-size 16384"
	ip link add omtcd0 type dummy
	ip link set omtcd0 master omtc0
	check_gt "a dummy port joins: tso_max_size 65536" "16384 65536" \
		omtc0:link:gso_max_size omtc0:link:tso_max_size
	dn del omtc0
	expect_ok "dev del omtc0"
	check_gt "... gso_max_size back to 100000 clamped to tso_max_size" \
		"65536 65536" omtc0:link:gso_max_size omtc0:link:tso_max_size
else
	ktap_skip "a restore is clamped to a bridge's lowered tso_max_size" \
		"no tso_max_size on $(uname -r): a bridge's gso_max_size itself is its ports' smallest"
fi

# --- Permissions: mutating needs CAP_NET_ADMIN in the initial userns. ---
dn nobody set 'omte*' tso=1
expect_err "unprivileged dev set: EPERM" EPERM -
dn nobody del 'omte*'
expect_err "unprivileged dev del: EPERM" EPERM -
dn userns set 'omte*' tso=1
expect_err "root of a new user namespace, dev set: EPERM" EPERM -
dn nobody get 'omte*'
jf tso
gt omte0:feat:$TSO
check_eq "unprivileged dev get works; the policy is unchanged" "0 off" "$J $G"

# --- Reads are scoped to the caller's network namespace. ---
# A tenant: nobody, in a user and network namespace of its own (unshare
# -Urn), with policies in its namespace set by root (omtt* and 80 more,
# interleaved with 8 of the host's). It sees its own, in a dump of several
# parts, and not the host's (omte*, omth*), also not by naming the host's
# namespace with a netns-fd it opened before unsharing; root sees all.
dn tenant 'omtt*' 'omte*' 80
note "tenant: $R"
jf exception
if [ "$J" != none ]; then
	ktap_skip "a tenant sees only its own namespace's policies" \
		"cannot unshare a user and network namespace as nobody: $J"
else
	check_j "root set omtt* and 80 more in the tenant's namespace, 8 in its own, and sees all" \
		"0 omte*,omtt* true" set_failed root_dump root_sees_all
	jf dump_parts
	check_eq "the tenant's dump comes in parts" yes \
		"$([ "$J" -ge 2 ] 2>/dev/null && echo yes)"
	check_j "... with only its own namespace's policies, each once, in order" \
		"omtt* 0 true" dump dump_err dump_own_in_order
	check_j "the tenant's dev get: its own policy, not the host's" \
		"omtt* 0 ENOENT" own own_gro host
	check_j "the tenant's dev get with a netns-fd of the host: EPERM" \
		"EPERM netns-fd" host_fd host_fd_attr
	check_j "the tenant's dump with a netns-fd of the host: EPERM" \
		"'' EPERM" dump_fd dump_fd_err
	# Its namespace is freed in the background; the dumps further down
	# must not see the table change under them.
	tenant_gone() { dn dump prefix=omtt; jf count; [ "$J" = 0 ]; }
	check "the tenant's policies go with its namespace" \
		busywait 30000 tenant_gone
fi
if [ "$have_ctl" = 1 ] && command -v unshare >/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -Urn "$OFFLOADMOD_CTL" -j dev show 2>&1)
	rc=$?
	note "unshare -Urn offloadmod-ctl -j dev show: exit $rc: $out"
	if [ "$rc" = 0 ] && [[ $out != *omt* ]]; then
		ktap_ok "unshare -Urn offloadmod-ctl -j dev show: no host policy"
	elif [[ $out == *"Operation not permitted"* && $out == *unshare* ]]; then
		ktap_skip "unshare -Urn offloadmod-ctl -j dev show" \
			"cannot unshare as nobody"
	else
		ktap_fail "unshare -Urn offloadmod-ctl -j dev show: no host policy"
	fi
else
	ktap_skip "unshare -Urn offloadmod-ctl -j dev show" \
		"offloadmod-ctl with dev not built, or no unshare"
fi
dn del 'omte*'
expect_ok "dev del omte*"
check_gt "... restores omte0" on omte0:feat:$TSO

# --- Another namespace, through netns-fd. ---
ip netns add "$ns"
nsfile=/run/netns/$ns
inum=$(stat -L -c %i "$nsfile")
ip -n "$ns" link add omtn0 type veth peer name omtnp0
ip link add omtn9 type dummy		# same name pattern, caller's netns
dn set 'omtn*' "netns=$nsfile" tso=0
expect_ok "dev set omtn* in a netns given by netns-fd"
check_gt "applied in that namespace, not in the caller's" "off on" \
	"$ns/omtn0:feat:$TSO" omtn9:feat:$TSO
dn get 'omtn*'
check_j "no such policy in the caller's namespace" ENOENT error
dn get 'omtn*' "netns=$nsfile"
check_j "dev get with netns-fd: its inode number and interfaces" \
	"$inum omtn0,omtnp0" netns_inum ifaces
dn dump "netns=$nsfile"
check_j "a dump filtered by netns-fd shows it" "1 $inum" count inums
ip -n "$ns" link add omtn1 type dummy
check "an interface created in that namespace gets it" \
	busywait 20000 gt_is "$ns/omtn1:feat:$TSO" off

ip link add omtm0 type veth peer name omtmp0
# A dummy too: on 6.15+ the core runs its ops under its instance lock, and
# moving it must not deadlock the restore.
ip link add omtmd0 type dummy
dn set 'omtm*' tso=0 gro=0
expect_ok "dev set omtm* tso off gro off"
check_gt "... applied to both" "off off" omtm0:feat:$TSO omtmd0:feat:$GRO
ip link set omtm0 netns "$ns"
ip link set omtmd0 netns "$ns"
check_gt "interfaces moved to another namespace are restored there" \
	"on on" "$ns/omtm0:feat:$TSO" "$ns/omtmd0:feat:$GRO"
dn get 'omtm*'
check_j "... and no longer listed by their old policy" omtmp0 ifaces
dn del 'omtm*'
expect_ok "dev del omtm*"

ip netns del "$ns"
ns_gone() { dn dump prefix=omtn; jf count; [ "$J" = 0 ]; }
check "the policy goes with its namespace (dump no longer shows it)" \
	busywait 30000 ns_gone
ip link del omtn9

# --- Notifications to the monitor group. ---
dn monitor 'omtz*' gro=0
check_j "dev set and dev del are announced (DEV_NTF, DEV_DEL_NTF)" \
	DEV_NTF,DEV_DEL_NTF seen

# --- A dump larger than one message batch resumes where it stopped. ---
ip netns add "$ns2"
dn bulk 120 omtb "netns=/run/netns/$ns2" gro=0
note "bulk: $R"
jf failed err parts
read -r failed err parts <<<"$J"
check_eq "120 policies in another namespace, dumped in 3+ parts" "0 0 yes" \
	"$failed $err $([ "$parts" -ge 3 ] 2>/dev/null && echo yes)"
check_j "the resumed dump returns every policy once, in order" true \
	all_once_in_order
check_j "an undisturbed dump is not flagged interrupted" false \
	intr_undisturbed
check_j "a change after the first part flags the rest NLM_F_DUMP_INTR" true \
	intr_after_change
check_j "all deleted again" 0 del_failed
ip netns del "$ns2"

# --- Unloading restores what the policies changed. ---
if can_reload; then
	ip link add omtu0 type veth peer name omtup0
	dn set 'omtu*' tso=0 gso_max_size=16384
	expect_ok "dev set omtu* tso off gso-max-size 16384"
	check_gt "applied" "off 16384" omtu0:feat:$TSO omtu0:link:gso_max_size
	# The helper's socket is closed before the unload.
	srv_pid=$devnl_srv_PID srv_in=${devnl_srv[1]}
	exec {srv_in}>&-
	wait "$srv_pid" 2>/dev/null
	patterns=()
	if om_unload; then
		check_gt "after rmmod the interface is restored" "on $base_gso" \
			omtu0:feat:$TSO omtu0:link:gso_max_size
		om_load || ktap_fail "load the module again"
	else
		ktap_fail "rmmod with a policy in place"
	fi
else
	ktap_skip "unload restores" "no module file to load again"
fi
ktap_finish
