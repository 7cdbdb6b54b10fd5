#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet stages on every path the issue names: IPv6 TCP and UDP over veth
# (UDP to an unconnected socket, which early demux does not find), TCP over
# loopback inside one container, and a veth receiving through GRO (NAPI).
# Ground truth: the generators' own counts.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd iperf3
require_cmd ethtool
om_ensure_loaded
cga=/sys/fs/cgroup/omst-paths-a
cgb=/sys/fs/cgroup/omst-paths-b
cleanup() {
	netns_pair_cleanup
	rmdir "$cga" "$cgb" 2>/dev/null
	om_restore
}
trap cleanup EXIT
ktap_header
netns_pair_setup || skip_all "cannot build the netns pair"
ip -n "$ns_a" addr add fd00:231::1/64 dev omva nodad
ip -n "$ns_b" addr add fd00:231::2/64 dev omvb nodad
mkdir -p "$cga" "$cgb"

# in_cg CGROUP NETNS CMD...: run CMD in a container (cgroup + netns).
in_cg() {
	local cg=$1 ns=$2; shift 2
	(echo "$BASHPID" > "$cg/cgroup.procs" && exec ip netns exec "$ns" "$@")
}
# Let each cgroup's state be allocated before measuring (see LATENCY.md).
in_cg "$cga" "$ns_a" sleep 0.2
in_cg "$cgb" "$ns_b" sleep 0.2
sleep 0.3

# field CGROUP EXPR: a value from offloadmod-ctl -j stats show CGROUP.
field() {
	"$OFFLOADMOD_CTL" -j stats show "$1" |
		"$PYTHON" -S -c "import json, sys; s = json.load(sys.stdin)[0]; print($2)"
}
hook() {
	"$OFFLOADMOD_CTL" -j status | "$PYTHON" -S -c "import json, sys
print([h['invocations'] for h in json.load(sys.stdin)['hooks'] if h['name'] == '$1'][0])"
}
reset() { "$OFFLOADMOD_CTL" stats reset "$cga" && "$OFFLOADMOD_CTL" stats reset "$cgb"; }

# 1. IPv6 UDP to an unconnected socket: exact counts.
reset
out=$(mktemp)
in_cg "$cgb" "$ns_b" "$PYTHON" -S "$here/stats_paths.py" serve :: 7001 500 >"$out" 2>&1 &
srv=$!
sleep 0.5
in_cg "$cga" "$ns_a" "$PYTHON" -S "$here/stats_paths.py" send fd00:231::2 7001 500
wait $srv
got=$(cat "$out"); rm -f "$out"
echo "# receiver got $got datagrams"
check_eq "IPv6 UDP: A's tx packets = 500 sent" 500 "$(field "$cga" "s['tx']['packets']")"
check_eq "IPv6 UDP: B's rx packets = datagrams received ($got)" "$got" \
	"$(field "$cgb" "s['rx']['packets']")"
check_eq "IPv6 UDP: B's rx_wait count = datagrams read ($got)" "$got" \
	"$(field "$cgb" "s['rx_wait']['count']")"
check_eq "IPv6 UDP: B's rx_stack times every packet" "$got" \
	"$(field "$cgb" "s['rx_stack']['count']")"
check_eq "IPv6 UDP: tx_stack untimed for UDP (no send stamp)" 500 \
	"$(field "$cga" "s['tx_stack']['untimed']")"

# 2. IPv6 TCP: TCP's transmit stamp times tx_stack; both ends agree.
reset
in_cg "$cgb" "$ns_b" iperf3 -s -1 -D -B fd00:231::2
sleep 0.5
in_cg "$cga" "$ns_a" iperf3 -6 -c fd00:231::2 -t 2 -b 20M >/dev/null
sleep 0.5
tx=$(field "$cga" "s['tx']['packets']"); rx=$(field "$cgb" "s['rx']['packets']")
echo "# A tx $tx packets, B rx $rx packets"
check "IPv6 TCP: B received what A sent, within 1%" \
	"$PYTHON" -S -c "import sys; sys.exit(not ($tx > 100 and abs($tx - $rx) <= $tx / 100 + 2))"
check "IPv6 TCP: A's tx_stack is timed" test "$(field "$cga" "s['tx_stack']['count']")" -gt 100
check_eq "IPv6 TCP: A's tx_stack has nothing untimed" 0 \
	"$(field "$cga" "s['tx_stack']['untimed']")"
check "IPv6 TCP: A's tx carried GSO super-packets" \
	test "$(field "$cga" "s['tx']['offload_segments']")" -gt "$(field "$cga" "s['tx']['offload_packets']")"

# 3. TCP over loopback inside one container.
reset
in_cg "$cga" "$ns_a" iperf3 -s -1 -D -B 127.0.0.1
sleep 0.5
in_cg "$cga" "$ns_a" iperf3 -c 127.0.0.1 -t 1 -b 20M >/dev/null
sleep 0.5
echo "# loopback: $(field "$cga" "s['rx']['packets'], s['rx_stack'], s['rx_wait']['count'], s['tx_stack']['count']")"
check "loopback TCP: rx_stack timed" test "$(field "$cga" "s['rx_stack']['count']")" -gt 20
check_eq "loopback TCP: every received packet timed in rx_stack" \
	"$(field "$cga" "s['rx']['packets']")" "$(field "$cga" "s['rx_stack']['count']")"
check "loopback TCP: rx_wait timed" test "$(field "$cga" "s['rx_wait']['count']")" -gt 10
check "loopback TCP: tx_stack timed" test "$(field "$cga" "s['tx_stack']['count']")" -gt 20
check_eq "loopback TCP: nothing of it in B" 0 "$(field "$cgb" "s['rx']['packets']")"

# 4. GRO on B's veth: the receive path goes through NAPI and GRO entry.
# veth hands TSO-sized packets over as they are; with TSO off on A's side
# A's veth gets MTU-sized segments and B's GRO merges them again. Before
# 5.13 veth has NAPI (and so GRO) only with an XDP program attached.
if kernel_before 5.13; then
	ktap_skip "veth GRO" "veth uses NAPI and GRO only with XDP before 5.13 ($(uname -r))"
elif ip netns exec "$ns_a" ethtool -K omva tso off 2>/dev/null &&
   ip netns exec "$ns_b" ethtool -K omvb gro on 2>/dev/null; then
	reset
	g0=$(hook napi_gro_receive_entry)
	in_cg "$cgb" "$ns_b" iperf3 -s -1 -D -B 10.231.0.2
	sleep 0.5
	in_cg "$cga" "$ns_a" iperf3 -c 10.231.0.2 -t 2 -b 20M >/dev/null
	sleep 0.5
	g1=$(hook napi_gro_receive_entry)
	echo "# napi_gro_receive_entry $g0 -> $g1"
	check "veth GRO: napi_gro_receive_entry fired" test "$g1" -gt "$g0"
	check "veth GRO: B's rx_stack timed from GRO entry" \
		test "$(field "$cgb" "s['rx_stack']['count']")" -gt 100
	check_eq "veth GRO: nothing untimed in rx_stack" 0 \
		"$(field "$cgb" "s['rx_stack']['untimed']")"
	check "veth GRO: B received GRO super-packets" \
		test "$(field "$cgb" "s['rx']['offload_segments']")" -gt \
		"$(field "$cgb" "s['rx']['offload_packets']")"
else
	ktap_skip "veth GRO" "ethtool -K gro on not supported on veth here"
fi
ktap_finish
