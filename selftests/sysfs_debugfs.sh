#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /sys/kernel/offloadmod and debugfs offloadmod/ against outside ground truth.
. "$(dirname "$0")/lib.sh"
require_root
om_ensure_loaded
trap om_restore EXIT
ktap_header
s=/sys/kernel/offloadmod

check_eq "version is the VERSION file's" "$(cat "$repo/VERSION")" "$(cat $s/version)"
check_eq "uapi_version matches the header" "$(uapi_const OFFLOADMOD_FAMILY_VERSION)" \
	"$(cat $s/uapi_version)"
field() { awk -v k="$1" '$1 == k { print $2 }' $s/status; }
check_eq "status: module_version" "$(cat "$repo/VERSION")" "$(field module_version)"
check_eq "status: kernel_release is uname -r" "$(uname -r)" "$(field kernel_release)"
check_eq "status: max_cgroups is the parameter" \
	"$(cat /sys/module/offloadmod/parameters/max_cgroups)" "$(field max_cgroups)"

tracefs=/sys/kernel/tracing
[ -d $tracefs/events ] || tracefs=/sys/kernel/debug/tracing
nhooks=0
while read -r _ name _ avail _ attached _ count; do
	nhooks=$((nhooks + 1))
	want=0
	# The netfilter_* hooks are netfilter hooks, not tracepoints: there
	# whenever the kernel has netfilter (and IPv6, for the IPv6 one).
	case $name in
	netfilter_ipv4_*) [ -d /proc/net/netfilter ] && want=1 ;;
	netfilter_ipv6_*) [ -d /proc/net/netfilter ] && [ -d /proc/sys/net/ipv6 ] &&
		want=1 ;;
	*) ls -d $tracefs/events/*/"$name" >/dev/null 2>&1 && want=1 ;;
	esac
	check_eq "hook $name availability matches the kernel (tracefs, netfilter)" \
		"$want" "$avail"
	check_eq "hook $name attached when available" "$avail" "$attached"
	check "hook $name invocation count is a number" test "$count" -ge 0
done < <(grep '^hook ' $s/status)
check "status lists hooks" test "$nhooks" -gt 0

check "sysfs files are read-only" sh -c "! echo 1 2>/dev/null > $s/version" 2>/dev/null

d=/sys/kernel/debug/offloadmod
if [ -d /sys/kernel/debug/offloadmod ]; then
	ktap_ok "debugfs directory offloadmod/ exists"
	ncpu=$(head -1 $d/hooks | grep -o 'cpu[0-9]*' | wc -l)
	check "debugfs hooks has a column per possible CPU" \
		test "$ncpu" -ge "$(nproc)"
	# Per-CPU columns must add up to the total column, and the totals
	# must be no less than the status summary read before them.
	check "debugfs per-CPU counts add up to the total" \
		awk 'NR > 1 { s = 0; for (i = 2; i < NF; i++) s += $i;
		      if (s != $NF) bad = 1 } END { exit bad }' $d/hooks
	check_eq "debugfs lists the same hooks as sysfs" \
		"$(grep '^hook ' $s/status | awk '{print $2}' | sort | tr '\n' ' ')" \
		"$(awk 'NR > 1 {print $1}' $d/hooks | sort | tr '\n' ' ')"
else
	ktap_skip "debugfs offloadmod/" "debugfs not mounted"
fi
ktap_finish
