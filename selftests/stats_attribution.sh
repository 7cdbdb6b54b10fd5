#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every packet counted against the container it belongs to, and only that
# one. A pod (cgroup P) holds two containers A and B (cgroups P/a and P/b,
# a network namespace each, a veth pair between them). A sends N_A UDP
# datagrams to a reader in B, B sends N_B (a different number, a different
# size) to a reader in A, both rate-limited. Ground truth is the generators'
# own counts: each container's tx packets is what it sent and its rx
# packets what the other sent and its reader read, within 1%; bytes match
# the datagram sizes; every datagram read is one rx_wait event of the
# reader's container. Then `offloadmod-ctl stats show P recursive` must be
# exactly A + B, and P alone (no tasks of its own) must be empty.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip
require_cgroup2
require_ctl_stats
om_ensure_loaded

pod=omst-pod-$$
tmp=/tmp/omst-attr.$$
mkdir -p $tmp
trap 'cg_destroy $pod; netns_pair_cleanup; rm -rf $tmp; om_restore' EXIT
ktap_header
netns_pair_setup || { ktap_fail "namespaces"; ktap_finish; }
cg_create $pod/a && cg_create $pod/b || { ktap_fail "cgroups"; ktap_finish; }
cg_exec $pod/a "$ns_a" sleep 0.2
cg_exec $pod/b "$ns_b" sleep 0.2

n_a=2000 len_a=100
n_b=1200 len_b=300
cg_exec $pod/b "$ns_b" "$PYTHON" -S "$here/workload.py" udp-recv 10.231.0.2 5001 \
	--expect $n_a --idle 10 --ready $tmp/ready-b > $tmp/recv-b &
rb=$!
cg_exec $pod/a "$ns_a" "$PYTHON" -S "$here/workload.py" udp-recv 10.231.0.1 5002 \
	--expect $n_b --idle 10 --ready $tmp/ready-a > $tmp/recv-a &
ra=$!
busywait 30000 test -e $tmp/ready-a -a -e $tmp/ready-b
check "readers are up in both containers" test -e $tmp/ready-a -a -e $tmp/ready-b
om_stats_reset "$cgroup_root/$pod" recursive
check_eq "stats reset of the pod (recursive)" 0 $?

# 10 datagrams every 10 ms: ~1000/s, sparse enough for TCG.
cg_exec $pod/a "$ns_a" "$PYTHON" -S "$here/workload.py" udp-send 10.231.0.2 5001 \
	$n_a --payload $len_a --burst 10 --gap 0.01 > $tmp/sent-a &
sa=$!
cg_exec $pod/b "$ns_b" "$PYTHON" -S "$here/workload.py" udp-send 10.231.0.1 5002 \
	$n_b --payload $len_b --burst 10 --gap 0.01 > $tmp/sent-b &
sb=$!
wait $sa $sb $ra $rb
sent_a=$(awk '{ print $2 }' $tmp/sent-a)
sent_b=$(awk '{ print $2 }' $tmp/sent-b)
got_b=$(awk '{ print $2 }' $tmp/recv-b)
got_a=$(awk '{ print $2 }' $tmp/recv-a)
note "A sent $sent_a x ${len_a}B, B read $got_b; B sent $sent_b x ${len_b}B, A read $got_a"
check_eq "A's generator sent $n_a" $n_a "$sent_a"
check_eq "B's generator sent $n_b" $n_b "$sent_b"

fields="rx.packets rx.bytes tx.packets tx.bytes rx_wait.count sched_wait.count tx_qdisc.count tx_stack.untimed cgroups"
ja=$(om_stats "$cgroup_root/$pod/a")
jb=$(om_stats "$cgroup_root/$pod/b")
jp=$(om_stats "$cgroup_root/$pod" recursive)
j0=$(om_stats "$cgroup_root/$pod")
read -r a_rxp a_rxb a_txp a_txb a_rxw a_sw a_txq a_txs a_n < <(jget "$ja" $fields)
read -r b_rxp b_rxb b_txp b_txb b_rxw b_sw b_txq b_txs b_n < <(jget "$jb" $fields)
read -r p_rxp p_rxb p_txp p_txb p_rxw p_sw p_txq p_txs p_n < <(jget "$jp" $fields)
read -r o_rxp o_rxb o_txp o_txb o_rxw o_sw o_txq o_txs o_n < <(jget "$j0" $fields)
note "A: rx $a_rxp pkts $a_rxb B, tx $a_txp pkts $a_txb B, rx_wait $a_rxw, sched_wait $a_sw"
note "B: rx $b_rxp pkts $b_rxb B, tx $b_txp pkts $b_txb B, rx_wait $b_rxw, sched_wait $b_sw"
note "P recursive ($p_n cgroups): rx $p_rxp pkts $p_rxb B, tx $p_txp pkts $p_txb B," \
	"rx_wait $p_rxw, sched_wait $p_sw; P alone: $o_n cgroups, rx $o_rxp, tx $o_txp"

