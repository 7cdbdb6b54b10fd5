#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A socket outlives its cgroup (issue 13, defect 9): a sender opens its UDP
# socket in cgroup X, moves to Y, and X is removed; the socket keeps X's
# id. Each of its packets misses the module's table, and without a record
# that X is gone each would ask for X to be tracked again: an irq_work (a
# self-IPI) and a work item per packet. Ground truth: the IWI (irq work)
# line of /proc/interrupts, and the sender's own count of datagrams.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip
require_cgroup2
om_ensure_loaded
grep -q '^ *IWI:' /proc/interrupts || skip_all "no IWI line in /proc/interrupts"

n=20000
top=omgone-$$
tmp=/tmp/omgone.$$
cleanup() {
	[ -z "${sender:-}" ] || kill "$sender" 2>/dev/null
	cg_destroy $top
	netns_pair_cleanup
	rm -rf $tmp
	om_restore
}
trap cleanup EXIT
ktap_header
mkdir -p $tmp
netns_pair_setup || { ktap_fail "namespaces"; ktap_finish; }
cg_create $top/x && cg_create $top/y || { ktap_fail "cgroups"; ktap_finish; }

# irq_works run on this host so far, all CPUs.
iwi() { awk '$1 == "IWI:" { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts; }

# The sender: its socket is made in X; it sends once told to.
cg_exec $top/x "$ns_a" "$PYTHON" -S -c '
import os, socket, sys, time
ready, go, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("10.231.0.2", 9))
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.05)
sent = 0
for _ in range(n):
    try:
        s.sendto(b"x" * 64, ("10.231.0.2", 9))
        sent += 1
    except OSError:
        pass
print(sent)
' $tmp/ready $tmp/go $n > $tmp/sent &
sender=$!
busywait 60000 test -e $tmp/ready
check "sender's socket made in X" test -e $tmp/ready
# Everything in X (the sender, which cg_exec started below a subshell)
# moves to Y.
while read -r p; do
	echo "$p" > "$cgroup_root/$top/y/cgroup.procs"
done < "$cgroup_root/$top/x/cgroup.procs"
x_id=$(cg_id $top/x)
rmdir "$cgroup_root/$top/x"
check "X removed while its socket lives on in Y" test ! -d "$cgroup_root/$top/x"
# The module forgets X's state within its 1 s sweep.
sleep 2

rxp() { ip netns exec "$ns_b" cat /sys/class/net/omvb/statistics/rx_packets; }
rx0=$(rxp)
w0=$(iwi)
touch $tmp/go
wait $sender
sender=
w1=$(iwi)
rx1=$(rxp)
sent=$(cat $tmp/sent)
note "X was cgroup $x_id; sent $sent datagrams from its socket, B's veth received $((rx1 - rx0)); irq_works: $((w1 - w0))"
check_eq "the sender sent all $n" "$n" "$sent"
check "B's veth received them" test $((rx1 - rx0)) -ge "$n"
check "irq_works during the $n packets: under 100 (the gone cgroup is asked for once)" \
	test $((w1 - w0)) -lt 100
ktap_finish
