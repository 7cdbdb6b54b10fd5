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
# A few tasks that run and exit: the cgroup gets tracked, then is still.
for _ in 1 2 3; do
	sh -c "echo \$\$ > $cg/child/cgroup.procs; exec sleep 0.1"
done
sleep 0.5
"$PYTHON" "$here/netlink_stats.py" "$cg/child" | sed 's/^/    /'
check "raw netlink stats checks" test "${PIPESTATUS[0]}" = 0
ktap_finish
