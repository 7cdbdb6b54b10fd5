#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the offloadmod selftests: KTAP output, locating the module
# and offloadmod-ctl, container-like network namespaces. Sourced by each test.

ksft_skip=4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

# The module under test: OFFLOADMOD_KO (a built offloadmod.ko) if given,
# otherwise the build tree for the kernel the VM harness says it booted,
# otherwise whatever modprobe finds (an installed module).
if [ -z "${OFFLOADMOD_KO:-}" ] && [ -n "${OFFLOADMOD_VM_KERNEL:-}" ] &&
   [ -f "$repo/build/$OFFLOADMOD_VM_KERNEL/kmod/offloadmod.ko" ]; then
	OFFLOADMOD_KO=$repo/build/$OFFLOADMOD_VM_KERNEL/kmod/offloadmod.ko
fi
if [ -z "${OFFLOADMOD_CTL:-}" ]; then
	if [ -x "$repo/userspace/offloadmod-ctl" ]; then
		OFFLOADMOD_CTL=$repo/userspace/offloadmod-ctl
	else
		OFFLOADMOD_CTL=$(command -v offloadmod-ctl || echo offloadmod-ctl)
	fi
fi
PYTHON=${PYTHON:-/usr/bin/python3}
UAPI_HEADER=${UAPI_HEADER:-$repo/uapi/linux/offloadmod.h}

ktap_n=0
ktap_failed=0
ktap_skipped=0
ktap_passed=0

ktap_header() { echo "TAP version 13"; }

ktap_ok() {
	ktap_n=$((ktap_n + 1)); ktap_passed=$((ktap_passed + 1))
	echo "ok $ktap_n $*"
}

ktap_fail() {
	ktap_n=$((ktap_n + 1)); ktap_failed=$((ktap_failed + 1))
	echo "not ok $ktap_n $*"
}

ktap_skip() {
	ktap_n=$((ktap_n + 1)); ktap_skipped=$((ktap_skipped + 1))
	echo "ok $ktap_n $1 # SKIP ${2:-}"
}

# check DESCRIPTION COMMAND...: one result line from a command's status.
check() {
	local desc=$1; shift
	if "$@"; then ktap_ok "$desc"; else ktap_fail "$desc"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		echo "# $1: expected '$2', got '$3'"
		ktap_fail "$1"
	fi
}

ktap_finish() {
	echo "# passed $ktap_passed, failed $ktap_failed, skipped $ktap_skipped"
	[ "$ktap_failed" = 0 ] || exit 1
	[ "$ktap_passed" != 0 ] || [ "$ktap_skipped" = 0 ] || exit $ksft_skip
	exit 0
}

# Skip the whole test (before any result) with a reason.
skip_all() {
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

require_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "needs $c"
	done
}

module_loaded() { [ -d /sys/module/offloadmod ]; }

# Tests that load and unload need a module file (or an installed module)
# and a kernel where it is not already in use by someone else.
can_reload() {
	[ -n "${OFFLOADMOD_KO:-}" ] || modinfo offloadmod >/dev/null 2>&1
}

om_load() {
	if [ -n "${OFFLOADMOD_KO:-}" ]; then
		insmod "$OFFLOADMOD_KO" "$@"
	else
		modprobe offloadmod "$@"
	fi
}

om_unload() { rmmod offloadmod; }

# Make sure the module is loaded (with default parameters) for read-only
# tests; remember whether we loaded it so cleanup can restore the state.
om_ensure_loaded() {
	if module_loaded; then
		om_we_loaded=0
		return 0
	fi
	can_reload || skip_all "offloadmod not loaded and no module to load (set OFFLOADMOD_KO)"
	om_load || skip_all "cannot load offloadmod"
	om_we_loaded=1
}

om_restore() {
	if [ "${om_we_loaded:-0}" = 1 ] && module_loaded; then
		om_unload
	fi
}

# A value of one enum constant in the uapi header (ground truth for the wire
# numbers is the header, not the module).
uapi_const() {
	"$PYTHON" "$here/uapi_consts.py" "$UAPI_HEADER" "$1"
}

# Two "containers" the way Docker builds them: a network namespace each and a
# veth pair between them, 10.231.0.1 <-> 10.231.0.2 (addresses only inside
# these private namespaces).
ns_a=omst-a-$$
ns_b=omst-b-$$
netns_pair_setup() {
	ip netns add "$ns_a" && ip netns add "$ns_b" || return 1
	ip link add omva type veth peer name omvb || return 1
	ip link set omva netns "$ns_a" && ip link set omvb netns "$ns_b" || return 1
	ip -n "$ns_a" addr add 10.231.0.1/24 dev omva
	ip -n "$ns_b" addr add 10.231.0.2/24 dev omvb
	ip -n "$ns_a" link set omva up && ip -n "$ns_b" link set omvb up
	ip -n "$ns_a" link set lo up && ip -n "$ns_b" link set lo up
}

netns_pair_cleanup() {
	ip netns del "$ns_a" 2>/dev/null
	ip netns del "$ns_b" 2>/dev/null
	true
}

# busywait TIMEOUT_MS COMMAND...: retry until COMMAND succeeds (net/lib.sh).
busywait() {
	local timeout=$1; shift
	local start now
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -lt "$timeout" ] || return 1
		sleep 0.1
	done
}
