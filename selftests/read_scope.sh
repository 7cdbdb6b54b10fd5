#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tenants read only their own (DESIGN.md, "Security model"): containers A
# (with a child A/sub) and B, each tracked and with a cgroup policy. A
# tenant is an unprivileged process placed in A's cgroup that makes a user
# (root in it), cgroup and network namespace of its own (unshare -UrCn):
# offloadmod-ctl -j stats show and policy show list A as "/" and A/sub as
# "/sub" and nothing else; over raw netlink (read_scope.py) every do and
# dump request agrees and B is "no such cgroup"; dumps it abandons
# half-read or unread hold nothing once their sockets close: after the
# tenant exits and the cgroups are removed, none of them stays dying
# (cgroup.stat of their parent). Root of the initial namespaces sees A, A/sub
# and B with their full paths. An unprivileged user cannot join the monitor
# group (EPERM; offloadmod-ctl monitor exits 2), root can. Root in a cgroup
# namespace rooted at A reads A's debugfs files (path "/"), not B's, and the
# per-cgroup debugfs files are root's only (0400). Ground truth: cgroup
# ids from stat(2), paths from the cgroup tree.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd setpriv unshare timeout
require_cgroup2
[ -x "$OFFLOADMOD_CTL" ] || command -v "$OFFLOADMOD_CTL" >/dev/null ||
	skip_all "offloadmod-ctl not built"
ctl=$OFFLOADMOD_CTL
"$ctl" policy help >/dev/null 2>&1 || skip_all "offloadmod-ctl without the policy command"
om_ensure_loaded

top=omst-scope-$$
cleanup() {
	for c in "$top/A/sub" "$top/A" "$top/B"; do
		"$ctl" policy del "$c" >/dev/null 2>&1
	done
	cg_destroy "$top"
	om_restore
}
trap cleanup EXIT
ktap_header
for c in A A/sub B; do
	cg_create "$top/$c" || { ktap_fail "cgroups"; ktap_finish; }
	# A task that runs there: the cgroup is tracked.
	cg_exec "$top/$c" "" true
done
a=$(cg_id "$top/A") sub=$(cg_id "$top/A/sub") b=$(cg_id "$top/B")
note "A $a, A/sub $sub, B $b"
for c in A A/sub B; do
	"$ctl" policy set "$top/$c" mode audit gso off >/dev/null ||
		ktap_fail "policy set $c"
done

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# tenant CMD...: CMD as the tenant (see above).
tenant() { cg_exec "$top/A" "" "${nobody[@]}" unshare -UrCn -- "$@"; }
if ! tenant true 2>/dev/null; then
	skip_all "an unprivileged user cannot unshare -UrCn here"
fi

# ids_paths JSON: "id=path ..." of a stats or policy show -j array, sorted.
ids_paths() {
	"$PYTHON" -S -c 'import json, sys
print(" ".join(sorted("%s=%s" % (o["cgroup_id"], o["path"])
                      for o in json.loads(sys.argv[1] or "[]"))))' "$1" 2>&1
}
# only_ours "id=path ...": the entries of our three cgroups.
only_ours() {
	tr ' ' '\n' <<<"$1" | grep -E "^($a|$sub|$b)=" | sort | tr '\n' ' '
}
want_host=$(printf '%s\n' "$a=/$top/A" "$sub=/$top/A/sub" "$b=/$top/B" | sort | tr '\n' ' ')
want_tenant=$(printf '%s\n' "$a=/" "$sub=/sub" | sort | tr '\n' ' ')

# Root of the initial namespaces: everything, full paths. The cgroups are
# tracked once their first task ran (a work item).
host_stats() { only_ours "$(ids_paths "$("$ctl" -j stats show 2>/dev/null)")"; }
busywait 10000 test "$(host_stats)" = "$want_host"
check_eq "root: stats show lists A, A/sub and B with full paths" \
	"$want_host" "$(host_stats)"
check_eq "root: policy show lists A, A/sub and B with full paths" \
	"$want_host" "$(only_ours "$(ids_paths "$("$ctl" -j policy show)")")"

