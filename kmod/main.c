// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod: per-container (cgroup v2) network latency visibility and
 * offload policy. Module parameters, and init/exit of the parts in an order
 * where nothing is reachable from userspace before what it reads exists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/stringify.h>
#include <linux/offloadmod.h>

#include "cgstats.h"
#include "devpolicy.h"
#include "hooks.h"
#include "offloadmod.h"
#include "policy.h"
#include "probes.h"

unsigned int offloadmod_max_cgroups = OFFLOADMOD_MAX_CGROUPS_DEFAULT;
module_param_cb(max_cgroups, &offloadmod_max_cgroups_ops,
		&offloadmod_max_cgroups, 0444);
MODULE_PARM_DESC(max_cgroups, "Cap on tracked cgroups, "
		 __stringify(OFFLOADMOD_MAX_CGROUPS_MIN) ".."
		 __stringify(OFFLOADMOD_MAX_CGROUPS_MAX) " (default "
		 __stringify(OFFLOADMOD_MAX_CGROUPS_DEFAULT) ")");

bool offloadmod_restrict_reads;
module_param_named(restrict_reads, offloadmod_restrict_reads, bool, 0444);
MODULE_PARM_DESC(restrict_reads,
		 "Reads over netlink need CAP_NET_ADMIN (default: no)");

bool offloadmod_attach_hooks = true;
module_param_named(attach_hooks, offloadmod_attach_hooks, bool, 0444);
MODULE_PARM_DESC(attach_hooks,
		 "Attach probes to the known tracepoints (default: yes)");

char *offloadmod_hooks_only;
module_param_named(hooks, offloadmod_hooks_only, charp, 0444);
MODULE_PARM_DESC(hooks,
		 "Comma-separated hook names to attach, as get-status lists them (default: all); for measuring what each hook costs");

static int __init offloadmod_init(void)
{
	int err;

	/* What the probes write to, before any probe can run. */
	err = offloadmod_cgstats_init(offloadmod_max_cgroups);
	if (err)
		return err;
	offloadmod_debugfs_init();
	err = offloadmod_net_hooks_init();
	if (err)
		goto err_cgstats;

	err = offloadmod_hooks_init(offloadmod_attach_hooks,
				    offloadmod_hooks_only);
	if (err)
		goto err_net_hooks;

	err = offloadmod_policy_init();
	if (err)
		goto err_hooks;

	err = offloadmod_devpolicy_init();
	if (err)
		goto err_policy;

	err = offloadmod_sysfs_init();
	if (err)
		goto err_devpolicy;

	/* Last: once the family is registered, requests can arrive. */
	err = offloadmod_netlink_init();
	if (err)
		goto err_sysfs;

	pr_info("version %s loaded, %u of %u hooks attached\n",
		OFFLOADMOD_VERSION, offloadmod_hooks_attached(),
		OFFLOADMOD_HOOK_COUNT);
	return 0;

err_sysfs:
	offloadmod_sysfs_exit();
err_devpolicy:
	offloadmod_devpolicy_exit();
err_policy:
	offloadmod_policy_exit();
err_hooks:
	offloadmod_hooks_exit();
err_net_hooks:
	offloadmod_net_hooks_exit();
err_cgstats:
	offloadmod_cgstats_exit();
	offloadmod_debugfs_exit();
	return err;
}

static void __exit offloadmod_exit(void)
{
	offloadmod_netlink_exit();
	offloadmod_sysfs_exit();
	/* Restores every socket and interface the policies changed. */
	offloadmod_devpolicy_exit();
	offloadmod_policy_exit();
	/* No probe runs after this; then what they wrote to can go. */
	offloadmod_hooks_exit();
	offloadmod_net_hooks_exit();
	offloadmod_cgstats_exit();
	offloadmod_debugfs_exit();
}

module_init(offloadmod_init);
module_exit(offloadmod_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(OFFLOADMOD_VERSION);
MODULE_DESCRIPTION("Per-container network latency visibility and offload policy");
MODULE_ALIAS_GENL_FAMILY(OFFLOADMOD_FAMILY_NAME);
