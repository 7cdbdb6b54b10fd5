#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# offloadmod-ctl fastpath: the tc eBPF container fast path. Three
# containers A, B, C (cgroup + netns + veth into bridge br-omfp,
# 10.232.0.0/24, fd32:232::/64). With the fast path on for A and B,
# A<->B traffic must arrive complete (iperf3 / UDP byte and datagram
# counts) without crossing the bridge: ground truth is the kernel's TX
# counter of B's host-side veth (a bridged frame leaves the bridge through
# it; a redirected one does not). ARP, traffic to C (not enabled) and
# everything after disable take the bridge again, and so does a frame too
# big for the destination's MTU (the bridge drops it; so must we). Needs no
# module.
source "$(dirname "$0")/lib.sh"

ktap_header
require_root
require_cgroup2
require_cmd ip iperf3 ping
modprobe -q veth 2>/dev/null
modprobe -q bridge 2>/dev/null
"$OFFLOADMOD_CTL" fastpath help >/dev/null 2>&1 ||
	skip_all "offloadmod-ctl without the fastpath command"

br=br-omfp
cgs="omfp-a omfp-b omfp-c"
declare -A ip4=([a]=10.232.0.1 [b]=10.232.0.2 [c]=10.232.0.3)
declare -A ip6=([a]=fd32:232::1 [b]=fd32:232::2 [c]=fd32:232::3)
ctl() { "$OFFLOADMOD_CTL" "$@"; }

cleanup() {
	local x
	for x in a b c; do
		ctl fastpath disable "omfp$x" >/dev/null 2>&1
		ip netns pids "omfp-$x" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "omfp-$x" 2>/dev/null
		ip link del "omfp$x" 2>/dev/null
		cg_destroy "omfp-$x"
	done
	ip link del "$br" 2>/dev/null
	true
}
trap cleanup EXIT

setup() {
	local x
	ip link add "$br" type bridge || return 1
	# The bridge forwards at once (no STP listening delay).
	ip link set "$br" type bridge stp_state 0 forward_delay 0 2>/dev/null
	ip addr add 10.232.0.254/24 dev "$br"
	ip link set "$br" up
	for x in a b c; do
		ip netns add "omfp-$x" || return 1
		ip link add "omfp$x" type veth peer name eth0 netns "omfp-$x" || return 1
		ip link set "omfp$x" master "$br" up || return 1
		ip -n "omfp-$x" link set lo up
		ip -n "omfp-$x" addr add "${ip4[$x]}/24" dev eth0
		ip -n "omfp-$x" addr add "${ip6[$x]}/64" dev eth0 nodad
		ip -n "omfp-$x" link set eth0 up || return 1
		cg_create "omfp-$x" || return 1
		# The container's "init": what the cgroup target resolves through.
		cg_exec "omfp-$x" "omfp-$x" sleep 100000 </dev/null >/dev/null 2>&1 &
	done
	busywait 5000 grep -q . "$cgroup_root/omfp-c/cgroup.procs"
}

inns() { local x=$1; shift; ip netns exec "omfp-$x" "$@"; }
# Kernel TX packet counter of a host-side veth (what the bridge sends it).
txp() { jget "$(ip -s -j link show dev "$1")" 0.stats64.tx.packets; }
# ... and its TX drops (a frame the veth could not pass to its peer).
txdrop() { jget "$(ip -s -j link show dev "$1")" 0.stats64.tx.dropped; }
fp_json() { ctl -j fastpath show "$1"; }
fp_get() { jget "$(fp_json "$1")" "0.$2"; }
has() { grep -q -- "$2" <<<"$1"; }
pings() { inns "$1" ping -q -c "$3" -i 0.02 -W 2 "$2" >/dev/null; }
# bigping FROM TO_IP SIZE: 10 pings of SIZE bytes, don't fragment.
bigping() { inns "$1" ping -q -c 10 -i 0.02 -W 1 -M do -s "$3" "$2" >/dev/null; }
fails() { ! "$@"; }

