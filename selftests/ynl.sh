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
ktap_finish
