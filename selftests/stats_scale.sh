#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A request's work is bounded, however many cgroups are tracked (issue 13,
# defect 8). 4,000 cgroups are tracked (a shell moves itself through them
# and sleeps once in each); then 8 unprivileged loops read the recursive
# stats of the root cgroup (every tracked cgroup's per-CPU state summed)
# and dump the family side by side. With the RCU stall timeout lowered to
# 3 s, a read that holds one RCU read-side section (and the CPU) for the
# whole table shows up as an RCU stall or a soft lockup in the kernel log;
# the walk must visit a bounded batch per section and reschedule between.
# Ground truth: the cgroups made here and the count of requests answered.
. "$(dirname "$0")/lib.sh"
require_root
require_cgroup2
require_cmd setpriv
ctl=$OFFLOADMOD_CTL
n=${OFFLOADMOD_SCALE_CGROUPS:-4000}
secs=10
[ -z "${OFFLOADMOD_STRESS:-}" ] || secs=60
base=omscale-$$
tmp=/tmp/omscale.$$
stall=/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout
old_stall=
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# Room for the cgroups of this test beside everyone else's.
if module_loaded; then
	max=$(cat /sys/module/offloadmod/parameters/max_cgroups 2>/dev/null)
	[ "${max:-0}" -ge $((n + 200)) ] ||
		skip_all "the loaded module tracks at most ${max:-?} cgroups, this test needs $((n + 200))"
	om_we_loaded=0
else
	can_reload || skip_all "no module to load (set OFFLOADMOD_KO)"
	om_load max_cgroups=$((n + 1000)) || skip_all "cannot load offloadmod"
	om_we_loaded=1
fi

cleanup() {
	[ -z "$old_stall" ] || echo "$old_stall" > $stall
	[ ! -d "$cgroup_root/$base" ] ||
		(cd "$cgroup_root/$base" && rmdir c* 2>/dev/null; cd / && rmdir "$cgroup_root/$base")
	rm -rf $tmp
	om_restore
}
trap cleanup EXIT
ktap_header
mkdir -p $tmp && mkfifo $tmp/fifo

# One mkdir for all (an exec costs tens of ms under emulation).
mkdir "$cgroup_root/$base" && (cd "$cgroup_root/$base" && eval "mkdir c{1..$n}") ||
	{ ktap_fail "$n cgroups created"; ktap_finish; }

# recursive_count: tracked cgroups in the subtree, as the module sums it.
recursive_count() {
	jget "$("$ctl" -j stats show "/$base" recursive 2>/dev/null)" 0.cgroups
}
all_tracked() { [ "$(recursive_count)" -ge $n ] 2>/dev/null; }
# A shell visits each cgroup and sleeps there once: its context switch
# asks the module to track the cgroup. A second pass catches requests
# that found the per-CPU request slots full.
visit_all() {
	(
		for ((i = 1; i <= n; i++)); do
			echo $BASHPID > "$cgroup_root/$base/c$i/cgroup.procs" || exit 1
			read -r -t 0.002 <> $tmp/fifo
		done
		echo $BASHPID > "$cgroup_root/cgroup.procs"
	)
}
t0=$(date +%s%3N)
for pass in 1 2 3; do
	visit_all || break
	busywait 10000 all_tracked && break
done
got=$(recursive_count)
note "pass $pass: $got of $n cgroups tracked ($(($(date +%s%3N) - t0)) ms)"
check "all $n cgroups tracked (the recursive read counts them)" test "${got:-0}" -ge $n

if [ -w $stall ]; then
	old_stall=$(cat $stall)
	echo 3 > $stall
	note "RCU stall timeout $old_stall s -> 3 s"
else
	note "no writable $stall: the kernel's RCU stall timeout stays"
fi
log0=$(dmesg | wc -l)

# 8 unprivileged readers side by side: the recursive root read, and a dump.
t0=$(date +%s%3N)
"$ctl" -j stats show / recursive > $tmp/one
note "one recursive root read: $(($(date +%s%3N) - t0)) ms (not a pass/fail figure)"
reader() {
	local end=$((SECONDS + secs)) ok=0
	while [ $SECONDS -lt $end ]; do
		if [ "$1" = dump ]; then
			"${nobody[@]}" "$ctl" -j stats show > /dev/null && ok=$((ok + 1))
		else
			"${nobody[@]}" "$ctl" -j stats show / recursive > /dev/null && ok=$((ok + 1))
		fi
	done
	echo $ok > $tmp/reader.$2
}
for r in 1 2 3 4 5 6; do reader root $r & done
for r in 7 8; do reader dump $r & done
wait
answered=0 idle=0
for r in 1 2 3 4 5 6 7 8; do
	c=$(cat $tmp/reader.$r 2>/dev/null || echo 0)
	answered=$((answered + c))
	[ "$c" -gt 0 ] || idle=$((idle + 1))
done
note "8 readers for $secs s: $answered requests answered"
check_eq "every reader got answers (as an unprivileged user)" 0 "$idle"
all=$(jget "$(cat $tmp/one)" 0.cgroups)
check "the root read counts the $n cgroups too" test "${all:-0}" -ge $n

# Ground truth outside the module: the kernel's own log.
bad=$(dmesg | tail -n +$((log0 + 1)) | grep -E 'detected stall|soft lockup|blocked for more than' | head -3)
[ -z "$bad" ] || note "kernel: $bad"
check "no RCU stall or soft lockup while they read" test -z "$bad"
ktap_finish
