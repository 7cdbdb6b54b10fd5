#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# offloadmod-ctl status (text and JSON) against ground truth, exit codes, and
# hook counters moved by real traffic between two network namespaces.
. "$(dirname "$0")/lib.sh"
require_root
require_cmd ip ping setpriv
[ -x "$OFFLOADMOD_CTL" ] || command -v "$OFFLOADMOD_CTL" >/dev/null ||
	skip_all "offloadmod-ctl not built"
ctl=$OFFLOADMOD_CTL
om_ensure_loaded
trap 'netns_pair_cleanup; om_restore' EXIT
ktap_header

out=$("$ctl" status 2>&1)
check_eq "status exits 0" 0 $?
check "text output shows the kernel release" grep -qF "$(uname -r)" <<<"$out"
check "text output shows the module version" grep -qF "$(cat "$repo/VERSION")" <<<"$out"

json=$("$ctl" -j status)
check_eq "status -j exits 0" 0 $?
jq_py() { "$PYTHON" -S -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$json"; }
check_eq "json module_version" "$(cat "$repo/VERSION")" "$(jq_py 'd["module_version"]')"
check_eq "json uapi_version" "$(uapi_const OFFLOADMOD_FAMILY_VERSION)" "$(jq_py 'd["uapi_version"]')"
check_eq "json kernel_release" "$(uname -r)" "$(jq_py 'd["kernel_release"]')"
check_eq "json max_cgroups" "$(cat /sys/module/offloadmod/parameters/max_cgroups)" \
	"$(jq_py 'd["max_cgroups"]')"
check_eq "json hooks have name/available/attached/invocations" "True" \
	"$(jq_py 'all(set(h) >= {"name","available","attached","invocations"} for h in d["hooks"]) and len(d["hooks"]) > 0')"
check "pretty JSON (-j -p) parses" sh -c "'$ctl' -j -p status | '$PYTHON' -m json.tool >/dev/null"

check "unprivileged user can run status" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$ctl" status

hook_json() {
	"$ctl" -j status | "$PYTHON" -S -c "import json,sys
for h in json.load(sys.stdin)['hooks']:
    if h['name'] == '$1': print(h['invocations'] if h['attached'] else -1)"
}
# Ground truth: ping's own count. 20 echo requests and 20 replies each cross
# a veth, so each hook on the path fires at least 40 times.
if netns_pair_setup; then
	x0=$(hook_json net_dev_start_xmit); r0=$(hook_json netif_receive_skb)
	sent=$(ip netns exec "$ns_a" ping -c 20 -i 0.02 -q 10.231.0.2 |
	       awk '/packets transmitted/ { print $4 }')
	x1=$(hook_json net_dev_start_xmit); r1=$(hook_json netif_receive_skb)
	check_eq "ping got all 20 replies" 20 "$sent"
	if [ "$x0" = -1 ]; then
		ktap_skip "net_dev_start_xmit counts traffic" "hook not attached"
	else
		echo "# net_dev_start_xmit $x0 -> $x1, netif_receive_skb $r0 -> $r1"
		check "net_dev_start_xmit counted >= 40 transmits" test $((x1 - x0)) -ge 40
		check "netif_receive_skb counted >= 40 receives" test $((r1 - r0)) -ge 40
	fi
else
	ktap_fail "network namespaces for traffic"
fi

"$ctl" status bogus >/dev/null 2>&1
check_eq "extra argument is a usage error (1)" 1 $?
"$ctl" nosuchobject >/dev/null 2>&1
check_eq "unknown object is a usage error (1)" 1 $?
"$ctl" --no-such-option status >/dev/null 2>&1
check_eq "unknown option is a usage error (1)" 1 $?

if [ "$om_we_loaded" = 1 ]; then
	om_unload
	err=$("$ctl" status 2>&1 >/dev/null)
	check_eq "status without the module exits 2" 2 $?
	check "and says the module is not loaded" grep -q "module loaded" <<<"$err"
	om_load
else
	ktap_skip "status without the module" "module was loaded by someone else"
fi
ktap_finish
