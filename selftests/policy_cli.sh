#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# offloadmod-ctl policy, dev and monitor against the module: every mutating
# command is refused (exit 2, EPERM) to an unprivileged user and to root in
# a user namespace of its own, and changes nothing; policy show -j returns
# what policy set set, merges included; bad targets fail with a message;
# monitor -j sees the policy-set and policy-del of the cgroup it was told.
# shellcheck disable=SC2317 # functions run by trap, busywait and "$who"
. "$(dirname "$0")/lib.sh"
require_root
require_cmd setpriv unshare timeout pgrep
require_cgroup2
[ -x "$OFFLOADMOD_CTL" ] || command -v "$OFFLOADMOD_CTL" >/dev/null ||
	skip_all "offloadmod-ctl not built"
ctl=$OFFLOADMOD_CTL
"$ctl" policy help >/dev/null 2>&1 || skip_all "offloadmod-ctl without the policy command"
om_ensure_loaded

cg=omst-pcli-$$
pat="omcli$$*"
tmp=$(mktemp -d)
mon_pid=""
cleanup() {
	[ -z "$mon_pid" ] || kill "$mon_pid" 2>/dev/null
	"$ctl" policy del "$cg" >/dev/null 2>&1
	"$ctl" dev del "$pat" >/dev/null 2>&1
	cg_destroy "$cg"
	rm -rf "$tmp"
	om_restore
}
trap cleanup EXIT

out=$("$ctl" policy show 2>&1)
if grep -q "Operation not supported" <<<"$out"; then
	skip_all "the module does not implement policies yet (EOPNOTSUPP)"
fi
ktap_header
cg_create "$cg"
id=$(cg_id "$cg")

# pjson: policy show -j of the cgroup, one line ("" if it has none).
pjson() { "$ctl" -j policy show "$cg" 2>/dev/null; }
# djson: dev show -j, every interface policy, one line.
djson() { "$ctl" -j dev show 2>/dev/null; }
# fields JSON: the policy show -j array of one, as "N ID PATH / MODE GSO
# SIZE SEGS BUSY / COUNTERS-ARE-NUMBERS" ("none" for an absent field).
fields() {
	"$PYTHON" -S -c 'import json, sys
a = json.loads(sys.argv[1] or "[]")
p = a[0] if a else {}
print(len(a), p.get("cgroup_id"), p.get("path"), "/",
      *(p.get(k, "none") for k in ("mode", "gso", "gso_max_size", "gso_max_segs",
                                   "busy_poll_us")), "/",
      all(isinstance(p.get(k), int) for k in
          ("sockets", "sockets_adjusted", "audit_would_adjust", "errors")))' "$1" 2>&1
}

