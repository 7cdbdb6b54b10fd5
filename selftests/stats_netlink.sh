#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stats-get / stats-reset over raw generic netlink: reply structure, dump
# cursor, bad requests with extack, EPERM for the unprivileged.
. "$(dirname "$0")/lib.sh"
require_root
om_ensure_loaded
trap 'rmdir "$cg/child" "$cg" 2>/dev/null; om_restore' EXIT
ktap_header
cg=/sys/fs/cgroup/omst-netlink
mkdir -p "$cg/child"
# A few tasks that run and exit in the child and in its parent: both get
# tracked, then are still.
for c in "$cg/child" "$cg/child" "$cg"; do
	sh -c "echo \$\$ > $c/cgroup.procs; exec sleep 0.1"
done
sleep 0.5
"$PYTHON" -S "$here/netlink_stats.py" "$cg/child" | sed 's/^/    /'
check "raw netlink stats checks" test "${PIPESTATUS[0]}" = 0
ktap_finish
