#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload the module repeatedly while TCP and ICMP traffic flows over
# a veth pair between two network namespaces (every hook firing). The flows
# must survive intact; a splat fails the run through the VM harness.
# TCP is rate-limited: an unlimited bulk flow keeps an emulated (TCG) CPU in
# softirq until the RCU grace-period kthread starves, and rmmod then waits
# on RCU for minutes. The hooks fire on every packet either way.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip ping iperf3
can_reload || skip_all "no module to load (set OFFLOADMOD_KO or install it)"
module_loaded && skip_all "offloadmod is already loaded by someone else"
trap 'kill $srv_pid $ping_pid 2>/dev/null; netns_pair_cleanup; module_loaded && om_unload' EXIT
ktap_header
netns_pair_setup || { ktap_fail "namespaces"; ktap_finish; }

# A fixed number of cycles, not a time budget: the debug kernel under TCG
# takes seconds per cycle, more on a loaded host. The traffic must outlast
# them all, so it is sized from one cycle timed before it starts (that
# cycle, without traffic, counts as the first).
cycles=5
fails=0
t0=$SECONDS
om_load || fails=$((fails + 1))
om_unload || fails=$((fails + 1))
secs=$(( (SECONDS - t0 + 1) * cycles * 2 + 10 ))
note "one cycle took $((SECONDS - t0)) s: traffic for $secs s"

ip netns exec "$ns_b" iperf3 -s -1 -B 10.231.0.2 >/dev/null 2>&1 &
srv_pid=$!
busywait 5000 ip netns exec "$ns_b" sh -c 'ss -ltn | grep -q 10.231.0.2:5201'
ip netns exec "$ns_a" iperf3 -c 10.231.0.2 -b 20M -t $secs -J > /tmp/omst-iperf.$$ 2>&1 &
cli_pid=$!
ip netns exec "$ns_a" ping -q -i 0.02 -c $((secs * 50)) 10.231.0.2 > /tmp/omst-ping.$$ 2>&1 &
ping_pid=$!

for _ in $(seq 2 $cycles); do
	om_load || fails=$((fails + 1))
	sleep 0.2
	om_unload || fails=$((fails + 1))
done
check_eq "$cycles load/unload cycles succeeded (all but the first during traffic)" 0 "$fails"
check "traffic was still flowing after the last cycle" kill -0 $cli_pid $ping_pid

wait $cli_pid
check_eq "iperf3 client finished cleanly" 0 $?
wait $ping_pid
read -r sent recvd < <("$PYTHON" -S -c "import json
d = json.load(open('/tmp/omst-iperf.$$'))['end']
print(d['sum_sent']['bytes'], d['sum_received']['bytes'])" 2>/dev/null)
echo "# iperf3 sent ${sent:-?} bytes, receiver got ${recvd:-?}"
check "TCP data flowed" test "${recvd:-0}" -gt 0
check "every TCP byte sent was received (but what iperf3's server had not counted yet at its end)" \
	tcp_delivered "${sent:-none}" "${recvd:-0}"
loss=$(awk -F', ' '/packet loss/ { print $3 }' /tmp/omst-ping.$$)
echo "# ping: $loss"
check_eq "no ICMP lost across load/unload" "0% packet loss" "$loss"
rm -f /tmp/omst-iperf.$$ /tmp/omst-ping.$$
ktap_finish
