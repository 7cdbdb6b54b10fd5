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

#include "hooks.h"
#include "offloadmod.h"

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

static int __init offloadmod_init(void)
{
	int err;

	/* Probes and their counters first: every reader below uses them. */
	err = offloadmod_hooks_init(offloadmod_attach_hooks);
	if (err)
		return err;

	err = offloadmod_sysfs_init();
	if (err)
		goto err_hooks;

	offloadmod_debugfs_init();

	/* Last: once the family is registered, requests can arrive. */
	err = offloadmod_netlink_init();
	if (err)
		goto err_debugfs;

	pr_info("version %s loaded, %u of %u hooks attached\n",
		OFFLOADMOD_VERSION, offloadmod_hooks_attached(),
		OFFLOADMOD_HOOK_COUNT);
	return 0;

err_debugfs:
	offloadmod_debugfs_exit();
	offloadmod_sysfs_exit();
err_hooks:
	offloadmod_hooks_exit();
	return err;
}

static void __exit offloadmod_exit(void)
{
	offloadmod_netlink_exit();
	offloadmod_debugfs_exit();
	offloadmod_sysfs_exit();
	offloadmod_hooks_exit();
}

module_init(offloadmod_init);
module_exit(offloadmod_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(OFFLOADMOD_VERSION);
MODULE_DESCRIPTION("Per-container network latency visibility and offload policy");
MODULE_ALIAS_GENL_FAMILY(OFFLOADMOD_FAMILY_NAME);