# tcp FROM TO_IP: iperf3 at a limited rate; prints "sent received" bytes.
tcp() {
	local to_ns=$2 to_ip=$3 out
	inns "$to_ns" iperf3 -s -1 -p 5232 >/dev/null 2>&1 &
	busywait 5000 inns "$to_ns" sh -c 'ss -ltn | grep -q ":5232 "' || { echo "0 -1"; return; }
	out=$(inns "$1" iperf3 -c "$to_ip" -p 5232 -t 2 -b 20M -J 2>/dev/null)
	wait
	jget "$out" end.sum_sent.bytes end.sum_received.bytes
}

# udp FROM TO TO_IP: prints "sent received" datagrams (low rate).
udp() {
	local from=$1 to=$2 to_ip=$3 sent got fifo
	fifo=$(mktemp -u); mkfifo "$fifo"
	inns "$to" "$PYTHON" -S "$here/fastpath_udp.py" recv "$to_ip" 5233 5 >"$fifo" &
	exec 7<"$fifo"
	read -r _ <&7
	sent=$(inns "$from" "$PYTHON" -S "$here/fastpath_udp.py" send "$to_ip" 5233 500 500)
	read -r got <&7
	exec 7<&-
	rm -f "$fifo"
	wait
	echo "$sent $got"
}

setup || { cleanup; skip_all "cannot build the bridge and containers"; }

# Baseline: the bridge path, fast path off. B's host veth carries it.
tx0=$(txp omfpb)
check "fast path off: A pings B" pings a "${ip4[b]}" 20
tx1=$(txp omfpb)
check "fast path off: B's host veth TX counter grows by the pings ($((tx1 - tx0)))" \
	test $((tx1 - tx0)) -ge 20

# bpffs: the tool mounts it when absent (only where we own the machine).
if [ -n "${OFFLOADMOD_VM_KERNEL:-}" ] && mountpoint -q /sys/fs/bpf &&
   [ -z "$(ls -A /sys/fs/bpf)" ]; then
	umount /sys/fs/bpf
fi

# Enable: A by its cgroup path, B by its host-side interface name.
out=$(ctl fastpath enable "omfp-a" 2>&1); rc=$?
check_eq "enable A by cgroup: exit 0 ($out)" 0 "$rc"
out=$(ctl fastpath enable omfpb 2>&1); rc=$?
check_eq "enable B by interface: exit 0 ($out)" 0 "$rc"
check "bpffs mounted and pins under /sys/fs/bpf/offloadmod/fastpath" \
	test -e /sys/fs/bpf/offloadmod/fastpath/prog
check "tc filter on omfpa's clsact ingress" \
	sh -c "tc filter show dev omfpa ingress | grep -q 'direct-action'"
check_eq "show A: enabled, attached" "omfpa True True" "$(fp_get omfpa ifname) $(fp_get omfpa enabled) $(fp_get omfpa attached)"
note "redirect helper: $(fp_get omfpa redirect)"
check_eq "show by cgroup names A's host veth" omfpa "$(fp_get omfp-a ifname)"

# ICMP A->B: redirected both ways, B's host veth does not see it.
r0=$(fp_get omfpa redirected); rb0=$(fp_get omfpb redirected)
tx0=$(txp omfpb)
check "fast path on: A pings B" pings a "${ip4[b]}" 50
tx1=$(txp omfpb)
r1=$(fp_get omfpa redirected); rb1=$(fp_get omfpb redirected)
check "A's redirected counter grew by >= 50 ($((r1 - r0)))" test $((r1 - r0)) -ge 50
check "B's redirected counter grew by >= 50 replies ($((rb1 - rb0)))" test $((rb1 - rb0)) -ge 50
# (the bridge still floods the odd multicast frame, IPv6 RS/MLD, to B)
check "bridge skipped: B's host veth TX grew by < 15 of 50 ($((tx1 - tx0)))" test $((tx1 - tx0)) -lt 15

# TCP A->B (rate-limited: unlimited TCP starves RCU under TCG).
tx0=$(txp omfpb); r0=$(fp_get omfpa redirected)
read -r sent got < <(tcp a b "${ip4[b]}")
tx1=$(txp omfpb); r1=$(fp_get omfpa redirected)
check "TCP A->B: bytes sent == received ($sent / $got)" \
	test "$sent" -gt 0 -a "$sent" = "$got"
