#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload the module while every hook fires on behalf of tracked
# containers, then remove the containers' cgroups while they are tracked.
#
# Containers (cgroup + network namespace) A and B, joined by a veth pair
# with IPv4 and IPv6 addresses (a qdisc on A's end, GRO on B's end so its
# receive path goes through NAPI GRO), run rate-limited traffic: UDP, TCP
# (iperf3) and IPv4 and IPv6 ping from A to B, a reader in a third cgroup
# that leaves each datagram in its socket for 20 ms (rx_wait), and a
# CPU-bound task in a fourth (scheduler switches). The module is loaded and
# unloaded 3 times under that load, then loaded again. Ground truth is the
# generators': every TCP byte, UDP datagram and echo reply they sent
# arrived; each hook the module attached was invoked during the last load;
# the cgroups are tracked again, and once the traffic is over and the
# cgroups removed, their directories under <debugfs>/offloadmod/cgroups go
# within 3 s (the module sweeps every second). A splat fails the run
# through the VM harness; on another host the test greps the kernel log.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip ping iperf3 tc ethtool
require_cgroup2
can_reload || skip_all "no module to load (set OFFLOADMOD_KO or install it)"
module_loaded && skip_all "offloadmod is already loaded by someone else"
dbg=/sys/kernel/debug/offloadmod/cgroups

top=omst-unload-$$
tmp=/tmp/omst-unload.$$
mkdir -p $tmp
trap 'cg_destroy $top; netns_pair_cleanup; rm -rf $tmp; module_loaded && om_unload' EXIT
ktap_header
klog0=$(dmesg | wc -l)
netns_pair_setup || { ktap_fail "namespaces"; ktap_finish; }
ip -n "$ns_a" addr add fd00:231::1/64 dev omva nodad
ip -n "$ns_b" addr add fd00:231::2/64 dev omvb nodad
# A qdisc on A's side (veth has none), for qdisc_dequeue. GRO on B's side
# puts its receive path through NAPI, for napi_gro_receive_entry; veth
# hands a packet to NAPI only when its sender does no TSO.
tc -n "$ns_a" qdisc add dev omva root fq_codel ||
	ktap_fail "fq_codel qdisc on A's veth"
ip netns exec "$ns_a" ethtool -K omva tso off >/dev/null &&
	ip netns exec "$ns_b" ethtool -K omvb gro on >/dev/null ||
	ktap_fail "ethtool: tso off on A's veth, gro on on B's"
for c in a b reader cpu; do
	cg_create $top/$c || { ktap_fail "cgroups"; ktap_finish; }
done

# The Python workloads first (their start-up takes many seconds on the
# debug kernel under load); they run until $tmp/stop appears.
cg_exec $top/b "$ns_b" "$PYTHON" -S "$here/workload.py" udp-recv 10.231.0.2 5001 \
	--idle 10 --first 300 --ready $tmp/ready > $tmp/udp-recv &
urecv=$!
busywait 60000 test -e $tmp/ready
pids=()
cg_exec $top/a "$ns_a" "$PYTHON" -S "$here/workload.py" udp-send 10.231.0.2 5001 \
	100000000 --burst 4 --gap 0.02 --started $tmp/go-udp --until $tmp/stop \
	> $tmp/udp-sent &
pids+=($!)
cg_exec $top/reader "$ns_b" "$PYTHON" -S "$here/workload.py" rxwait udp 0.02 100000000 \
	--spin-ms 0 --started $tmp/go-rxwait --until $tmp/stop > $tmp/rxwait &
pids+=($!)
cg_exec $top/cpu "" "$PYTHON" -S "$here/workload.py" hog 600 \
	--started $tmp/go-hog --until $tmp/stop &
pids+=($!)
t0=$(date +%s%3N)
busywait 120000 test -e $tmp/go-udp -a -e $tmp/go-rxwait -a -e $tmp/go-hog
check "UDP sender, rx_wait reader and CPU hog under way ($(($(date +%s%3N) - t0)) ms)" \
	test -e $tmp/go-udp -a -e $tmp/go-rxwait -a -e $tmp/go-hog

# Then TCP and ping, which start at once, for a time that outlasts the
# cycles (about 9 s on 6.1/6.12, 20-35 s on the debug kernel). iperf3 runs
# for a wall-clock time, so it gets more on a kernel as slow as the Python
# start-up above showed; ping's count already stretches with the kernel.
secs=40
startup_s=$((($(date +%s%3N) - t0) / 1000))
tcp_secs=$((secs + 2 * startup_s))
cg_exec $top/b "$ns_b" iperf3 -s -1 -B 10.231.0.2 >/dev/null 2>&1 &
pids+=($!)
busywait 10000 ip netns exec "$ns_b" sh -c 'ss -ltn | grep -q 10.231.0.2:5201'
cg_exec $top/a "$ns_a" iperf3 -c 10.231.0.2 -b 5M -t $tcp_secs -J > $tmp/iperf 2>&1 &
pids+=($!)
cg_exec $top/a "$ns_a" ping -q -i 0.02 -c $((secs * 50)) 10.231.0.2 > $tmp/ping4 2>&1 &
pids+=($!)
cg_exec $top/a "$ns_a" ping -6 -q -i 0.05 -c $((secs * 20)) fd00:231::2 > $tmp/ping6 2>&1 &
pids+=($!)
tcp_up() {
	[ "$(ip netns exec "$ns_b" ss -Htn state established '( sport = :5201 )' |
	     wc -l)" -ge 2 ]
}
busywait 20000 tcp_up
check "TCP flowing" tcp_up

