#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cgroup policies against the wire. Containers send bulk TCP to a sink on
# the host, each over its own veth; a packet socket on the host end of each
# veth sees the frames as the container's stack sent them (a GSO
# super-packet is one frame). Pod P holds containers P/a and P/c; B stands
# alone. Checked, with `offloadmod-ctl policy`:
#  - gso off on P reaches P/a on its running flow within 1 s (no frame
#    above the MTU), while B still sends super-packets and P/c, with a
#    policy of its own, keeps its own (capped, not off);
#  - gso-max-size 16384: none above 16384, also after a route cache flush
#    makes the kernel recompute the socket's caps;
#  - policy del: super-packets return;
#  - new sockets (IPv4 and IPv6, connecting and accepted) under gso off
#    never send a super-packet, not even their first;
#  - busy-poll: the socket's own SO_BUSY_POLL, read by the application,
#    follows the policy and goes back on del;
#  - audit: packets unchanged, audit_would_adjust = the container's sockets;
#  - a cgroup removed with a policy: the policy goes (and, on the debug
#    kernel, kmemleak checks it was freed).
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip
require_cgroup2
om_ensure_loaded
require_ctl_stats
"$OFFLOADMOD_CTL" policy show > /dev/null 2>&1 || skip_all "the loaded module has no cgroup policies"

wire_setup
tmp=/tmp/ompol.$$
P=ompol-p-$$
B=ompol-b-$$
port=5201
# Each step is bounded: a step that hangs fails the test with its kernel
# stack instead of running into the runner's timeout.
cleanup() {
	local g
	pkill -f "gso_wire.py .* $port" 2>/dev/null
	pkill -f "gso_wire.py source 5202" 2>/dev/null
	for g in $P $P/c $B; do
		bounded 60 "$OFFLOADMOD_CTL" policy del "$cgroup_root/$g" 2>/dev/null
	done
	bounded 60 cg_destroy $P; bounded 60 cg_destroy $B
	for c in a b c; do
		bounded 60 ip netns del ompol-$c-$$ 2>/dev/null
	done
	rm -f $tmp.*
	bounded 120 om_restore
	[ -z "$bounded_stuck" ] || exit 1
}
trap cleanup EXIT
ktap_header

# container NAME CGROUP N: netns ompol-NAME-$$, veth ompolN (host,
# 10.242.N.1, fd42:N::1) <-> eth0 (10.242.N.2, fd42:N::2).
container() {
	local ns=ompol-$1-$$ n=$3
	cg_create "$2" && ip netns add $ns &&
	ip link add ompol$n type veth peer name eth0 netns $ns &&
	ip addr add 10.242.$n.1/24 dev ompol$n &&
	ip addr add fd42:$n::1/64 dev ompol$n nodad &&
	ip link set ompol$n up &&
	ip -n $ns addr add 10.242.$n.2/24 dev eth0 &&
	ip -n $ns addr add fd42:$n::2/64 dev eth0 nodad &&
	ip -n $ns link set eth0 up && ip -n $ns link set lo up
}
container a $P/a 1 && container b $B 2 && container c $P/c 3 ||
	{ ktap_fail "containers"; ktap_finish; }

$wire sink $port &
# bulk NAME CGROUP DEST: a long bulk flow from the container.
bulk() {
	cg_exec "$2" ompol-$1-$$ $wire send "$3" $port 3600 &
}
bulk a $P/a 10.242.1.1
bulk b $B 10.242.2.1
bulk c $P/c 10.242.3.1

# capture N SRC [MARK]: frames from SRC on ompolN for 1 s (from 1 s after
# MARK appears, if given); prints "frames max over1514 over16384".
capture() {
	local mark=${3:+--mark $3}
	$wire capture ompol$1 "$2" 1 --limit 1514 --limit 16384 $mark --words
}

# set_and_capture MARKNAME N SRC POLICY-COMMAND...: start capturing on
# ompolN, run the command once the packet socket is open, and report only
# frames sent from 1 s after it returned.
set_and_capture() {
	local m=$tmp.$1 n=$2 src=$3 out
	shift 3
	rm -f $m $m.ready
	capture_bg $n "$src" $m > $m.out &
	busywait 60000 test -e $m.ready
	"$@" || note "command failed: $*"
	touch $m
	wait $!
	cat $m.out
}
capture_bg() {
	$wire capture ompol$1 "$2" 1 --limit 1514 --limit 16384 \
		--ready $3.ready --mark $3 --words
}

