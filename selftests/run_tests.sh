#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run selftests and print KTAP: each test's own results nested (indented)
# under one top-level result line, as the kselftest runner does. A test that
# exits 4 (KSFT_SKIP) is a skip; one that runs over its time is a failure.
# 15 min: the traffic tests (policy_gso.sh) run five times slower on the
# debug kernel; a hung test still ends well inside the VM timeout.
timeout=${OFFLOADMOD_TEST_TIMEOUT:-900}
cd "$(dirname "$0")" || exit 1
echo "TAP version 13"
echo "1..$#"
n=0
rc=0
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: offloadmod: $t"
	t0=$SECONDS
	# The last PID handed out, to count the processes a test started:
	# under TCG every exec costs 50-500 ms (docs/TESTING.md).
	p0=$(cut -d' ' -f5 /proc/loadavg)
	timeout --kill-after=10 "$timeout" "./$t" 2>&1 | sed -u 's/^/    /'
	st=${PIPESTATUS[0]}
	procs=$(( $(cut -d' ' -f5 /proc/loadavg) - p0 ))
	[ "$procs" -ge 0 ] || procs=$((procs + $(cat /proc/sys/kernel/pid_max)))
	echo "# $t took $((SECONDS - t0)) s, $procs processes"
	case $st in
	0) echo "ok $n selftests: offloadmod: $t" ;;
	4) echo "ok $n selftests: offloadmod: $t # SKIP" ;;
	124) echo "not ok $n selftests: offloadmod: $t # TIMEOUT ${timeout}s"; rc=1 ;;
	*) echo "not ok $n selftests: offloadmod: $t # exit=$st"; rc=1 ;;
	esac
done
exit $rc