check "TCP A->B: redirected grew ($((r1 - r0)) packets)" test $((r1 - r0)) -ge 100
check "TCP A->B: B's host veth TX grew by < 15 ($((tx1 - tx0)))" test $((tx1 - tx0)) -lt 15

# UDP B->A.
ta0=$(txp omfpa); r0=$(fp_get omfpb redirected)
read -r sent got < <(udp b a "${ip4[a]}")
ta1=$(txp omfpa); r1=$(fp_get omfpb redirected)
check "UDP B->A: datagrams sent == received ($sent / $got)" \
	test "$sent" = 500 -a "$got" = 500
check "UDP B->A: B's redirected grew by >= 500 ($((r1 - r0)))" test $((r1 - r0)) -ge 500
check "UDP B->A: A's host veth TX grew by < 15 of 500 ($((ta1 - ta0)))" test $((ta1 - ta0)) -lt 15

# IPv6 (ULA; neighbour discovery is multicast: the bridge resolves it).
tx0=$(txp omfpb); r0=$(fp_get omfpa redirected)
check "IPv6: A pings B" pings a "${ip6[b]}" 20
tx1=$(txp omfpb); r1=$(fp_get omfpa redirected)
check "IPv6: A's redirected grew by >= 20 ($((r1 - r0)))" test $((r1 - r0)) -ge 20
check "IPv6: B's host veth TX grew by < 10 of 20 (ND only: $((tx1 - tx0)))" test $((tx1 - tx0)) -lt 10

# ARP: flush, ping again; the request is broadcast and the bridge answers it.
inns a ip neigh flush all
p0=$(fp_get omfpa passed)
check "ARP: A pings B after a neighbour flush" pings a "${ip4[b]}" 3
p1=$(fp_get omfpa passed)
check "ARP: A's passed counter grew ($((p1 - p0)))" test $((p1 - p0)) -ge 1
check "ARP: A resolved B" sh -c "ip -n omfp-a neigh show ${ip4[b]} | grep -q lladdr"

# C is not enabled: A->C takes the bridge, and works.
tc0=$(txp omfpc); p0=$(fp_get omfpa passed)
check "A pings C (not enabled)" pings a "${ip4[c]}" 20
read -r sent got < <(tcp a c "${ip4[c]}")
check "TCP A->C: bytes sent == received ($sent / $got)" \
	test "$sent" -gt 0 -a "$sent" = "$got"
tc1=$(txp omfpc); p1=$(fp_get omfpa passed)
check "A->C over the bridge: C's host veth TX grew ($((tc1 - tc0)))" test $((tc1 - tc0)) -ge 20
check "A->C: A's passed counter grew ($((p1 - p0)))" test $((p1 - p0)) -ge 20

# The host (the bridge's own address and MAC) is not a fast path
# destination: A->host goes through the bridge.
p0=$(fp_get omfpa passed); r0=$(fp_get omfpa redirected)
check "A pings the host (bridge address)" pings a 10.232.0.254 10
p1=$(fp_get omfpa passed); r1=$(fp_get omfpa redirected)
check "A->host: passed grew by >= 10 ($((p1 - p0)))" test $((p1 - p0)) -ge 10
# Not exactly zero: A's unicast neighbour probes to B (IPv6 ND, reachability
# confirmation after the tests above) are redirected meanwhile. Ten pings
# misrouted would be ten.
check "A->host: the pings were not redirected ($((r1 - r0)) redirected meanwhile)" \
	test $((r1 - r0)) -lt 5

# Too big for the destination: B's MTU goes to 1200 (enable again records
# it). A's 1300-byte DF ping, a 1342-byte frame, must go to the bridge,
# which drops it at B's veth exactly as without the fast path. Redirected
# to B's peer, nothing would check the MTU: B would receive it and answer
# (fragmented), so an answer here means the fast path delivered what the
# bridge would not. A ping that fits is still redirected.
ip -n omfp-b link set eth0 mtu 1200
out=$(ctl fastpath enable omfpb 2>&1); rc=$?
check_eq "MTU: enable B again at MTU 1200: exit 0 ($out)" 0 "$rc"
p0=$(fp_get omfpa passed); r0=$(fp_get omfpa redirected); d0=$(txdrop omfpb)
check "MTU: a 1300-byte ping to B (MTU 1200) is dropped, as by the bridge" \
	fails bigping a "${ip4[b]}" 1300