# The tenant: its own cgroup and its child only, named from its namespace.
out=$(tenant "$ctl" -j stats show 2>&1)
note "tenant: stats show -j: $(ids_paths "$out")"
check_eq "tenant: stats show lists A as / and A/sub as /sub, nothing else" \
	"${want_tenant% }" "$(ids_paths "$out")"
out=$(tenant "$ctl" -j policy show 2>&1)
note "tenant: policy show -j: $(ids_paths "$out")"
check_eq "tenant: policy show lists A as / and A/sub as /sub, nothing else" \
	"${want_tenant% }" "$(ids_paths "$out")"
tenant "$ctl" -j stats show "$b" >/dev/null 2>&1
check_eq "tenant: stats show of B's id exits 2" 2 $?
tenant "$ctl" -j policy show "$b" >/dev/null 2>&1
check_eq "tenant: policy show of B's id exits 2" 2 $?
tenant "$PYTHON" -S "$here/read_scope.py" tenant "$a" "$sub" "$b" | sed 's/^/    /'
check "tenant: raw netlink reads scoped, abandoned dumps" test "${PIPESTATUS[0]}" = 0

# The monitor group carries every tenant's cgroup paths and policies.
"${nobody[@]}" "$PYTHON" -S "$here/read_scope.py" join eperm | sed 's/^/    /'
check "unprivileged: joining the monitor group is refused" test "${PIPESTATUS[0]}" = 0
out=$(timeout 5 "${nobody[@]}" "$ctl" monitor 2>&1)
rc=$?
note "unprivileged: offloadmod-ctl monitor: exit $rc: $out"
check_eq "unprivileged: offloadmod-ctl monitor exits 2" 2 "$rc"
"$PYTHON" -S "$here/read_scope.py" join ok | sed 's/^/    /'
check "root: joining the monitor group" test "${PIPESTATUS[0]}" = 0

# debugfs, as root of a container that can reach it: scoped the same way.
dbg=/sys/kernel/debug/offloadmod/cgroups
if [ -r "$dbg/$a/path" ] && [ -r "$dbg/$b/path" ]; then
	check_eq "debugfs: per-cgroup files are root's only" "400 400" \
		"$(stat -c %a "$dbg/$a/path" "$dbg/$b/sched_wait" | tr '\n' ' ' | sed 's/ $//')"
	check_eq "debugfs: root reads B's full path" "/$top/B" "$(cat "$dbg/$b/path")"
	in_a() { cg_exec "$top/A" "" unshare -C -- "$@"; }
	check_eq "debugfs: in A's cgroup namespace, A's path is /" "/" \
		"$(in_a cat "$dbg/$a/path" 2>&1)"
	check_eq "debugfs: in A's cgroup namespace, A/sub's path is /sub" "/sub" \
		"$(in_a cat "$dbg/$sub/path" 2>&1)"
	out=$(in_a cat "$dbg/$b/path" "$dbg/$b/sched_wait" 2>&1)
	check "debugfs: in A's cgroup namespace, B's files read as absent" \
		test "$(grep -c 'No such file or directory' <<<"$out")" = 2
else
	ktap_skip "debugfs checks" "no $dbg/<id>/path (debugfs not mounted?)"
fi

# What the tenant's dumps held is released: once the policies are gone
# and the cgroups removed, none of them stays dying. (The module drops its
# own reference to a removed cgroup within a second.)
for c in "$top/A/sub" "$top/A" "$top/B"; do
	"$ctl" policy del "$c" >/dev/null 2>&1
done
for c in A/sub A B; do
	busywait 5000 rmdir "$cgroup_root/$top/$c" 2>/dev/null
done
dying() { awk '$1 == "nr_dying_descendants" { print $2 }' "$cgroup_root/$top/cgroup.stat"; }
busywait 10000 test "$(dying)" = 0
check_eq "A, A/sub and B are freed after removal (no dying descendant left)" 0 "$(dying)"
ktap_finish
