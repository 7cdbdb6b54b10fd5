#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL tools (tools/net/ynl from linux-source-6.12): the CLI
# validates uapi/offloadmod.yaml against the genetlink schema and calls every
# operation, ynl-gen-c renders the uapi header from the spec and its numbers
# must be those of uapi/linux/offloadmod.h, and notifications of the monitor
# group decode.
. "$(dirname "$0")/lib.sh"
require_root
ynl=${OFFLOADMOD_KERNEL_TOOLS:-}
[ -n "$ynl" ] || ynl=$("$repo/tools/kernel-tools" 2>/dev/null) ||
	skip_all "ynl not available (linux-source-6.12 not installed)"
"$PYTHON" -c 'import yaml, jsonschema' 2>/dev/null ||
	skip_all "python3-yaml and python3-jsonschema needed"
om_ensure_loaded
ktap_header
spec=$repo/uapi/offloadmod.yaml
schema=$ynl/Documentation/netlink/genetlink.yaml
gen=$(mktemp -d)
cg=omst-ynl-$$
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	rm -rf "$gen"
	[ -d "$cgroup_root/$cg" ] && rmdir "$cgroup_root/$cg"
	ip link del omynl0 2>/dev/null
	om_restore
}
trap cleanup EXIT

# The spec describes exactly the header: ynl-gen-c (which wants to live in a
# kernel tree: it looks for MAINTAINERS) renders its uapi header, and every
# number in it must be the header's, and every number of the header in it.
# That needs no kernel: it is left to the other kernels on the (slow) debug
# one.
if [ "${OFFLOADMOD_VM_KERNEL:-}" = debug ]; then
	ktap_skip "the uapi header ynl-gen-c renders from the spec is the header" \
		"kernel-independent, checked on the other kernels"
else
	mkdir -p "$gen/specs" && touch "$gen/MAINTAINERS" &&
		cp "$spec" "$gen/specs/offloadmod.yaml" && cp "$schema" "$gen/genetlink.yaml"
	"$PYTHON" "$ynl/tools/net/ynl/ynl-gen-c.py" --mode uapi --header \
		--spec "$gen/specs/offloadmod.yaml" -o "$gen/offloadmod.h" >"$gen/log" 2>&1
	check_eq "ynl-gen-c renders a uapi header from the spec" 0 $?
	sed 's/^/# /' "$gen/log" | head -5
	# Two lines: numbers that differ, numbers of the header missing in the spec.
	cmp=$("$PYTHON" - "$here" "$gen/offloadmod.h" "$UAPI_HEADER" <<'PY' 2>&1
import sys
sys.path.insert(0, sys.argv[1])
import uapi_consts
gen, hdr = uapi_consts.parse(sys.argv[2]), uapi_consts.parse(sys.argv[3])
print(sorted("%s=%s/%s" % (k, gen[k], hdr.get(k)) for k in gen if gen[k] != hdr.get(k)))
# UNSPEC (0) and the stage count are the header's own.
print(sorted(k for k in hdr if k not in gen and not k.endswith("_UNSPEC")
             and k != "OFFLOADMOD_STAGE_COUNT"))
PY
)
	check_eq "every number the spec defines is the header's" "[]" "$(sed -n 1p <<<"$cmp")"
	check_eq "every number of the header is in the spec" "[]" "$(sed -n 2p <<<"$cmp")"
	check "the spec's monitor group is the header's" \
		grep -q "^#define OFFLOADMOD_MCGRP_MONITOR[[:space:]]*\"$(sed -n 's/^#define OFFLOADMOD_MCGRP_MONITOR[[:space:]]*"\(.*\)".*/\1/p' "$UAPI_HEADER")\"" \
		"$gen/offloadmod.h"
fi

out=$("$PYTHON" "$ynl/tools/net/ynl/cli.py" --spec "$spec" --schema "$schema" \
	--do get-status --output-json 2>&1)
