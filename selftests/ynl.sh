#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own YNL CLI (tools/net/ynl from linux-source-6.12) validates
# uapi/offloadmod.yaml against the genetlink schema and calls get-status.
. "$(dirname "$0")/lib.sh"
require_root
ynl=${OFFLOADMOD_KERNEL_TOOLS:-}
[ -n "$ynl" ] || ynl=$("$repo/tools/kernel-tools" 2>/dev/null) ||
	skip_all "ynl not available (linux-source-6.12 not installed)"
"$PYTHON" -c 'import yaml, jsonschema' 2>/dev/null ||
	skip_all "python3-yaml and python3-jsonschema needed"
om_ensure_loaded
trap om_restore EXIT
ktap_header
spec=$repo/uapi/offloadmod.yaml
schema=$ynl/Documentation/netlink/genetlink.yaml

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
ktap_finish
