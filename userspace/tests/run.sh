#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run TAP test programs (binaries and *.sh scripts), show their output and
# sum up: "userspace: N passed, N failed, N skipped". A test fails the run
# if it reports "not ok", exits non-zero or does not match its plan.
#
# VALGRIND=1: run the test binaries, and every offloadmod-ctl run by the
# scripts (through $OFFLOADMOD_CTL_WRAP), under valgrind memcheck; any
# memory error or definite/indirect leak fails.
set -u
cd "$(dirname "$0")/.." || exit 2

vg=""
if [ "${VALGRIND:-}" = 1 ]; then
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "run.sh: VALGRIND=1 but valgrind is not installed" >&2
		exit 2
	fi
	vg="valgrind -q --error-exitcode=99 --leak-check=full"
	vg="$vg --show-leak-kinds=definite,indirect"
	vg="$vg --errors-for-leak-kinds=definite,indirect"
fi
OFFLOADMOD_CTL_WRAP="$vg"
export OFFLOADMOD_CTL_WRAP

out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT INT TERM

pass=0 fail=0 skip=0
for t in "$@"; do
	echo "# $t"
	case $t in
	*.sh)	sh "$t" >"$out" ;;
	*)	$vg "./$t" >"$out" ;;
	esac
	rc=$?
	cat "$out"
	n=$(grep -cE '^(not )?ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	s=$(grep -cE '^ok .*# SKIP' "$out")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out")
	pass=$((pass + n - f - s))
	fail=$((fail + f))
	skip=$((skip + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "# $t: exited with status $rc"
		fail=$((fail + 1))
	fi
	if [ -z "$plan" ] || [ "$plan" -ne "$n" ]; then
		echo "# $t: ran $n tests, plan says ${plan:-nothing}"
		fail=$((fail + 1))
	fi
done

echo "userspace: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
