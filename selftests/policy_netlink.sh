#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# policy-set / get / del over raw generic netlink: merge semantics, bad
# requests with extack and no state change, dump, monitor notifications.
. "$(dirname "$0")/lib.sh"
require_root
require_cgroup2
om_ensure_loaded
cg=$cgroup_root/omst-polnl-$$
trap 'rmdir "$cg" 2>/dev/null; om_restore' EXIT
ktap_header
mkdir -p "$cg"
"$PYTHON" -S "$here/netlink_policy.py" "$cg" | sed 's/^/    /'
check "raw netlink policy checks" test "${PIPESTATUS[0]}" = 0
ktap_finish