# --- policy set / show round trip, as root --------------------------------
"$ctl" policy set "$cg" gso off gso-max-size 16384 gso-max-segs 8 busy-poll 50 mode audit
check_eq "policy set (root) exits 0" 0 $?
js=$(pjson)
note "policy show -j: $js"
f=$(fields "$js")
check_eq "policy show -j: one policy, of the cgroup" "1 $id /$cg" "${f%% / *}"
f=${f#* / }
check_eq "policy show -j: the settings set" "audit False 16384 8 50" "${f%% / *}"
check_eq "policy show -j: the counters are numbers" True "${f#* / }"

# A set merges: removing the size cap keeps the rest.
"$ctl" policy set "$cg" gso-max-size 0 mode enforce
check_eq "policy set gso-max-size 0 (remove) exits 0" 0 $?
f=$(fields "$(pjson)")
f=${f#* / }
check_eq "policy set merges: gso_max_size removed, the rest kept" "enforce False none 8 50" \
	"${f%% / *}"
"$ctl" -j policy show | grep -qF "{\"cgroup_id\":$id,\"path\":\"/$cg\","
check_eq "policy show (dump) lists the cgroup's policy" 0 $?
"$ctl" policy show >"$tmp/text"
check "policy show (text) has a line for the cgroup" \
	grep -qE "^$id +enforce +off +- +8 +50 .* /$cg\$" "$tmp/text"

# --- bad input --------------------------------------------------------------
err=$("$ctl" policy set "$cg/no-such-child" gso off 2>&1)
rc=$?
check "policy set on an unknown cgroup path: exit 1 or 2" test "$rc" = 1 -o "$rc" = 2
check "... with a message naming it" grep -q "no cgroup \"$cg/no-such-child\"" <<<"$err"
err=$("$ctl" policy set "$cg" gso-max-size 1000 2>&1)
check_eq "policy set with an out-of-range size: exit 1" 1 $?
check "... with a message naming the setting" grep -q 'invalid gso-max-size "1000"' <<<"$err"

# --- permissions ----------------------------------------------------------
# An interface policy to refuse to change or delete, set as root.
"$ctl" dev set "$pat" gro off >/dev/null
check_eq "dev set (root) exits 0" 0 $?
before_p=$(pjson)
before_d=$(djson)
check "dev show -j lists the interface policy" grep -qF "\"pattern\":\"$pat\"" <<<"$before_d"

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
as_userns_root() { unshare -Ur "$@"; }
for who in as_nobody as_userns_root; do
	for cmdline in "policy set $cg gso on" "policy set $cg busy-poll 0" \
		       "policy del $cg" "dev set $pat gro on" "dev del $pat"; do
		# shellcheck disable=SC2086 # the command line is split on purpose
		err=$("$who" "$ctl" $cmdline 2>&1 >/dev/null)
		rc=$?
		if [ "$rc" = 2 ] && grep -q "Operation not permitted" <<<"$err" &&
		   grep -q "CAP_NET_ADMIN" <<<"$err"; then
			ktap_ok "$who: $cmdline refused (exit 2, EPERM)"
		else
			note "exit $rc: $err"
			ktap_fail "$who: $cmdline refused (exit 2, EPERM)"
		fi
	done
	check_eq "$who: the cgroup policy is unchanged" "$before_p" "$(pjson)"
	check_eq "$who: the interface policy is unchanged" "$before_d" "$(djson)"
	# Reading stays open to them.
	"$who" "$ctl" policy show >/dev/null 2>&1
	check_eq "$who: policy show works" 0 $?
done

# --- monitor ----------------------------------------------------------------
"$ctl" policy del "$cg"
check_eq "policy del (root) exits 0" 0 $?
check_eq "policy show TARGET without a policy: exit 2" 2 \
	"$("$ctl" policy show "$cg" >/dev/null 2>&1; echo $?)"

# timeout ends a monitor that missed an event. (Not a watchdog subshell:
# killed right after its fork, such a subshell can still run this
# script's EXIT trap, and clean up under the test's feet.)
timeout 30 "$ctl" -j monitor count 2 >"$tmp/mon" 2>"$tmp/mon.err" &
mon_pid=$!
# Wait until its netlink socket has joined a group (/proc/net/netlink
# shows the first 32 groups of each socket, by inode).
subscribed() {
	local p fd ino
	for p in $(pgrep -P "$mon_pid"); do
		for fd in /proc/"$p"/fd/*; do
			ino=$(readlink "$fd" 2>/dev/null) || continue
			ino=${ino#socket:[}; ino=${ino%]}
			awk -v ino="$ino" '$2 == 16 && $4 != "00000000" && $NF == ino { f = 1 }
				END { exit !f }' /proc/net/netlink && return 0
		done
	done
	return 1
}
if ! busywait 5000 subscribed; then
	note "could not see the monitor subscribe; going on after 1 s"
	sleep 1
fi
"$ctl" policy set "$cg" gso off
"$ctl" policy del "$cg"
wait "$mon_pid"
rc=$?
mon_pid=""
check_eq "monitor -j count 2 exits 0 after two events" 0 "$rc"
note "monitor: $(head -c 400 "$tmp/mon") $(cat "$tmp/mon.err")"
check_eq "monitor -j: two JSON lines" 2 "$(wc -l <"$tmp/mon")"
ev=$("$PYTHON" -S -c 'import json, sys
for line in sys.stdin:
    e = json.loads(line)
    print(e["event"], e["cgroup_id"])' <"$tmp/mon" 2>&1)
check_eq "monitor -j: policy-set of the cgroup" "policy-set $id" "$(sed -n 1p <<<"$ev")"
check_eq "monitor -j: then policy-del of the cgroup" "policy-del $id" "$(sed -n 2p <<<"$ev")"

err=$("$ctl" dev del "$pat" 2>&1)
check_eq "dev del (root) exits 0" 0 $?
[ -z "$err" ] || note "dev del: $err"
djson | grep -qF "\"pattern\":\"$pat\""
check_eq "dev show no longer lists it" 1 $?
ktap_finish
