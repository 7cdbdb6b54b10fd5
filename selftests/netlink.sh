#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Raw generic netlink: get-status, bad requests, and restrict_reads.
. "$(dirname "$0")/lib.sh"
require_root
om_ensure_loaded
trap om_restore EXIT
ktap_header
"$PYTHON" -S "$here/netlink_raw.py" | sed 's/^/    /'
check "raw netlink checks with default parameters" test "${PIPESTATUS[0]}" = 0

if [ "$om_we_loaded" = 1 ]; then
	om_unload
	if om_load restrict_reads=1; then
		"$PYTHON" -S "$here/netlink_raw.py" --unprivileged-expect eperm | sed 's/^/    /'
		check "raw netlink checks with restrict_reads=1" test "${PIPESTATUS[0]}" = 0
		om_unload
	else
		ktap_fail "load with restrict_reads=1"
	fi
	om_load
else
	ktap_skip "restrict_reads=1" "module was loaded by someone else"
fi
ktap_finish
