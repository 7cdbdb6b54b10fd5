#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Command line of the built offloadmod-ctl: options, dispatch, exit
# status, messages. Needs no module; on this kind of host the module is
# not loaded, which is itself tested (skipped where the family exists).
# TAP on stdout. $OFFLOADMOD_CTL_WRAP (e.g. valgrind) prefixes each run.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=./offloadmod-ctl
WRAP=${OFFLOADMOD_CTL_WRAP:-}
HDR=../uapi/linux/offloadmod.h

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
	echo "# stdout: $(head -c 400 "$tmp/out")"
	echo "# stderr: $(head -c 400 "$tmp/err")"
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

run() {
	# shellcheck disable=SC2086 # WRAP is a command prefix
	$WRAP "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect NAME RC ARGS...: exit status RC.
expect() {
	name=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" -eq "$want" ]; then
		ok "$name"
	else
		not_ok "$name" "exit status $rc, want $want"
	fi
}

# usage_error NAME FIRST-LINE ARGS...: status 1, nothing on stdout, the
# one-line error first on stderr, then a short usage.
usage_error() {
	name=$1 first=$2
	shift 2
	run "$@"
	if [ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] &&
	   [ "$(head -n 1 "$tmp/err")" = "offloadmod-ctl: $first" ] &&
	   grep -q '^Usage: offloadmod-ctl ' "$tmp/err" &&
	   [ "$(wc -l <"$tmp/err")" -le 5 ]; then
		ok "$name"
	else
		not_ok "$name" "exit status $rc, want 1 and \"$first\""
	fi
}

expect "--help exits 0" 0 --help
grep -q '^Usage: offloadmod-ctl' "$tmp/out" && [ ! -s "$tmp/err" ] &&
	ok "--help prints usage on stdout" || not_ok "--help prints usage on stdout"
expect "-h exits 0" 0 -h
expect "help exits 0" 0 help
grep -q 'status' "$tmp/out" && ok "help lists the status object" ||
	not_ok "help lists the status object"
expect "help status exits 0" 0 help status
expect "status help exits 0" 0 status help
grep -q 'status \[ show \]' "$tmp/out" && ok "status help shows its usage" ||
	not_ok "status help shows its usage"

uapi=$(sed -n 's/^#define[[:space:]]*OFFLOADMOD_FAMILY_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$HDR")
expect "-V exits 0" 0 -V
grep -qE "^offloadmod-ctl [0-9]+\.[0-9]+\.[0-9]+ \(uapi $uapi\)$" "$tmp/out" &&
	ok "-V prints tool and uapi version" || not_ok "-V prints tool and uapi version"
expect "--version exits 0" 0 --version

usage_error "no object: exit 1" 'no OBJECT given'
usage_error "unknown object: exit 1" 'unknown object "bogus"' bogus
usage_error "unknown object after options: exit 1" 'unknown object "bogus"' -j -p bogus
usage_error "unknown short option: exit 1" 'unknown option "-x"' -x status
usage_error "unknown long option: exit 1" 'unknown option "--bogus"' --bogus status
usage_error "extra argument to status show: exit 1" 'unexpected argument "extra"' status show extra
usage_error "extra argument to status: exit 1" 'unknown command "extra" for status' status extra
usage_error "help with unknown object: exit 1" 'unknown object "bogus"' help bogus
usage_error "help with two objects: exit 1" 'unexpected argument "status"' help status status
usage_error "global option after the object: exit 1" 'unknown command "-j" for status' status -j
usage_error "ambiguous object (st: status, stats): exit 1" 'ambiguous object "st"' st

# stats: every command line error is caught before the kernel is asked.
expect "stats help exits 0" 0 stats help
grep -q 'stats hist TARGET STAGE' "$tmp/out" && grep -q 'sched_wait' "$tmp/out" &&
	ok "stats help shows its usage and stages" ||
	not_ok "stats help shows its usage and stages"
expect "help stats exits 0" 0 help stats
usage_error "stats bogus: exit 1" 'unknown command "bogus" for stats' stats bogus
usage_error "stats h (hist or help): exit 1" 'ambiguous command "h" for stats' stats h
usage_error "stats help extra: exit 1" 'unexpected argument "extra"' stats help extra
usage_error "stats hist without TARGET: exit 1" 'no TARGET given' stats hist
usage_error "stats hist without STAGE: exit 1" \
	'no STAGE given (one of rx_stack, rx_wait, tx_stack, tx_qdisc, sched_wait)' \
	stats hist /
usage_error "stats hist unknown stage: exit 1" 'unknown stage "bogus"' stats hist / bogus
usage_error "stats hist ambiguous stage: exit 1" 'ambiguous stage "rx"' stats hist / rx
usage_error "stats hist extra argument: exit 1" 'unexpected argument "x"' \
	stats hist / rx_wait recursive x
usage_error "stats show two targets: exit 1" 'unexpected argument "b"' stats show a b
usage_error "stats show recursive without TARGET: exit 1" \
	'"recursive" needs a TARGET' stats show recursive
usage_error "stats reset recursive without TARGET: exit 1" \
	'"recursive" needs a TARGET' stats reset recursive
usage_error "stats top unknown word: exit 1" 'unexpected argument "bogus"' stats top bogus
usage_error "stats top interval without value: exit 1" 'interval needs a value' \
	stats top interval
usage_error "stats top interval 0: exit 1" \
	'invalid interval "0": seconds, above 0 and at most 86400' stats top interval 0
usage_error "stats top interval nan: exit 1" \
	'invalid interval "nan": seconds, above 0 and at most 86400' stats top i nan
usage_error "stats top count 0: exit 1" \
	'invalid count "0": a number of refreshes, at least 1' stats top count 0
usage_error "stats top count -1: exit 1" \
	'invalid count "-1": a number of refreshes, at least 1' stats top count -1

# policy, dev, monitor: command line errors are caught before the kernel
# is asked, and name the argument.
expect "help lists policy, dev and monitor" 0 help
grep -q 'policy { set | show | del | help }' "$tmp/out" &&
	grep -q 'dev { set | show | del | help }' "$tmp/out" &&
	grep -q 'monitor \[ count N \]' "$tmp/out" &&
	ok "help shows the policy, dev and monitor synopses" ||
	not_ok "help shows the policy, dev and monitor synopses"
expect "policy help exits 0" 0 policy help
grep -q 'policy set TARGET SETTING' "$tmp/out" && grep -q 'busy-poll USEC' "$tmp/out" &&
	ok "policy help shows its usage and settings" ||
	not_ok "policy help shows its usage and settings"
expect "help policy exits 0" 0 help policy
expect "dev help exits 0" 0 dev help
grep -q 'dev set PATTERN \[ netns NS \] SETTING' "$tmp/out" &&
	grep -q 'rx-gro-hw' "$tmp/out" && grep -q 'napi-defer-hard-irqs' "$tmp/out" &&
	ok "dev help shows its usage and settings" ||
	not_ok "dev help shows its usage and settings"
expect "monitor help exits 0" 0 monitor help
grep -q 'policy-set, policy-del, dev-set, dev-del' "$tmp/out" &&
	ok "monitor help names the events" || not_ok "monitor help names the events"
usage_error "policy bogus: exit 1" 'unknown command "bogus" for policy' policy bogus
usage_error "policy help extra: exit 1" 'unexpected argument "x"' policy help x
usage_error "policy set without TARGET: exit 1" 'no TARGET given' policy set
usage_error "policy set without setting: exit 1" \
	'no setting given (gso, gso-max-size, gso-max-segs, busy-poll, mode)' policy set /
usage_error "policy set gso maybe: exit 1" 'invalid gso "maybe": on or off' \
	policy set / gso maybe
usage_error "policy set gso-max-size too small: exit 1" \
	'invalid gso-max-size "1024": bytes, 0 (remove) or 2048 to 524288' \
	policy set / gso-max-size 1024
usage_error "policy set gso-max-segs negative: exit 1" \
	'invalid gso-max-segs "-1": segments, 0 (remove) or 1 to 65535' \
	policy set / gso-max-segs -1
usage_error "policy set busy-poll too large: exit 1" \
	'invalid busy-poll "1000001": microseconds, 0 (remove) or 1 to 1000000' \
	policy set / busy-poll 1000001
usage_error "policy set mode bogus: exit 1" 'invalid mode "bogus": enforce or audit' \
	policy set / mode bogus
usage_error "policy set twice: exit 1" '"gso" given twice' policy set / gso on gso off
usage_error "policy set without value: exit 1" 'mode needs a value' policy set / mode
usage_error "policy set dev setting: exit 1" 'unexpected argument "gro"' \
	policy set / gro off
usage_error "policy show two targets: exit 1" 'unexpected argument "b"' policy show a b
usage_error "policy del without TARGET: exit 1" 'no TARGET given' policy del
usage_error "dev bogus: exit 1" 'unknown command "bogus" for dev' dev bogus
usage_error "dev set without PATTERN: exit 1" 'no PATTERN given' dev set
usage_error "dev set without setting: exit 1" \
	'no setting given (tso, gso, gro, lro, rx-gro-hw, tx-checksumming, gso-max-size, gro-max-size, gro-flush-timeout, napi-defer-hard-irqs)' \
	dev set 'veth*'
usage_error "dev set pattern with a slash: exit 1" \
	"invalid PATTERN \"a/b\": interface names have no '/', ':' or white space" \
	dev set a/b gro off
usage_error "dev set gro-max-size 0: exit 1" 'invalid gro-max-size "0": bytes, 1 to 524288' \
	dev set 'veth*' gro-max-size 0
usage_error "dev set gro-flush-timeout too large: exit 1" \
	'invalid gro-flush-timeout "4294967296": nanoseconds, 0 to 4294967295' \
	dev set 'veth*' gro-flush-timeout 4294967296
usage_error "dev set netns without value: exit 1" 'netns needs a value' dev set 'veth*' netns
usage_error "dev set netns not a netns file: exit 1" '/dev/null is not a network namespace' \
	dev set 'veth*' netns /dev/null gro off
usage_error "dev del extra: exit 1" 'unexpected argument "b"' dev del a b
usage_error "monitor bogus: exit 1" 'unexpected argument "bogus"' monitor bogus
usage_error "monitor count 0: exit 1" 'invalid count "0": a number of events, at least 1' \
	monitor count 0
usage_error "monitor count twice: exit 1" '"count" given twice' monitor count 1 count 2
usage_error "trace duration 0: exit 1" \
	'duration wants a number of seconds, 1 to 31536000' trace duration 0
expect "trace help exits 0" 0 trace help
export OFFLOADMOD_TRACE_BTF=$tmp/no-btf
run trace duration 1
unset OFFLOADMOD_TRACE_BTF
[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] &&
	grep -q "^offloadmod-ctl: trace needs kernel BTF (CONFIG_DEBUG_INFO_BTF=y); $tmp/no-btf is missing\$" "$tmp/err" &&
	ok "trace without kernel BTF: exit 2, says so" ||
	not_ok "trace without kernel BTF: exit 2, says so" "exit status $rc"
run dev show netns nosuch-ns
[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] &&
	grep -q '^offloadmod-ctl: no network namespace "nosuch-ns": /run/netns/nosuch-ns does not exist$' "$tmp/err" &&
	ok "dev show netns unknown name: exit 2, names it" ||
	not_ok "dev show netns unknown name: exit 2, names it" "exit status $rc"

# Targets resolve against a fake cgroup2 root: a plain directory tree.
OFFLOADMOD_CGROUP_ROOT=$tmp/cgroot
export OFFLOADMOD_CGROUP_ROOT
mkdir -p "$tmp/cgroot/docker/abc"
usage_error "stats show malformed TARGET: exit 1" 'invalid cgroup id "x"' stats show id:x
run stats show nosuch
[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] &&
	grep -q '^offloadmod-ctl: no cgroup "nosuch" under ' "$tmp/err" &&
	ok "stats show unknown TARGET: exit 2, names it" ||
	not_ok "stats show unknown TARGET: exit 2, names it" "exit status $rc"
run policy set nosuch gso off
[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] &&
	grep -q '^offloadmod-ctl: no cgroup "nosuch" under ' "$tmp/err" &&
	ok "policy set unknown TARGET: exit 2, names it" ||
	not_ok "policy set unknown TARGET: exit 2, names it" "exit status $rc"

# Writing to a full disk is a system error, not silent success.
if [ -w /dev/full ]; then
	# shellcheck disable=SC2086
	$WRAP "$BIN" --help >/dev/full 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -q 'write error' "$tmp/err" &&
		ok "write error on stdout: exit 2" ||
		not_ok "write error on stdout: exit 2" "exit status $rc"
else
	skip "write error on stdout: exit 2" "no /dev/full"
fi

# The module is not loaded on build hosts: status must say so and exit 2.
msg='offloadmod-ctl: generic netlink family "offloadmod" not found: is the module loaded? (modprobe offloadmod)'
not_loaded_test() {
	name=$1
	shift
	if [ -d /sys/module/offloadmod ]; then
		skip "$name" "the offloadmod module is loaded here"
		return
	fi
	run "$@"
	if [ "$rc" -eq 0 ]; then
		skip "$name" "the offloadmod family exists here"
	elif [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] &&
	     [ "$(cat "$tmp/err")" = "$msg" ]; then
		ok "$name"
	else
		not_ok "$name" "exit status $rc, want 2 and the not-found message"
	fi
}
not_loaded_test "status without the module: exit 2, says so" status
not_loaded_test "status show without the module" status show
not_loaded_test "-j status without the module: no partial JSON" -j status
not_loaded_test "abbreviated object and command (statu sh)" statu sh
not_loaded_test "stats without the module: exit 2, says so" stats
not_loaded_test "stats show without the module" stats show
not_loaded_test "-j stats show without the module: no partial JSON" -j stats show
not_loaded_test "stats show TARGET recursive without the module" \
	stats show docker/abc recursive
not_loaded_test "stats hist without the module" stats hist docker/abc sched
not_loaded_test "stats top without the module" stats top count 1
not_loaded_test "stats reset without the module" stats reset
not_loaded_test "policy show without the module" policy show
not_loaded_test "-j policy show without the module: no partial JSON" -j policy
not_loaded_test "policy set without the module" policy set docker/abc gso off
not_loaded_test "policy del without the module" policy del docker/abc
not_loaded_test "dev show without the module" dev show
not_loaded_test "dev set without the module" dev set 'veth*' gro off
not_loaded_test "dev del netns PATH without the module" dev del 'veth*' netns /proc/self/ns/net
not_loaded_test "monitor without the module" monitor count 1

echo "1..$n"
[ "$failed" -eq 0 ]