# Wait for all three flows (a megabyte from each on its host veth), then
# the baseline: super-packets everywhere.
flowing() {
	local n b
	for n in 1 2 3; do
		read -r b < /sys/class/net/ompol$n/statistics/rx_bytes || return 1
		[ "$b" -gt 1000000 ] || return 1
	done
}
busywait 120000 flowing
read -r fa ma oa oa16 < <(capture 1 10.242.1.2)
read -r fb mb ob _ < <(capture 2 10.242.2.2)
note "baseline: A $fa frames, largest $ma; B $fb frames, largest $mb"
[ "${oa:-0}" -gt 0 ] && [ "${ob:-0}" -gt 0 ] ||
	skip_all "no GSO super-packets on the veths even without a policy"

# --- gso off on the pod, its child's own policy, B untouched ---------------
"$OFFLOADMOD_CTL" policy set "$cgroup_root/$P/c" gso-max-size 16384
check_eq "policy set on P/c" 0 $?
read -r f m o1 o16 < <(set_and_capture off 1 10.242.1.2 "$OFFLOADMOD_CTL" policy set "$cgroup_root/$P" gso off)
note "A under P's gso off: $f frames, largest $m"
check "A (child of P) sends frames" test "${f:-0}" -gt 0
check_eq "A: no frame above the MTU within 1 s of policy set on the running flow" 0 "$o1"
read -r f m o1 o16 < <(capture 2 10.242.2.2)
note "B: $f frames, largest $m"
check "B (no policy) still sends super-packets" test "${o1:-0}" -gt 0
read -r f m o1 o16 < <(capture 3 10.242.3.2)
note "P/c (own policy gso-max-size 16384): $f frames, largest $m"
check "P/c's own policy wins: super-packets, none above 16384" \
	test "${o1:-0}" -gt 0 -a "${o16:-1}" = 0
j=$("$OFFLOADMOD_CTL" -j policy show "$cgroup_root/$P")
read -r sk adj < <(jget "$j" 0.sockets 0.sockets_adjusted)
check "policy show P: sockets adjusted (A's flow)" test "${adj:-0}" -ge 1 -a "${sk:-0}" -ge 1

# --- capped super-packets, and after the kernel recomputes the caps --------
read -r f m o1 o16 < <(set_and_capture cap 1 10.242.1.2 "$OFFLOADMOD_CTL" policy set "$cgroup_root/$P" gso on gso-max-size 16384)
note "A under gso-max-size 16384: $f frames, largest $m"
check "A: super-packets again, none above 16384" test "${o1:-0}" -gt 0 -a "${o16:-1}" = 0
read -r f m o1 o16 < <(set_and_capture flush 1 10.242.1.2 ip -n ompol-a-$$ route flush cache)
note "A after a route cache flush: $f frames, largest $m"
check_eq "A: cap kept after the kernel recomputed the route caps" 0 "$o16"

# --- del restores -----------------------------------------------------------
read -r f m o1 o16 < <(set_and_capture del 1 10.242.1.2 "$OFFLOADMOD_CTL" policy del "$cgroup_root/$P")
note "A after policy del: $f frames, largest $m"
check "A: super-packets return within 1 s of policy del" test "${o1:-0}" -gt 0
# The cap goes too. A slow kernel (the debug one) sizes a paced flow's
# super-packets from its pacing rate and may take a few seconds to grow
# them past 16384 again (or never did, in the baseline).
if [ "${oa16:-0}" -gt 0 ]; then
	for _ in 1 2 3 4 5; do
		[ "${o16:-0}" -gt 0 ] && break
		read -r f m o1 o16 < <(capture 1 10.242.1.2)
		note "A later: $f frames, largest $m"
	done
	check "A: super-packets above 16384 return after policy del (no cap left)" test "${o16:-0}" -gt 0
fi

