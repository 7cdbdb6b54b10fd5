# SPDX-License-Identifier: GPL-2.0
# TAP helpers shared by the shell tests (sourced).
n=0
failed=0

# result STATUS DESCRIPTION [DIAGNOSTIC]: one TAP line from an exit status.
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && echo "# $3"
	fi
	return 0
}