check_eq "ynl --do get-status exits 0" 0 $?
echo "$out" | head -c 600 | sed 's/^/# /'; echo
get() { "$PYTHON" -c "import json,sys; print(json.load(sys.stdin)$1)" <<<"$out" 2>&1; }
check_eq "ynl decodes module-version" "$(cat "$repo/VERSION")" "$(get "['module-version']")"
check_eq "ynl decodes kernel-release" "$(uname -r)" "$(get "['kernel-release']")"
check_eq "ynl decodes uapi-version" "$(uapi_const OFFLOADMOD_FAMILY_VERSION)" \
	"$(get "['uapi-version']")"
all_fields=$("$PYTHON" -c "import json, sys
hooks = json.load(sys.stdin)['hook']
print(all(set(h) == {'name', 'available', 'attached', 'invocations'} for h in hooks))" <<<"$out" 2>&1)
check_eq "ynl decodes every hook with all four fields" True "$all_fields"
nh=$(grep -c '^hook ' /sys/kernel/offloadmod/status)
check_eq "ynl sees as many hooks as sysfs" "$nh" "$(get "['hook'].__len__()")"

# stats-get: do for the root cgroup (id 1, always tracked: kernel threads
# run there), dump for all; the spec must decode every stage.
out=$("$PYTHON" "$ynl/tools/net/ynl/cli.py" --spec "$spec" --schema "$schema" \
	--do stats-get --json '{"cgroup-id": 1}' --output-json 2>&1)
check_eq "ynl --do stats-get exits 0" 0 $?
check_eq "ynl decodes the root cgroup's id" 1 "$(get "['cgroup-id']")"
check_eq "ynl decodes five stages" 5 "$(get "['stage'].__len__()")"
stage_keys=$("$PYTHON" -c "import json, sys
st = json.load(sys.stdin)['stage']
print(all({'id', 'count', 'sum-ns', 'untimed'} <= set(s) for s in st))" <<<"$out" 2>&1)
check_eq "ynl decodes id, count, sum-ns, untimed of every stage" True "$stage_keys"
out=$("$PYTHON" "$ynl/tools/net/ynl/cli.py" --spec "$spec" --schema "$schema" \
	--dump stats-get --output-json 2>&1)
check_eq "ynl --dump stats-get exits 0" 0 $?
ndump=$("$PYTHON" -c "import json, sys; print(len(json.load(sys.stdin)))" <<<"$out" 2>&1)
check "ynl dump returns every tracked cgroup (>= 1)" test "${ndump:-0}" -ge 1 2>/dev/null

# Policies: every operation, and the notifications they cause on the monitor
# group, through the ynl library in one process (a Python start alone takes
# seconds on the debug kernel): one YnlFamily sends the requests, a second
# one is subscribed to monitor. (The CLI cannot do both at once on 6.12: a
# notification read while it waits for the ACK makes it fail.) The spec was
# validated by the calls above, so it is not validated again. The process
# prints KEY=VALUE lines for the checks.
if [ ! -f "$cgroup_root/cgroup.procs" ]; then
	ktap_skip "ynl policy and dev operations" "no cgroup v2 hierarchy at $cgroup_root"
	ktap_finish
fi
cg_create "$cg"
id=$(cg_id "$cg")
inum=$(stat -L -c %i /proc/self/ns/net)
ip link add omynl0 type veth peer name omynl1 2>/dev/null
out=$("$PYTHON" - "$ynl/tools/net/ynl" "$spec" "$id" <<'PY' 2>&1
import json, sys
sys.path.insert(0, sys.argv[1])
from lib import NlError, YnlFamily
spec, cg = sys.argv[2], int(sys.argv[3])
ops = YnlFamily(spec, "")
mon = YnlFamily(spec, "")
mon.ntf_subscribe("monitor")
r = {}
def run(key, fn):
    try:
        r[key] = fn()
        print("ok %s=True" % key)
    except NlError as e:
        r[key] = None
        print("ok %s=%s" % (key, str(e).splitlines()[0]))
run("policy-set", lambda: ops.do("policy-set", {"cgroup-id": cg, "gso": 0,
                                                "gso-max-size": 16384, "mode": "audit"}))
run("policy-get", lambda: ops.do("policy-get", {"cgroup-id": cg}))
run("policy-get dump", lambda: ops.dump("policy-get", {}))
run("policy-del", lambda: ops.do("policy-del", {"cgroup-id": cg}))
run("dev-set", lambda: ops.do("dev-set", {"pattern": "omynl*", "gro": 0}))
run("dev-get", lambda: ops.do("dev-get", {"pattern": "omynl*"}))
run("dev-get dump", lambda: ops.dump("dev-get", {}))
run("dev-del", lambda: ops.do("dev-del", {"pattern": "omynl*"}))
mon.check_ntf()
p, d = r["policy-get"] or {}, r["dev-get"] or {}
print("policy-get=%s %s %s %s" % (p.get("cgroup-id"), p.get("gso"),
                                  p.get("gso-max-size"), p.get("mode")))
print("policy-dump=%s" % any(x["cgroup-id"] == cg for x in r["policy-get dump"] or []))
print("dev-get=%s %s %s" % (d.get("netns-inum"), d.get("pattern"), d.get("gro")))
ifs = d.get("iface", [])
print("dev-ifaces=%s" % sorted(ifs if isinstance(ifs, list) else [ifs]))
print("dev-dump=%s" % any(x["pattern"] == "omynl*" for x in r["dev-get dump"] or []))
q = mon.async_msg_queue
print("ntfs=%s" % " ".join(n["name"] for n in q))
for name, field in (("policy-ntf", "cgroup-id"), ("policy-ntf", "mode"),
                    ("policy-del-ntf", "cgroup-id"), ("dev-ntf", "netns-inum"),
                    ("dev-ntf", "pattern"), ("dev-del-ntf", "pattern")):
    m = [n["msg"] for n in q if n["name"] == name]
    print("%s.%s=%s" % (name, field, m[0].get(field, "none") if m else "none"))
print("raw=%s" % json.dumps(q)[:800])
PY
)
declare -A R
while IFS='=' read -r k v; do R[$k]=$v; done <<<"$out"
grep -v '^[a-z]' <<<"$out" | head -20 | sed 's/^/# /'
note "notifications: ${R[raw]:-}"
if [ "${R[ok policy-set]:-}" = "Netlink error: Operation not supported" ]; then
	ktap_skip "ynl policy and dev operations" "the module does not implement them (EOPNOTSUPP)"
	ktap_finish
fi
for op in policy-set policy-get "policy-get dump" policy-del dev-set dev-get \
	  "dev-get dump" dev-del; do
	check_eq "ynl $op: no error" True "${R[ok $op]:-none}"
done
check_eq "ynl decodes policy-get: cgroup-id gso gso-max-size mode" "$id 0 16384 audit" \
	"${R[policy-get]:-}"
check_eq "ynl policy-get dump lists the policy" True "${R[policy-dump]:-}"
check_eq "ynl decodes dev-get: netns-inum pattern gro" "$inum omynl* 0" "${R[dev-get]:-}"
check_eq "ynl decodes dev-get: iface lists both veth ends" "['omynl0', 'omynl1']" \
	"${R[dev-ifaces]:-}"
check_eq "ynl dev-get dump lists the policy" True "${R[dev-dump]:-}"
check_eq "ynl decodes the notifications in order" \
	"policy-ntf policy-del-ntf dev-ntf dev-del-ntf" "${R[ntfs]:-}"
check_eq "policy-ntf: cgroup-id" "$id" "${R[policy-ntf.cgroup-id]:-}"
check_eq "policy-ntf: mode" audit "${R[policy-ntf.mode]:-}"
check_eq "policy-del-ntf: cgroup-id" "$id" "${R[policy-del-ntf.cgroup-id]:-}"
check_eq "dev-ntf: netns-inum" "$inum" "${R[dev-ntf.netns-inum]:-}"
check_eq "dev-ntf: pattern" "omynl*" "${R[dev-ntf.pattern]:-}"
check_eq "dev-del-ntf: pattern" "omynl*" "${R[dev-del-ntf.pattern]:-}"
ktap_finish
