#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload offloadmod repeatedly; bad parameters refuse the load.
. "$(dirname "$0")/lib.sh"
require_root
can_reload || skip_all "no module to load (set OFFLOADMOD_KO or install it)"
module_loaded && skip_all "offloadmod is already loaded by someone else"
ktap_header

for i in 1 2 3; do
	check "load #$i" om_load
	check "sysfs directory present after load #$i" test -d /sys/kernel/offloadmod
	check "unload #$i" om_unload
	check "sysfs directory gone after unload #$i" test ! -e /sys/kernel/offloadmod
done

for bad in max_cgroups=0 max_cgroups=1048577 max_cgroups=abc; do
	dmesg -C 2>/dev/null
	if om_load "$bad" 2>/dev/null; then
		ktap_fail "load with $bad refused"
		om_unload
	else
		ktap_ok "load with $bad refused"
	fi
	check "refusal of $bad names the parameter in the kernel log" \
		sh -c 'dmesg | grep -q max_cgroups'
done

check "load with max_cgroups=1 accepted" om_load max_cgroups=1
check_eq "max_cgroups parameter reads back" 1 \
	"$(cat /sys/module/offloadmod/parameters/max_cgroups 2>/dev/null)"
check "unload" om_unload
check "load with attach_hooks=0" om_load attach_hooks=0
check_eq "no hook attached with attach_hooks=0" 0 \
	"$(awk '$1 == "hook" && $6 == 1' /sys/kernel/offloadmod/status | wc -l)"
check "unload" om_unload
ktap_finish
