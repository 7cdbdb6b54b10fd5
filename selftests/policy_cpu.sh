#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Enforcement costs in proportion to the sockets of policied cgroups, not
# to the host's. Container I holds OFFLOADMOD_IDLE_CONNS (100,000) idle
# loopback connections, both ends: 200,000 sockets without a policy. One
# policy (gso off) is set on another cgroup P, with one process in it.
# Over OFFLOADMOD_CPU_SECS (10) seconds, the CPU time of the kernel's
# workqueue threads (kworker/*, where the module's worker runs) grows by
# less than 5% of one CPU more than it does with no policy. Needs about
# 1 GB of memory for the sockets: `make stress` runs it in a VM with 2 GB
# (selftests/Makefile STRESS_PROGS). The old enforcement swept every TCP
# socket of the host five times a second with lock_sock() while any
# policy existed.
# shellcheck disable=SC2317 # cleanup runs from the trap
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip sysctl
require_cgroup2
om_ensure_loaded
"$OFFLOADMOD_CTL" policy show >/dev/null 2>&1 || skip_all "offloadmod-ctl policy not available"

conns=${OFFLOADMOD_IDLE_CONNS:-100000}
secs=${OFFLOADMOD_CPU_SECS:-10}
I=omcpu-i-$$
P=omcpu-p-$$
ns=omcpu-$$
tmp=$(mktemp -d)
pids=()
cleanup() {
	local i
	for i in "${pids[@]}"; do kill "$i" 2>/dev/null; done
	bounded 20 "$OFFLOADMOD_CTL" policy del "$cgroup_root/$P" 2>/dev/null
	bounded 120 cg_destroy $I
	bounded 20 cg_destroy $P
	bounded 120 ip netns del $ns 2>/dev/null
	rm -rf "$tmp"
	bounded 60 om_restore
	[ -z "$bounded_stuck" ] || exit 1
}
trap cleanup EXIT
ktap_header

cg_create $I && cg_create $P && ip netns add $ns && ip -n $ns link set lo up &&
	ip netns exec $ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535" ||
	{ ktap_fail "container"; ktap_finish; }
cg_exec $I $ns "$PYTHON" -S "$here/conn_hold.py" "$conns" 5207 "$tmp/held" &
pids+=($!)
if ! busywait 900000 test -e "$tmp/held"; then
	ktap_fail "I holds $conns connections"
	ktap_finish
fi
read -r n took < "$tmp/held"
note "I made $n connections in $took s"
ktap_ok "I holds $conns idle connections ($((2 * conns)) sockets)"
cg_exec $P "" sleep 3600 &
pids+=($!)

# kworker_ticks: CPU time (clock ticks) of the workqueue threads.
kworker_ticks() {
	local f t=0 comm rest
	for f in /proc/[0-9]*/stat; do
		read -r comm rest < <(cut -d' ' -f2- "$f" 2>/dev/null) || continue
		case "$comm" in
		"(kworker/"*) ;;
		*) continue ;;
		esac
		# utime and stime: fields 14 and 15 of stat, 12 and 13 of rest.
		# shellcheck disable=SC2086 # split into fields
		set -- $rest
		t=$((t + ${12} + ${13}))
	done
	echo $t
}
# busy SECS: kworker ticks over SECS seconds.
busy() {
	local a b
	a=$(kworker_ticks)
	sleep "$1"
	b=$(kworker_ticks)
	echo $((b - a))
}

hz=$(getconf CLK_TCK)
base=$(busy "$secs")
"$OFFLOADMOD_CTL" policy set "$cgroup_root/$P" gso off
sleep 1
with=$(busy "$secs")
limit=$((hz * secs * 5 / 100))
note "kworker CPU over ${secs}s: $base ticks without a policy, $with with one (limit +$limit, $hz ticks/s)"
check "one policy with $((2 * conns)) idle sockets on the host: under 5% of a CPU" \
	test $((with - base)) -lt "$limit"
ktap_finish
