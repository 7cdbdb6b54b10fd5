#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bash completion: completes options, objects and commands, and knows
# every object and option that "offloadmod-ctl --help" lists. TAP.
set -u
cd "$(dirname "$0")/.." || exit 2

if ! command -v bash >/dev/null 2>&1; then
	echo "ok 1 - bash completion # SKIP no bash"
	echo "1..1"
	exit 0
fi

exec bash -c '
set -u
. ./completion/offloadmod-ctl.bash
n=0 failed=0

# check NAME WANT WORDS...: completing the last word gives WANT.
check() {
	local name=$1 want=$2 got
	shift 2
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_offloadmod_ctl
	got="${COMPREPLY[*]:-}"
	n=$((n + 1))
	if [[ "$got" == "$want" ]]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		echo "# got \"$got\", want \"$want\""
	fi
}

check "objects" "status help" offloadmod-ctl ""
check "object prefix" "status" offloadmod-ctl st
check "options" "-j --json -p --pretty -V --version -h --help" offloadmod-ctl -
check "option prefix" "--pretty" offloadmod-ctl --p
check "long options" "--json --pretty --version --help" offloadmod-ctl --
check "objects after an option" "status help" offloadmod-ctl -j ""
check "status commands" "show help" offloadmod-ctl status ""
check "abbreviated object commands" "show" offloadmod-ctl -j stat sh
check "nothing after the command" "" offloadmod-ctl status show ""
check "help objects" "status help" offloadmod-ctl help ""
check "nothing after --version" "" offloadmod-ctl --version ""

# Every object and option the tool lists is completed.
help=$(./offloadmod-ctl --help)
objs=$(printf "%s\n" "$help" | sed -n "s/^where  OBJECT := { \(.*\) }$/\1/p" | tr -d "|")
n=$((n + 1))
missing=""
for o in $objs; do
	[[ " $_offloadmod_ctl_objects " == *" $o "* ]] || missing="$missing $o"
done
if [[ -n "$objs" && -z "$missing" ]]; then
	echo "ok $n - completion knows every object of --help"
else
	failed=$((failed + 1)); echo "not ok $n - completion knows every object of --help"
	echo "# missing:${missing:- (could not read --help)}"
fi
n=$((n + 1))
missing=""
for o in $(printf "%s\n" "$help" | grep -oE -- "--[a-z]+" | sort -u); do
	[[ " $_offloadmod_ctl_options " == *" $o "* ]] || missing="$missing $o"
done
if [[ -z "$missing" ]]; then
	echo "ok $n - completion knows every long option of --help"
else
	failed=$((failed + 1)); echo "not ok $n - completion knows every long option of --help"
	echo "# missing:$missing"
fi

echo "1..$n"
[[ $failed -eq 0 ]]
'