# within1 ACTUAL EXPECTED: |ACTUAL - EXPECTED| <= EXPECTED / 100
within1() {
	[[ "$1" =~ ^[0-9]+$ ]] && [[ "$2" =~ ^[0-9]+$ ]] || return 1
	local d=$(($1 - $2))
	[ ${d#-} -le $(($2 / 100)) ]
}
# On transmit a packet counts with its Ethernet header (the veth's
# dev_queue_xmit), on receive from its IP header (netfilter LOCAL_IN).
check "A's tx packets = what A sent ($a_txp vs $sent_a)" within1 "$a_txp" "$sent_a"
check "B's tx packets = what B sent, none of A's ($b_txp vs $sent_b)" within1 "$b_txp" "$sent_b"
check "B's rx packets = what A sent ($b_rxp vs $sent_a)" within1 "$b_rxp" "$sent_a"
check "A's rx packets = what B sent, none of its own ($a_rxp vs $sent_b)" within1 "$a_rxp" "$sent_b"
check "B's rx packets = what B's reader read ($b_rxp vs $got_b)" within1 "$b_rxp" "$got_b"
check "A's rx packets = what A's reader read ($a_rxp vs $got_a)" within1 "$a_rxp" "$got_a"
check "A's tx bytes = $sent_a x (${len_a}B + UDP/IP/Ethernet headers)" \
	within1 "$a_txb" $((sent_a * (len_a + 8 + 20 + 14)))
check "B's tx bytes = $sent_b x (${len_b}B + UDP/IP/Ethernet headers)" \
	within1 "$b_txb" $((sent_b * (len_b + 8 + 20 + 14)))
check "B's rx bytes = $sent_a x (${len_a}B + UDP/IP headers)" \
	within1 "$b_rxb" $((sent_a * (len_a + 8 + 20)))
check "A's rx bytes = $sent_b x (${len_b}B + UDP/IP headers)" \
	within1 "$a_rxb" $((sent_b * (len_b + 8 + 20)))
check "B's rx_wait counted each datagram B's reader read ($b_rxw vs $got_b)" \
	within1 "$b_rxw" "$got_b"
check "A's rx_wait counted each datagram A's reader read ($a_rxw vs $got_a)" \
	within1 "$a_rxw" "$got_a"
check "UDP transmits are tx_stack untimed, one each (A $a_txs, B $b_txs)" \
	test "$a_txs" = "$a_txp" -a "$b_txs" = "$b_txp"

# The pod: a sum over exactly its two containers.
check_eq "P recursive sums 2 tracked cgroups" 2 "$p_n"
check_eq "P recursive rx packets = A + B" $((a_rxp + b_rxp)) "$p_rxp"
check_eq "P recursive rx bytes = A + B" $((a_rxb + b_rxb)) "$p_rxb"
check_eq "P recursive tx packets = A + B" $((a_txp + b_txp)) "$p_txp"
check_eq "P recursive tx bytes = A + B" $((a_txb + b_txb)) "$p_txb"
check_eq "P recursive rx_wait count = A + B" $((a_rxw + b_rxw)) "$p_rxw"
check_eq "P recursive sched_wait count = A + B" $((a_sw + b_sw)) "$p_sw"
check_eq "P recursive tx_qdisc count = A + B" $((a_txq + b_txq)) "$p_txq"
check_eq "P without recursive has no packets of its own" "0 0" "$o_rxp $o_txp"
ktap_finish
