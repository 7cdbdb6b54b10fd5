#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unload with only the netfilter hooks attached (hooks=netfilter_ipv4_local_in,
# what tools/bench-guest loads) while they run. Netfilter frees the hook
# entries it replaces with call_rcu(): a hook call can still be running when
# unregister_pernet_subsys() returns, and the module must wait for it before
# it frees what the hook uses.
#
# The window is a few microseconds, too narrow to hit under emulation, so
# the test widens it: the module built with the KUnit suites (the one make
# check loads on the debug kernel, tools/check) has the test-only parameter
# test_nf_delay_us (kmod/hooks.c), a busy-wait at the start of every
# netfilter hook call, after which the call touches an object freed with the
# hooks' counters. A sender in a network namespace of its own keeps a
# hook call in that wait nearly all the time; the module is unloaded under
# it, 5 times. Ground truth is the kernel log: a teardown that does not wait
# for running hooks shows a KASAN use-after-free there (the debug kernel
# has KASAN; the VM harness also fails the run on it). Skips with a module
# that lacks the parameter (a release build).
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip modinfo dmesg
can_reload || skip_all "no module to load (set OFFLOADMOD_KO or install it)"
module_loaded && skip_all "offloadmod is already loaded by someone else"
if [ -n "${OFFLOADMOD_KO:-}" ]; then
	params=$(modinfo -p "$OFFLOADMOD_KO" 2>/dev/null)
else
	params=$(modinfo -p offloadmod 2>/dev/null)
fi
grep -q '^test_nf_delay_us:' <<<"$params" ||
	skip_all "the module has no test_nf_delay_us (not the test build: tools/build-module debug kunit)"

ns=omst-nf-$$
delay_us=20000
cycles=5
sender=""
cleanup() {
	[ -z "$sender" ] || kill "$sender" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	module_loaded && om_unload
}
trap cleanup EXIT
ktap_header
ip netns add "$ns" && ip -n "$ns" link set lo up ||
	{ ktap_fail "network namespace"; ktap_finish; }

# The hook's invocation count, from the module's status.
nf_invocations() {
	awk '$1 == "hook" && $2 == "netfilter_ipv4_local_in" { print $8 }' \
		/sys/kernel/offloadmod/status 2>/dev/null
}
nf_running() { [ "$(nf_invocations)" -ge "$1" ] 2>/dev/null; }
# New kernel log lines that report a memory or locking error.
klog_errors() {
	dmesg | tail -n +"$((klog0 + 1))" |
		grep -E 'KASAN|BUG:|Oops|general protection|WARNING:|use-after-free'
}

# UDP to a closed port of the namespace's loopback, as fast as it goes:
# each datagram and the ICMP error it draws pass LOCAL_IN, and on loopback
# the sender's own CPU runs the receive path (and so the hook's wait).
ip netns exec "$ns" "$PYTHON" -S -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
while True:
    s.sendto(b"x" * 64, ("127.0.0.1", 9))' &
sender=$!

klog0=$(dmesg | wc -l)
fails=0
for i in $(seq 1 $cycles); do
	if ! om_load hooks=netfilter_ipv4_local_in test_nf_delay_us=$delay_us; then
		ktap_fail "cycle $i: load with hooks=netfilter_ipv4_local_in"
		fails=1
		break
	fi
	if [ "$i" = 1 ]; then
		attached=$(awk '$1 == "hook" && $6 == 1 { print $2 }' \
			/sys/kernel/offloadmod/status | tr '\n' ' ')
		note "attached: $attached"
		check "only netfilter hooks attached, netfilter_ipv4_local_in among them" \
			"$PYTHON" -S -c 'import sys
a = sys.argv[1].split()
sys.exit(not ("netfilter_ipv4_local_in" in a and
              all(h.startswith("netfilter_") for h in a)))' "$attached"
		check_eq "test_nf_delay_us is set" "$delay_us" \
			"$(cat /sys/module/offloadmod/parameters/test_nf_delay_us)"
	fi
	# Some calls done, so one is in its wait now.
	if ! busywait 30000 nf_running 3; then
		ktap_fail "cycle $i: the netfilter hook runs (invocations $(nf_invocations))"
		fails=1
		break
	fi
	if ! om_unload; then
		ktap_fail "cycle $i: rmmod"
		fails=1
		break
	fi
	# A freed object touched after the wait: the report comes within
	# test_nf_delay_us of the unload.
	sleep 0.2
	if klog_errors >/dev/null; then
		note "cycle $i: the kernel log reports:"
		klog_errors | head -20 | sed 's/^/#   /'
		fails=1
		break
	fi
done
check "the sender ran throughout" kill -0 "$sender"
check_eq "$cycles unloads under running netfilter hooks, no KASAN report or splat" 0 "$fails"
ktap_finish