cycles=3
fails=0
t0=$(date +%s%3N)
for _ in $(seq $cycles); do
	om_load || fails=$((fails + 1))
	sleep 1
	om_unload || fails=$((fails + 1))
	sleep 0.2
done
check_eq "$cycles load/unload cycles under traffic succeeded ($(($(date +%s%3N) - t0)) ms)" 0 "$fails"
alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null || return 1; done; }
check "traffic still flowing after the cycles" alive "${pids[@]}"
om_load
check "loaded again" module_loaded

ids=()
for c in a b reader cpu; do
	ids+=("$(cg_id $top/$c)")
done
tracked() { local i; for i in "${ids[@]}"; do [ -d "$dbg/$i" ] || return 1; done; }
if [ -d "$dbg" ]; then
	busywait 10000 tracked
	check "the 4 cgroups are tracked again (${ids[*]})" tracked
else
	ktap_skip "the 4 cgroups are tracked again" "no $dbg"
fi
# The workloads that run until told to stop; iperf3 and ping have a fixed
# length, which a slow debug kernel under load can outlast here (their
# every byte and echo are checked below).
check "UDP, rx_wait and CPU workloads still running with the module loaded again" \
	alive "${pids[@]:0:3}"
sleep 1
touch $tmp/stop

wait "${pids[@]}" $urecv
read -r sent recvd < <("$PYTHON" -S -c "import json
d = json.load(open('$tmp/iperf'))['end']
print(d['sum_sent']['bytes'], d['sum_received']['bytes'])" 2>/dev/null)
note "iperf3: sent ${sent:-?} bytes, received ${recvd:-?}"
check "TCP data flowed" test "${recvd:-0}" -gt 0
check "every TCP byte sent was received (but what iperf3's server had not counted yet at its end)" \
	tcp_delivered "${sent:-none}" "${recvd:-0}"
udp_sent=$(awk '$1 == "sent" { print $2 }' $tmp/udp-sent)
udp_recv=$(awk '$1 == "received" { print $2 }' $tmp/udp-recv)
note "UDP: sent ${udp_sent:-?}, received ${udp_recv:-?}"
check "UDP flowed" test "${udp_recv:-0}" -gt 0
check_eq "every UDP datagram arrived" "${udp_sent:-none}" "${udp_recv:-0}"
for v in 4 6; do
	loss=$(awk -F', ' '/packet loss/ { print $3 }' $tmp/ping$v)
	note "ping -$v: $(grep 'packets transmitted' $tmp/ping$v)"
	check_eq "no IPv$v echo lost" "0% packet loss" "$loss"
done
reads=$(awk '$1 == "reads" { print $2 }' $tmp/rxwait)
note "rx_wait reader: ${reads:-?} reads"
check "the rx_wait reader got back each message it sent" test "${reads:-0}" -gt 0

# Every hook the module attached fired during its last load.
if [ -x "$OFFLOADMOD_CTL" ]; then
	# Before 5.13 veth has NAPI only with XDP: nothing here reaches
	# napi_gro_receive_entry (no other device does NAPI in the VM).
	exempt=-
	if kernel_before 5.13; then
		exempt=napi_gro_receive_entry
		note "$exempt exempt: veth uses NAPI only with XDP before 5.13 ($(uname -r))"
	fi
	idle=$("$OFFLOADMOD_CTL" -j status | "$PYTHON" -S -c 'import json,sys
print(" ".join("%s" % h["name"] for h in json.load(sys.stdin)["hooks"]
               if h["attached"] and not h["invocations"]
               and h["name"] != sys.argv[1]))' "$exempt")
	note "attached hooks never invoked: ${idle:-none}"
	check_eq "every attached hook fired during the last load" "" "$idle"
else
	ktap_skip "every attached hook fired" "offloadmod-ctl not built"
fi

if [ -d "$dbg" ]; then
	gone() { local i; for i in "${ids[@]}"; do [ ! -d "$dbg/$i" ] || return 1; done; }
	cg_destroy $top
	check "the containers' cgroups are removed" test ! -d "$cgroup_root/$top"
	t0=$(date +%s%3N)
	busywait 3000 gone
	check "and their stats are gone from debugfs within 3 s ($(($(date +%s%3N) - t0)) ms)" gone
else
	ktap_skip "removed cgroups disappear from debugfs" "no $dbg"
fi

splats=$(dmesg | tail -n +$((klog0 + 1)) |
	grep -E 'BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|possible recursive locking|circular locking|sleeping function called' |
	head -5)
check_eq "no splat in the kernel log" "" "$splats"
ktap_finish
