#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tx_qdisc follows delay injected with netem, per container. Two containers
# (cgroup + network namespace each) joined by a veth pair ping each other;
# A's end of the veth gets `tc qdisc ... netem delay D`, B's has none. The
# ground truth is D and what ping measured in the same run: an echo
# request's time in A's qdisc is at least D and at most its round trip, so
# A's tx_qdisc p50 must lie in [D, (p50 of A's ping RTTs) * 17/16] (the p50
# printed is the upper edge of its histogram bucket, at most 1/16 above the
# true value). Both bounds hold however slow the emulated machine is (a
# loaded host stretches the RTT and the bound with it). B's requests leave
# through no netem: its tx_qdisc p50 must stay below D/2 (A's delay is not
# B's). Read with offloadmod-ctl.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip tc ping
require_cgroup2
require_ctl_stats
om_ensure_loaded

cga=omst-netem-a-$$
cgb=omst-netem-b-$$
trap 'cg_destroy $cga; cg_destroy $cgb; netns_pair_cleanup; om_restore' EXIT
ktap_header
netns_pair_setup || { ktap_fail "namespaces"; ktap_finish; }
cg_create $cga && cg_create $cgb || { ktap_fail "cgroups"; ktap_finish; }
# Let the module start tracking both cgroups (it does so asynchronously,
# after their first event).
cg_exec $cga "$ns_a" sleep 0.2
cg_exec $cgb "$ns_b" sleep 0.2

# rtt_p50_ns FILE: the median of the "time=X ms" round trips ping printed.
rtt_p50_ns() {
	sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) printf "%d\n", v[int((NR + 1) / 2)] * 1000000 }'
}

pings=100
for d_ms in 5 40; do
	d=$((d_ms * 1000000))
	tc -n "$ns_a" qdisc replace dev omva root netem delay ${d_ms}ms
	om_stats_reset "$cgroup_root/$cga" && om_stats_reset "$cgroup_root/$cgb"
	check_eq "D=${d_ms}ms: stats reset of both containers" 0 $?

	cg_exec $cga "$ns_a" ping -i 0.02 -c $pings 10.231.0.2 > /tmp/omst-pa.$$ &
	pa=$!
	cg_exec $cgb "$ns_b" ping -i 0.02 -c $pings 10.231.0.1 > /tmp/omst-pb.$$ &
	pb=$!
	wait $pa $pb
	sent_a=$(awk '/packets transmitted/ { print $1 }' /tmp/omst-pa.$$)
	sent_b=$(awk '/packets transmitted/ { print $1 }' /tmp/omst-pb.$$)
	note "A: $(grep rtt /tmp/omst-pa.$$)"
	note "B: $(grep rtt /tmp/omst-pb.$$)"

	read -r a_n a_p50 a_tx < <(jget "$(om_stats "$cgroup_root/$cga")" \
		tx_qdisc.count tx_qdisc.p50_ns tx.packets)
	read -r b_n b_p50 b_tx < <(jget "$(om_stats "$cgroup_root/$cgb")" \
		tx_qdisc.count tx_qdisc.p50_ns tx.packets)
	rtt_a=$(rtt_p50_ns /tmp/omst-pa.$$)
	lo=$d hi=$((${rtt_a:-0} * 17 / 16))
	note "D=${d_ms}ms: A sent $sent_a, RTT p50 $rtt_a ns; tx_qdisc count $a_n p50 $a_p50 ns" \
		"(want [$lo, $hi]); B sent $sent_b, tx_qdisc count $b_n p50 $b_p50 ns"
	check "D=${d_ms}ms: A's tx_qdisc timed every echo request it sent" \
		test "${a_n:-0}" -ge "${sent_a:-1}" -a "${sent_a:-0}" -ge $pings
	if clocksource=$(clock_coarse); then
		ktap_skip "D=${d_ms}ms: A's tx_qdisc p50 within [D, A's RTT p50 + 1/16]" \
			"clocksource $clocksource: netem delays by whole ticks, not D"
	else
		check "D=${d_ms}ms: A's tx_qdisc p50 within [D, A's RTT p50 + 1/16]" \
			in_range "$a_p50" $lo $hi
	fi
	# The echo replies to B's pings leave through A's netem too, but the
	# kernel sends them, not A: they are not A's packets.
	check_eq "D=${d_ms}ms: A's tx packets are its own echo requests" \
		"$sent_a" "$a_tx"
	check "D=${d_ms}ms: B's tx_qdisc timed every echo request it sent" \
		test "${b_n:-0}" -ge "${sent_b:-1}" -a "${sent_b:-0}" -ge $pings
	check "D=${d_ms}ms: B's tx_qdisc p50 stays below D/2" \
		in_range "$b_p50" 0 $((d / 2))
	check_eq "D=${d_ms}ms: B's tx packets are its own echo requests" \
		"$sent_b" "$b_tx"
done
rm -f /tmp/omst-pa.$$ /tmp/omst-pb.$$
ktap_finish