p1=$(fp_get omfpa passed); r1=$(fp_get omfpa redirected); d1=$(txdrop omfpb)
check "MTU: the bridge carried them: B's host veth dropped >= 10 ($((d1 - d0)))" \
	test $((d1 - d0)) -ge 10
check "MTU: A passed the 10 oversize frames ($((p1 - p0)))" test $((p1 - p0)) -ge 10
check "MTU: oversize frames were not redirected ($((r1 - r0)))" test $((r1 - r0)) -lt 5
r0=$r1
check "MTU: a 1100-byte ping to B is answered" bigping a "${ip4[b]}" 1100
r1=$(fp_get omfpa redirected)
check "MTU: and redirected ($((r1 - r0)))" test $((r1 - r0)) -ge 10
ip -n omfp-b link set eth0 mtu 1500
ctl fastpath enable omfpb >/dev/null 2>&1

# Text output, one row per interface.
txt=$(ctl fastpath show)
check "show (text) lists A enabled" has "$txt" "^omfpa ifindex [0-9]*: enabled"
check "show (text) lists B" has "$txt" "^omfpb "

# Disable B: the bridge path is back.
out=$(ctl fastpath disable omfp-b 2>&1); rc=$?
check_eq "disable B by cgroup: exit 0 ($out)" 0 "$rc"
check_eq "show B after disable: not enabled, not attached" "False False" \
	"$(fp_get omfpb enabled) $(fp_get omfpb attached)"
check "show B (text) says disabled" sh -c "$OFFLOADMOD_CTL fastpath show omfpb | grep -q disabled"
check "no tc filter left on omfpb" sh -c "! tc filter show dev omfpb ingress | grep -q bpf"
tx0=$(txp omfpb); r0=$(fp_get omfpa redirected)
check "after disable: A pings B" pings a "${ip4[b]}" 20
read -r sent got < <(tcp a b "${ip4[b]}")
check "after disable: TCP A->B bytes sent == received ($sent / $got)" \
	test "$sent" -gt 0 -a "$sent" = "$got"
tx1=$(txp omfpb); r1=$(fp_get omfpa redirected)
check "after disable: B's host veth TX grows again ($((tx1 - tx0)))" test $((tx1 - tx0)) -ge 20
check_eq "after disable: A's redirected counter stopped" "$r0" "$r1"

# Errors.
out=$(ctl fastpath enable lo 2>&1); rc=$?
check_eq "enable on lo: exit 2" 2 "$rc"
check "enable on lo: says it is not a veth ($out)" has "$out" "not a veth"
out=$(ctl fastpath enable omfp-nosuch 2>&1); rc=$?
check_eq "enable on an unknown target: exit 2 ($out)" 2 "$rc"
out=$(ctl fastpath enable "$br" 2>&1); rc=$?
check_eq "enable on the bridge: exit 2 ($out)" 2 "$rc"
if command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$OFFLOADMOD_CTL" fastpath show omfpa 2>&1); rc=$?
	check_eq "non-root: exit 2" 2 "$rc"
	check "non-root: says it needs root ($out)" has "$out" "needs root"
else
	ktap_skip "non-root" "no setpriv"
fi

# A deleted container: its entry goes stale and is dropped.
ctl fastpath enable omfpc >/dev/null 2>&1
ip link del omfpc
check "deleted interface: show lists only A" \
	test "$(jget "$(ctl -j fastpath show)" 0.ifname 1.ifname)" = "omfpa none"

# Disabling the last one removes the pins.
out=$(ctl fastpath disable omfpa 2>&1); rc=$?
check_eq "disable A: exit 0 ($out)" 0 "$rc"
check "last disable removed the pins" test ! -e /sys/fs/bpf/offloadmod/fastpath
check "A still pings B over the bridge" pings a "${ip4[b]}" 3

ktap_finish
