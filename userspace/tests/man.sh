#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The man page renders without warnings and documents every object and
# option that "offloadmod-ctl --help" lists. TAP.
set -u
cd "$(dirname "$0")/.." || exit 2
PAGE=offloadmod-ctl.8
. ./tests/tap.sh

if command -v groff >/dev/null 2>&1; then
	w=$(groff -man -ww -z "$PAGE" 2>&1)
	[ -z "$w" ]
	result $? "groff -man -ww: no warnings" "$w"
else
	n=$((n + 1)); echo "ok $n - groff -man -ww: no warnings # SKIP no groff"
fi
if command -v man >/dev/null 2>&1; then
	w=$(MANWIDTH=80 man -l "$PAGE" 2>&1 >/dev/null)
	[ -z "$w" ]
	result $? "man -l renders cleanly" "$w"
else
	n=$((n + 1)); echo "ok $n - man -l renders cleanly # SKIP no man"
fi

help=$(./offloadmod-ctl --help)
objs=$(printf '%s\n' "$help" | sed -n 's/^where  OBJECT := { \(.*\) }$/\1/p' | tr -d '|')
[ -n "$objs" ]
result $? "--help lists objects"
for o in $objs; do
	grep -q "^\.SS $o\$" "$PAGE"
	result $? "man page has a section for object $o"
done
for o in $(printf '%s\n' "$help" | grep -oE -- '--[a-z]+' | sort -u); do
	grep -qF -- "\\-\\-${o#--}" "$PAGE"
	result $? "man page documents $o"
done
sections="NAME SYNOPSIS DESCRIPTION OPTIONS OBJECTS TARGETS JSON_OUTPUT EXIT_STATUS ENVIRONMENT FILES EXAMPLES"
for s in $sections; do
	s=$(echo "$s" | tr _ ' ')
	grep -q "^\.SH $s\$" "$PAGE"
	result $? "man page has section $s"
done

echo "1..$n"
[ "$failed" -eq 0 ]
