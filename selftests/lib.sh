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
# The helpers here need only the standard library: they run with -S, as
# site's start-up (a .pth file may import whole packages) costs seconds
# per start on the debug kernel. ynl.sh, which needs PyYAML, does not.
PYTHON=${PYTHON:-/usr/bin/python3}

# wire_setup: $wire runs gso_wire.py (bulk TCP and what the wire shows).
# Its bulk flows are paced (OFFLOADMOD_BULK_MBIT): fast enough for GSO
# super-packets, slow enough that an emulated CPU still runs the test
# beside them. A KASAN kernel runs the stack several times slower: there
# three flows at 100 Mbit/s held the CPU and every step of a test crawled.
wire_setup() {
	wire="$PYTHON -S $here/gso_wire.py"
	if [ -z "${OFFLOADMOD_BULK_MBIT:-}" ]; then
		OFFLOADMOD_BULK_MBIT=25
		! grep -qw kasan_report /proc/kallsyms 2>/dev/null || OFFLOADMOD_BULK_MBIT=5
	fi
	export OFFLOADMOD_BULK_MBIT
}
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
	"$PYTHON" -S "$here/uapi_consts.py" "$UAPI_HEADER" "$1"
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

# bounded SECS CMD...: run CMD (a command or function), but give up on it
# after SECS seconds: show where it is stuck (state, wait channel, kernel
# stack), kill it and return 124, and set bounded_stuck. For cleanup steps,
# so that a hang shows up as a failure with evidence, not as the runner's
# timeout.
bounded() {
	local secs=$1 pid p i
	shift
	"$@" &
	pid=$!
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 $pid 2>/dev/null || { wait $pid; return; }
		sleep 0.1
	done
	note "still running after ${secs}s: $*"
	for p in $pid $(pgrep -P $pid); do
		note "  $(ps -o pid=,stat=,wchan:32=,args= -p "$p")"
		sed 's/^/#     /' "/proc/$p/stack" 2>/dev/null
	done
	kill -9 $pid 2>/dev/null
	bounded_stuck=1
	return 124
}

# Containers the way Docker builds them: a cgroup v2 directory (named
# relative to the cgroup2 root) plus a network namespace.
cgroup_root=${CGROUP_ROOT:-/sys/fs/cgroup}

require_cgroup2() {
	[ -f "$cgroup_root/cgroup.procs" ] && [ -f "$cgroup_root/cgroup.controllers" ] ||
		skip_all "no cgroup v2 hierarchy at $cgroup_root"
}

cg_create() { mkdir -p "$cgroup_root/$1"; }
cg_id() { stat -c %i "$cgroup_root/$1"; }

# cg_exec CGROUP NETNS CMD...: run CMD in CGROUP and in network namespace
# NETNS ("" to stay in the current one). The shell moves itself into the
# cgroup before exec, so CMD and everything it starts are in it from their
# first instruction. (ip netns exec remounts /sys: CMD does not see
# /sys/fs/cgroup, it does not need to.)
cg_exec() {
	local cg=$cgroup_root/$1 ns=$2
	shift 2
	if [ -n "$ns" ]; then
		sh -c 'echo $$ > "$0/cgroup.procs" && exec ip netns exec "$@"' \
			"$cg" "$ns" "$@"
	else
		sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "$@"
	fi
}

# cg_destroy CGROUP: kill everything in CGROUP and its descendants, then
# remove them, deepest first. Quiet when CGROUP does not exist.
cg_destroy() {
	local top=$cgroup_root/$1 d pid
	[ -d "$top" ] || return 0
	while read -r d; do
		if [ -f "$d/cgroup.kill" ]; then
			echo 1 > "$d/cgroup.kill" 2>/dev/null
		else
			for pid in $(cat "$d/cgroup.procs" 2>/dev/null); do
				kill -9 "$pid" 2>/dev/null
			done
		fi
	done < <(find "$top" -depth -type d)
	while read -r d; do
		busywait 5000 rmdir "$d" 2>/dev/null
	done < <(find "$top" -depth -type d)
}

# The workloads (traffic, sleepers, CPU hogs) that measure themselves.
workload() { "$PYTHON" -S "$here/workload.py" "$@"; }

