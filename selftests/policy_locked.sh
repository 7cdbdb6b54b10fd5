#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Enforcement never waits on a lock another user can hold. An unprivileged
# user (nobody) in container C holds its TCP socket's lock indefinitely:
# send() from userfaultfd memory that is not served (uffd_lock.py; FUSE
# gives any user the same). Checked:
#  - while it is held, policy set on C and on another cgroup D, policy del
#    on both, policy show and `ethtool -k lo` (generic netlink, another
#    family) each return: the time is printed (well under 2 s on an idle
#    VM), the check allows 10 s so that a loaded host cannot fail it,
#    while a command stuck on the lock never returns;
#  - once the memory is served, the socket follows C's gso off within 1 s
#    (no frame above the MTU on C's veth from 1 s after);
#  - with the socket held again, rmmod returns (it retries such sockets
#    for 2 s, then leaves them; the check allows 20 s) and says so in the
#    kernel log.
# The old enforcement (lock_sock() on every socket from the policy
# command) hung the first policy set in D state here.
# shellcheck disable=SC2317 # functions run by trap and bounded
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip setpriv ethtool
require_cgroup2
[ -e /proc/sys/vm/unprivileged_userfaultfd ] ||
	skip_all "kernel without userfaultfd (CONFIG_USERFAULTFD)"
om_ensure_loaded
"$OFFLOADMOD_CTL" policy show >/dev/null 2>&1 || skip_all "offloadmod-ctl policy not available"

wire_setup
C=omlk-c-$$
D=omlk-d-$$
ns=omlk-$$
port=5203
d=$(mktemp -d)
chmod 777 "$d"
uffd_old=$(cat /proc/sys/vm/unprivileged_userfaultfd)
pids=()
cleanup() {
	local i
	# Serve every round the helper may be stuck in, so it can exit.
	for i in 1 2 3; do touch "$d/release.$i"; done
	for i in "${pids[@]}"; do kill "$i" 2>/dev/null; done
	bounded 20 "$OFFLOADMOD_CTL" policy del "$cgroup_root/$C" 2>/dev/null
	bounded 20 "$OFFLOADMOD_CTL" policy del "$cgroup_root/$D" 2>/dev/null
	bounded 20 cg_destroy $C
	bounded 20 cg_destroy $D
	ip netns del $ns 2>/dev/null
	echo "$uffd_old" > /proc/sys/vm/unprivileged_userfaultfd
	rm -rf "$d"
	bounded 30 om_restore
	[ -z "$bounded_stuck" ] || exit 1
}
trap cleanup EXIT
ktap_header

echo 1 > /proc/sys/vm/unprivileged_userfaultfd
cg_create $C && cg_create $D && ip netns add $ns &&
	ip link add omlk0 type veth peer name eth0 netns $ns &&
	ip addr add 10.243.1.1/24 dev omlk0 && ip link set omlk0 up &&
	ip -n $ns addr add 10.243.1.2/24 dev eth0 &&
	ip -n $ns link set eth0 up && ip -n $ns link set lo up ||
	{ ktap_fail "container"; ktap_finish; }

$wire sink $port &
pids+=($!)
cg_exec $C $ns setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$PYTHON" -S "$here/uffd_lock.py" 10.243.1.1 $port "$d" &
pids+=($!)
busywait 180000 test -e "$d/connected" || { ktap_fail "nobody's bulk flow connects"; ktap_finish; }
touch "$d/lock.1"
if ! busywait 30000 test -e "$d/locked.1"; then
	ktap_fail "nobody's send() faults on unserved memory with its socket locked"
	ktap_finish
fi
ktap_ok "nobody's send() faults on unserved memory with its socket locked"
for t in /proc/"${pids[1]}"/task/*; do
	grep -q handle_userfault "$t/stack" 2>/dev/null &&
		note "held: $(sed -n '1,6p' "$t/stack" | awk '{print $2}' | tr '\n' ' ')"
done

# returns DESC CMD...: CMD succeeds and returns (within 10 s).
returns() {
	local desc=$1 start rc
	shift
	start=$(date +%s%3N)
	bounded 10 "$@" >/dev/null
	rc=$?
	note "$desc: exit $rc after $(($(date +%s%3N) - start)) ms"
	check_eq "$desc, socket locked: returns" 0 $rc
}
returns "policy set C gso off" "$OFFLOADMOD_CTL" policy set "$cgroup_root/$C" gso off
returns "policy set D gso-max-size 16384" "$OFFLOADMOD_CTL" policy set "$cgroup_root/$D" gso-max-size 16384
returns "ethtool -k lo" ethtool -k lo
returns "policy show C" "$OFFLOADMOD_CTL" policy show "$cgroup_root/$C"
returns "policy del D" "$OFFLOADMOD_CTL" policy del "$cgroup_root/$D"
returns "policy del C" "$OFFLOADMOD_CTL" policy del "$cgroup_root/$C"
returns "policy set C gso off again" "$OFFLOADMOD_CTL" policy set "$cgroup_root/$C" gso off
[ -z "$bounded_stuck" ] || { note "a command hung: the rest cannot run"; ktap_finish; }
# Still held: nothing waited for it.
check "the socket is still held" test ! -e "$d/release.1"

# Serve the memory; from 1 s after, the socket must send MTU-sized frames.
$wire capture omlk0 10.243.1.2 1 --limit 1514 --ready "$d/cap.ready" \
	--mark "$d/release.1" --words > "$d/cap" &
cap=$!
busywait 60000 test -e "$d/cap.ready"
touch "$d/release.1"
wait $cap
read -r f m o < "$d/cap"
note "after the memory is served: $f frames, largest $m"
check "the socket follows gso off within 1 s of being released" \
	test "${f:-0}" -gt 0 -a "${o:-1}" = 0

# rmmod with the socket held: bounded, and said.
if [ "${om_we_loaded:-0}" = 1 ] || can_reload; then
	touch "$d/lock.2"
	busywait 30000 test -e "$d/locked.2"
	klines=$(dmesg | wc -l)
	start=$(date +%s%3N)
	bounded 20 om_unload
	rc=$?
	note "rmmod: exit $rc after $(($(date +%s%3N) - start)) ms"
	check_eq "rmmod with a socket held returns" 0 $rc
	check "rmmod warns about the socket it had to leave" \
		sh -c "dmesg | tail -n +$((klines + 1)) | grep -q 'held by their user'"
	touch "$d/release.2"
	[ "${om_we_loaded:-0}" = 1 ] || om_load
else
	ktap_skip "rmmod with a socket held" "no module file to reload"
fi
ktap_finish
