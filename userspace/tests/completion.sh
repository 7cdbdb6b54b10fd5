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

check "objects" "status stats policy dev monitor trace fastpath help" offloadmod-ctl ""
check "object prefix" "status stats" offloadmod-ctl st
check "unique object prefix" "stats" offloadmod-ctl stats
check "options" "-j --json -p --pretty -V --version -h --help" offloadmod-ctl -
check "option prefix" "--pretty" offloadmod-ctl --p
check "long options" "--json --pretty --version --help" offloadmod-ctl --
check "objects after an option" "status stats policy dev monitor trace fastpath help" offloadmod-ctl -j ""
check "status commands" "show help" offloadmod-ctl status ""
check "abbreviated object commands" "show" offloadmod-ctl -j statu sh
check "ambiguous object: no commands" "" offloadmod-ctl stat ""
check "nothing after the command" "" offloadmod-ctl status show ""
check "help objects" "status stats policy dev monitor trace fastpath help" offloadmod-ctl help ""
check "stats commands" "show hist top reset help" offloadmod-ctl stats ""
check "stats command prefix" "hist help" offloadmod-ctl stats h
check "policy commands" "set show del help" offloadmod-ctl policy ""
check "dev commands" "set show del help" offloadmod-ctl dev ""
check "monitor keywords" "count help" offloadmod-ctl monitor ""
check "monitor count: no completion of a value" "" offloadmod-ctl monitor count ""
check "trace keyword" "duration" offloadmod-ctl trace "dur"
check "trace: nothing for SECONDS" "" offloadmod-ctl trace duration ""
check "fastpath commands" "enable disable show help" offloadmod-ctl fastpath ""
check "fastpath enable: interface names" "lo" offloadmod-ctl fastpath enable lo
check "abbreviated object: po is policy" "set" offloadmod-ctl po se
check "policy set TARGET: settings" "gso gso-max-size gso-max-segs busy-poll mode" \
	offloadmod-ctl policy set / ""
check "policy set: setting prefix" "gso gso-max-size gso-max-segs" \
	offloadmod-ctl policy set / gso
check "policy set gso: on off" "on off" offloadmod-ctl policy set / gso ""
check "policy set mode: enforce audit" "enforce audit" offloadmod-ctl policy set / mode ""
check "policy set abbreviated mode: values" "audit" offloadmod-ctl policy set / mo a
check "policy set gso-max-size: no completion of a number" "" \
	offloadmod-ctl policy set / gso-max-size ""
check "policy set: settings not yet given" "gso-max-size gso-max-segs busy-poll" \
	offloadmod-ctl policy set / gso off mode audit ""
check "policy show TARGET: nothing" "" offloadmod-ctl policy show / ""
check "policy del TARGET: nothing" "" offloadmod-ctl policy del / ""
check "dev set PATTERN: netns and settings" \
	"netns tso gso gro lro rx-gro-hw tx-checksumming gso-max-size gro-max-size gro-flush-timeout napi-defer-hard-irqs" \
	offloadmod-ctl dev set "veth*" ""
check "dev set: setting prefix" "gro gro-max-size gro-flush-timeout" \
	offloadmod-ctl dev set "veth*" gro
check "dev set rx-gro-hw: on off" "on off" offloadmod-ctl dev set "veth*" rx-gro-hw ""
check "dev set abbreviated tx: on off" "off" offloadmod-ctl dev set "veth*" tx of
check "dev set gro-flush-timeout: no completion of a number" "" \
	offloadmod-ctl dev set "veth*" gro-flush-timeout ""
check "dev set: the rest after netns and two settings" \
	"tso gso lro rx-gro-hw tx-checksumming gso-max-size gro-max-size napi-defer-hard-irqs" \
	offloadmod-ctl dev set netns x "veth*" gro off gro-flush-timeout 0 ""
check "dev show PATTERN: netns" "netns" offloadmod-ctl dev show "veth*" ""
check "dev del PATTERN netns NS: nothing" "" offloadmod-ctl dev del "veth*" netns x ""
if [[ -d /sys/class/net/lo ]]; then
	check "dev set: interface names for PATTERN" "lo" offloadmod-ctl dev set lo
fi

# Targets come from the cgroup2 root.
root=$(mktemp -d)
trap "rm -rf \"$root\"" EXIT
mkdir -p "$root/docker/abc" "$root/system.slice"
export OFFLOADMOD_CGROUP_ROOT=$root
check "stats show: cgroup paths" "docker/ system.slice/" offloadmod-ctl stats show ""
check "stats show: path prefix" "docker/abc/" offloadmod-ctl stats show docker/
check "stats show: absolute path" "$root/docker/" offloadmod-ctl stats sh "$root/d"
check "stats show TARGET: recursive" "recursive" offloadmod-ctl stats show docker ""
check "stats show TARGET recursive: nothing" "" offloadmod-ctl stats show docker recursive ""
check "stats reset TARGET: recursive" "recursive" offloadmod-ctl stats reset docker r
check "stats hist TARGET: stages" "rx_stack rx_wait tx_stack tx_qdisc sched_wait" \
	offloadmod-ctl stats hist docker ""
check "stats hist stage prefix" "tx_stack tx_qdisc" offloadmod-ctl stats hist docker tx
check "stats hist TARGET STAGE: recursive" "recursive" \
	offloadmod-ctl stats hist docker rx_wait ""
check "stats top: keywords" "interval count" offloadmod-ctl stats top ""
check "stats top: no completion of a value" "" offloadmod-ctl stats top interval ""
check "stats top: the unused keyword" "count" offloadmod-ctl stats top i 2 ""
check "stats top: all used" "" offloadmod-ctl stats top count 3 interval 1 ""
check "stats help: nothing" "" offloadmod-ctl stats help ""
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