# Per-cgroup stats through offloadmod-ctl.
require_ctl_stats() {
	"$OFFLOADMOD_CTL" stats help >/dev/null 2>&1 ||
		skip_all "offloadmod-ctl with the stats command not built"
}

# om_stats TARGET [recursive]: the JSON object `offloadmod-ctl -j stats show`
# prints for TARGET (a cgroup path or id), on one line.
om_stats() {
	"$OFFLOADMOD_CTL" -j stats show "$@" |
		"$PYTHON" -S -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[0]))'
}

om_stats_reset() { "$OFFLOADMOD_CTL" stats reset "$@" >/dev/null; }

# jget JSON FIELD...: fields of a JSON object ("tx_qdisc.p50_ns",
# "rx.packets"; a number indexes an array: "0.cgroup_id"), space-separated
# on one line; "none" for a missing one.
jget() {
	local json=$1
	shift
	"$PYTHON" -S -c 'import json,sys
d = json.loads(sys.argv[1])
def get(o, path):
    for k in path.split("."):
        if isinstance(o, list) and k.isdigit() and int(k) < len(o):
            o = o[int(k)]
        elif isinstance(o, dict) and k in o:
            o = o[k]
        else:
            return "none"
    return o
print(*(get(d, f) for f in sys.argv[2:]))' "$json" "$@"
}

# tcp_delivered SENT RECEIVED: iperf3's byte counts of one TCP test
# account for every byte. Its server stops counting when the client's
# end-of-test message arrives on the control connection, so what was still
# in flight or in the receive buffer then is sent but never counted
# (393,216 bytes once, on the debug kernel under load). TCP loses nothing
# without resetting the connection (iperf3 then fails): the receiver must
# have counted all but at most one receive buffer (tcp_rmem's maximum).
tcp_delivered() {
	local rmem
	rmem=$(awk '{ print $3 }' /proc/sys/net/ipv4/tcp_rmem 2>/dev/null)
	[[ "$1" =~ ^[0-9]+$ && "$2" =~ ^[0-9]+$ ]] &&
		[ "$2" -le "$1" ] && [ $(($1 - $2)) -le "${rmem:-6291456}" ]
}

# in_range VALUE LOW HIGH (integers): LOW <= VALUE <= HIGH
in_range() {
	[[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# clock_coarse: print the clocksource and succeed when it is a tick-based
# one. A kernel that could not calibrate the TSC (this happens under TCG on
# a loaded host, and the debug kernel has no HPET or ACPI PM timer to fall
# back to) keeps time in 4 ms jiffies: netem then holds packets for whole
# ticks, not for the delay it was given, and millisecond ground truth is
# gone. Timing checks say SKIP with this reason instead of failing.
clock_coarse() {
	local cs
	cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
	echo "${cs:-unknown}"
	case "$cs" in
	tsc|hpet|acpi_pm|kvm-clock) return 1 ;;
	esac
	return 0
}

# Tell the reader what a check compared.
note() { echo "# $*"; }

# om_unsupported FEATURE: the loaded module says the running kernel lacks
# FEATURE ("dev.gro-max-size", "dev.napi-defer-hard-irqs"): an "unsupported"
# line of /sys/kernel/offloadmod/status, the list get-status and
# offloadmod-ctl status show. Checks of such a feature say SKIP with
# om_unsupported_reason FEATURE as the reason.
om_unsupported() {
	grep -qxF "unsupported $1" /sys/kernel/offloadmod/status 2>/dev/null
}

om_unsupported_reason() {
	echo "$1 not supported on this kernel ($(uname -r))"
}

# kernel_before MAJOR.MINOR: the running kernel is older than that release.
# Only for kernel behaviour a test cannot observe from outside; the caller
# says which.
kernel_before() {
	local want_maj=${1%.*} want_min=${1#*.} maj min
	IFS=. read -r maj min _ <<<"$(uname -r)"
	[ "$maj" -lt "$want_maj" ] ||
		{ [ "$maj" = "$want_maj" ] && [ "$min" -lt "$want_min" ]; }
}
