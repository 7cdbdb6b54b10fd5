#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a policy changed on a socket is undone, wherever the socket lives:
# its record is never lost while the socket is open. 20 network namespaces
# each get a TCP hash table of their own (net.ipv4.tcp_child_ehash_entries
# 256, 6.1 and later); in the last one, container G (cgroup + netns, veth
# to the host) sends bulk TCP under gso off. A packet socket on the host
# end of the veth is the ground truth. Checked:
#  - under gso off, no frame above the MTU;
#  - policy del: frames above the MTU come back (from 1 s after);
#  - a new flow under gso off again, then rmmod: frames above the MTU come
#    back (the module is loaded again afterwards if it was before).
# The old enforcement swept at most 16 hash tables and freed the records of
# sockets its sweep did not find: both steps kept sending MTU-sized frames.
# shellcheck disable=SC2317 # cleanup runs from the trap
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip sysctl
require_cgroup2
om_ensure_loaded
"$OFFLOADMOD_CTL" policy show >/dev/null 2>&1 || skip_all "offloadmod-ctl policy not available"

wire_setup
G=omrec-$$
nsbase=omrec-$$
nnets=20
port=5204
tmp=$(mktemp -d)
ehash_old=$(sysctl -n net.ipv4.tcp_child_ehash_entries 2>/dev/null)
pids=()
cleanup() {
	local i
	for i in "${pids[@]}"; do kill "$i" 2>/dev/null; done
	module_loaded && bounded 20 "$OFFLOADMOD_CTL" policy del "$cgroup_root/$G" 2>/dev/null
	bounded 20 cg_destroy $G
	for ((i = 1; i <= nnets; i++)); do ip netns del $nsbase-$i 2>/dev/null; done
	[ -z "$ehash_old" ] || sysctl -qw net.ipv4.tcp_child_ehash_entries="$ehash_old"
	rm -rf "$tmp"
	bounded 30 om_restore
	[ -z "$bounded_stuck" ] || exit 1
}
trap cleanup EXIT
ktap_header

if [ -n "$ehash_old" ]; then
	sysctl -qw net.ipv4.tcp_child_ehash_entries=256
else
	note "no net.ipv4.tcp_child_ehash_entries on $(uname -r): one shared table"
fi
for ((i = 1; i <= nnets; i++)); do
	ip netns add $nsbase-$i || { ktap_fail "netns $i"; ktap_finish; }
done
ns=$nsbase-$nnets
cg_create $G && ip link add omrec0 type veth peer name eth0 netns $ns &&
	ip addr add 10.244.1.1/24 dev omrec0 && ip link set omrec0 up &&
	ip -n $ns addr add 10.244.1.2/24 dev eth0 &&
	ip -n $ns link set eth0 up && ip -n $ns link set lo up ||
	{ ktap_fail "container"; ktap_finish; }

$wire sink $port &
pids+=($!)

# flow: a new bulk flow from G in the last namespace, once gso off is set.
flow() {
	rm -f "$tmp/ready"
	cg_exec $G $ns $wire send 10.244.1.1 $port 600 --ready "$tmp/ready" &
	pids+=($!)
	busywait 60000 test -e "$tmp/ready"
}
# capture NAME CMD...: run CMD once capturing, report frames of G sent
# from 1 s after it returned: "frames max over1514".
capture() {
	local m=$tmp/$1
	shift
	$wire capture omrec0 10.244.1.2 1 --limit 1514 --ready "$m.ready" \
		--mark "$m" --words > "$m.out" &
	local cap=$!
	busywait 60000 test -e "$m.ready"
	"$@" || note "command failed: $*"
	touch "$m"
	wait $cap
	cat "$m.out"
}

"$OFFLOADMOD_CTL" policy set "$cgroup_root/$G" gso off
flow
read -r f m o < <(capture on true)
note "under gso off: $f frames, largest $m"
check "gso off: frames sent, none above the MTU" test "${f:-0}" -gt 0 -a "${o:-1}" = 0
read -r f m o < <(capture del "$OFFLOADMOD_CTL" policy del "$cgroup_root/$G")
note "after policy del: $f frames, largest $m"
check "policy del: frames above the MTU come back" test "${o:-0}" -gt 0

if [ "${om_we_loaded:-0}" = 1 ] || can_reload; then
	kill "${pids[-1]}"
	"$OFFLOADMOD_CTL" policy set "$cgroup_root/$G" gso off
	flow
	read -r f m o < <(capture on2 true)
	note "new flow under gso off: $f frames, largest $m"
	check "gso off again: none above the MTU" test "${f:-0}" -gt 0 -a "${o:-1}" = 0
	read -r f m o < <(capture rmmod bounded 30 om_unload)
	note "after rmmod: $f frames, largest $m"
	check "rmmod: frames above the MTU come back" test "${o:-0}" -gt 0
	[ "${om_we_loaded:-0}" = 1 ] || om_load
else
	ktap_skip "rmmod restores" "no module file to reload"
fi
ktap_finish
