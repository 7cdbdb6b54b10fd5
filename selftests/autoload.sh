#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MODULE_ALIAS_GENL_FAMILY: the first use of the family loads the module.
# The kernel runs modprobe in the initial mount namespace, so the module is
# installed into /lib/modules/$(uname -r) there: only inside
# the throwaway test VM (OFFLOADMOD_VM_KERNEL set), never on a real host.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd depmod modinfo
[ -n "${OFFLOADMOD_VM_KERNEL:-}" ] || skip_all "only in the test VM (it installs the module)"
[ -n "${OFFLOADMOD_KO:-}" ] || skip_all "needs OFFLOADMOD_KO (a built module to install)"
module_loaded && skip_all "offloadmod is already loaded"
ktap_header
rel=$(uname -r)
check_eq "module alias names the genl family" "net-pf-16-proto-16-family-offloadmod" \
	"$(modinfo -F alias "$OFFLOADMOD_KO" | grep family-offloadmod)"

# A tmpfs holding just this module: depmod over the whole module tree would
# take minutes under TCG, and nothing else is needed while the test runs.
mkdir -p "/lib/modules/$rel"
mount -t tmpfs tmpfs "/lib/modules/$rel" || skip_all "cannot mount a tmpfs on /lib/modules/$rel"
mkdir -p "/lib/modules/$rel/extra"
cp "$OFFLOADMOD_KO" "/lib/modules/$rel/extra/"
check "depmod" depmod -a "$rel"
check "module not loaded before first use" test ! -d /sys/module/offloadmod
"$PYTHON" -S -c "import sys; sys.path.insert(0, '$here'); import genl; print(genl.Genl().resolve('offloadmod')[0])" >/dev/null 2>&1
check "resolving the family loaded the module" test -d /sys/module/offloadmod
module_loaded && om_unload
umount "/lib/modules/$rel"
ktap_finish