# --- new sockets, IPv4 and IPv6, connecting and accepted --------------------
"$OFFLOADMOD_CTL" policy set "$cgroup_root/$P" gso off
pkill -f "gso_wire.py send 10.242.1.1" 2>/dev/null
sleep 0.5
for dst in 10.242.1.1 fd42:1::1; do
	src=${dst%1}2
	rm -f $tmp.new $tmp.new.ready $tmp.new.stop
	$wire capture ompol1 "$src" 120 --limit 1514 --limit 16384 \
		--ready $tmp.new.ready --stop $tmp.new.stop --words > $tmp.new &
	cap=$!
	busywait 60000 test -e $tmp.new.ready
	cg_exec $P/a ompol-a-$$ $wire send "$dst" $port 2
	touch $tmp.new.stop
	wait $cap
	read -r f m o1 _ < $tmp.new
	note "new connecting socket to $dst: $f frames, largest $m"
	check "new connecting socket ($dst): frames sent, none above the MTU from the first" \
		test "${f:-0}" -gt 0 -a "${o1:-1}" = 0
done
cg_exec $P/a ompol-a-$$ $wire source 5202 &
busywait 60000 sh -c "ip netns exec ompol-a-$$ ss -Htln | grep -q ':5202 '"
$wire drain 10.242.1.2 5202 &
drainer=$!
busywait 60000 sh -c "ip netns exec ompol-a-$$ ss -Htn state established | grep -q ':5202 '"
$wire capture ompol1 10.242.1.2 2 --limit 1514 --words > $tmp.acc
kill $drainer
read -r f m o1 < $tmp.acc
note "accepted socket in A: $f frames, largest $m"
check "new accepted socket: frames sent, none above the MTU" \
	test "${f:-0}" -gt 0 -a "${o1:-1}" = 0
pkill -f "gso_wire.py source 5202"

# --- busy polling, read back by the application -----------------------------
cg_exec $P/a ompol-a-$$ $wire busypoll 10.242.1.1 $port $tmp.bp &
# (Python starts slowly on the debug kernel under load.)
busywait 90000 test -s $tmp.bp
before=$(cat $tmp.bp)
"$OFFLOADMOD_CTL" policy set "$cgroup_root/$P" busy-poll 50
busywait 1000 grep -qx 50 $tmp.bp
check "busy-poll 50: the socket's SO_BUSY_POLL is 50 within 1 s" grep -qx 50 $tmp.bp
"$OFFLOADMOD_CTL" policy set "$cgroup_root/$P" busy-poll 0
busywait 1000 grep -qx "$before" $tmp.bp
check_eq "busy-poll removed: SO_BUSY_POLL back to $before" "$before" "$(cat $tmp.bp)"
pkill -f "gso_wire.py busypoll"
"$OFFLOADMOD_CTL" policy del "$cgroup_root/$P"

# --- audit: nothing changes, every socket counted ---------------------------
bulk b $B 10.242.2.1
busywait 60000 sh -c "ip netns exec ompol-b-$$ ss -Htn state established | grep -c . | grep -qx 2"
"$OFFLOADMOD_CTL" policy set "$cgroup_root/$B" gso off mode audit
read -r f m o1 o16 < <(capture 2 10.242.2.2)
note "B under audit gso off: $f frames, largest $m"
check "audit: B still sends super-packets" test "${o1:-0}" -gt 0
j=$("$OFFLOADMOD_CTL" -j policy show "$cgroup_root/$B")
read -r would adj < <(jget "$j" 0.audit_would_adjust 0.sockets_adjusted)
nsock=$(ip netns exec ompol-b-$$ ss -Htn state established | grep -c .)
check_eq "audit: audit_would_adjust = B's TCP sockets ($nsock)" "$nsock" "$would"
check_eq "audit: nothing adjusted" 0 "$adj"
"$OFFLOADMOD_CTL" policy del "$cgroup_root/$B"

# --- a removed cgroup takes its policy along --------------------------------
cg_create $P/gone
"$OFFLOADMOD_CTL" policy set "$cgroup_root/$P/gone" gso off
gone_id=$(cg_id $P/gone)
rmdir "$cgroup_root/$P/gone"
busywait 3000 sh -c "! \"$OFFLOADMOD_CTL\" -j policy show | grep -q '\"cgroup_id\":$gone_id[,}]'"
check "policy of a removed cgroup is dropped within 3 s" \
	sh -c "! \"$OFFLOADMOD_CTL\" -j policy show | grep -q '\"cgroup_id\":$gone_id[,}]'"
ktap_finish
