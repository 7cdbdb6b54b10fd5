#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rx_wait follows how long an application leaves data in its socket. In a
# container (cgroup + network namespace), a reader sends itself a message
# over loopback, waits S, then reads it, N times, over UDP and over TCP.
# The ground truth is S and the reader's own clock in the same run: the
# container's rx_wait p50 must be at least S and lie between the reader's
# own bounds of each wait, and every read must be counted. A loaded host
# that makes the VM oversleep S stretches both, so the checks hold there
# too. Read with offloadmod-ctl.
# The reader sleeps most of S and spins the rest: a plain sleep overshoots
# by 2-3 ms on the debug kernel under TCG, which would be the VM's error,
# not the module's.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip
require_cgroup2
require_ctl_stats
om_ensure_loaded

cg=omst-rxwait-$$
ns=omst-rxwait-$$
trap 'cg_destroy $cg; ip netns del $ns 2>/dev/null; om_restore' EXIT
ktap_header
ip netns add $ns && ip -n $ns link set lo up || { ktap_fail "namespace"; ktap_finish; }
cg_create $cg || { ktap_fail "cgroup"; ktap_finish; }
cg_exec $cg $ns sleep 0.2
slack=1000000 tick=0
if cs=$(clock_coarse); then
	tick=4000000
	slack=$((slack + tick))
	note "clocksource $cs is tick-based: agreement slack is 1 ms + one 4 ms tick"
fi

for proto in udp tcp; do
	for s_ms in 20 100; do
		n=$((2000 / s_ms))
		[ $n -ge 20 ] || n=20
		s=$((s_ms * 1000000))
		what="$proto S=${s_ms}ms"
		om_stats_reset "$cgroup_root/$cg"
		out=$(cg_exec $cg $ns "$PYTHON" -S "$here/workload.py" rxwait \
			$proto "$(awk -v s=$s_ms 'BEGIN { print s / 1000 }')" $n)
		reads=$(awk '$1 == "reads" { print $2 }' <<<"$out")
		median=$(awk '$1 == "median_ns" { print $2 }' <<<"$out")
		mlo=$(awk '$1 == "lo_median_ns" { print $2 }' <<<"$out")
		mhi=$(awk '$1 == "hi_median_ns" { print $2 }' <<<"$out")
		read -r cnt p50 untimed < <(jget "$(om_stats "$cgroup_root/$cg")" \
			rx_wait.count rx_wait.p50_ns rx_wait.untimed)
		note "$what: $reads reads, send-to-read median ${median}ns" \
			"(send..read bounds $mlo..$mhi); rx_wait count $cnt" \
			"untimed $untimed p50 ${p50}ns"
		check_eq "$what: every read was timed" "$n" "$cnt"
		# The data sat in the socket at least from the end of send() to
		# the start of recv(), and the reader waited S in between (a
		# tick-based clock may read one tick short).
		check "$what: rx_wait p50 at least S" in_range "$p50" $((s - tick)) $((1 << 62))
		# Against the reader's own clock: the kernel's wait lies between
		# the end of send() and the start of recv() (lo) and between
		# the start of send() and the end of recv() (hi); the p50, a
		# bucket's upper bound, at most a bucket (1/16) above. Slack
		# 1 ms; a tick-based clock quantizes both to its 4 ms jiffies,
		# so there the slack is one tick more.
		check "$what: rx_wait p50 agrees with the reader's own clock" \
			in_range "$p50" $((${mlo:-0} - slack)) $((${mhi:-0} + ${mhi:-0} / 16 + slack))
	done
done
ktap_finish
