// SPDX-License-Identifier: GPL-2.0
/*
 * The "offloadmod" generic netlink family: operation table and
 * registration. Each command's handler lives with the feature it serves
 * (get-status in status.c); request policies are in genl_policy.c.
 *
 * Plain struct genl_ops with a policy per operation, because it works
 * unchanged from 5.10 to 7.2 (genl_split_ops does not exist before 6.2).
 */
#include <linux/capability.h>
#include <linux/offloadmod.h>
#include <net/genetlink.h>

#include "compat.h"
#include "devpolicy.h"
#include "genl_policy.h"
#include "offloadmod.h"
#include "policy.h"
#include "stats.h"
#include "status.h"

/*
 * No .validate flags: every operation gets strict validation (unknown
 * attribute types, trailing data and bad lengths are errors).
 */
static const struct genl_ops offloadmod_genl_ops[] = {
	{
		.cmd		= OFFLOADMOD_CMD_GET_STATUS,
		.doit		= offloadmod_nl_get_status_doit,
		.policy		= offloadmod_get_status_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_get_status_nl_policy) - 1,
	},
	{
		.cmd		= OFFLOADMOD_CMD_STATS_GET,
		.doit		= offloadmod_nl_stats_get_doit,
		.start		= offloadmod_nl_stats_get_start,
		.dumpit		= offloadmod_nl_stats_get_dumpit,
		.policy		= offloadmod_stats_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_stats_nl_policy) - 1,
	},
	{
		.cmd		= OFFLOADMOD_CMD_STATS_RESET,
		.doit		= offloadmod_nl_stats_reset_doit,
		.policy		= offloadmod_stats_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_stats_nl_policy) - 1,
		/* CAP_NET_ADMIN in the initial user namespace. */
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= OFFLOADMOD_CMD_POLICY_SET,
		.doit		= offloadmod_nl_policy_set_doit,
		.policy		= offloadmod_policy_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_policy_nl_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= OFFLOADMOD_CMD_POLICY_GET,
		.doit		= offloadmod_nl_policy_get_doit,
		.dumpit		= offloadmod_nl_policy_get_dumpit,
		.policy		= offloadmod_policy_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_policy_nl_policy) - 1,
	},
	{
		.cmd		= OFFLOADMOD_CMD_POLICY_DEL,
		.doit		= offloadmod_nl_policy_del_doit,
		.policy		= offloadmod_policy_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_policy_nl_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= OFFLOADMOD_CMD_DEV_SET,
		.doit		= offloadmod_nl_dev_set_doit,
		.policy		= offloadmod_dev_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_dev_nl_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= OFFLOADMOD_CMD_DEV_GET,
		.doit		= offloadmod_nl_dev_get_doit,
		.dumpit		= offloadmod_nl_dev_get_dumpit,
		.policy		= offloadmod_dev_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_dev_nl_policy) - 1,
	},
	{
		.cmd		= OFFLOADMOD_CMD_DEV_DEL,
		.doit		= offloadmod_nl_dev_del_doit,
		.policy		= offloadmod_dev_nl_policy,
		.maxattr	= ARRAY_SIZE(offloadmod_dev_nl_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group offloadmod_genl_mcgrps[] = {
	[OFFLOADMOD_NL_MCGRP_MONITOR] = { .name = OFFLOADMOD_MCGRP_MONITOR },
};

/*
 * parallel_ops: handlers do not need genl_mutex; they read counters under
 * RCU, stats-reset only zeroes counters, and the policy tables have their
 * own mutexes.
 */
struct genl_family offloadmod_genl_family __ro_after_init = {
	.name		= OFFLOADMOD_FAMILY_NAME,
	.version	= OFFLOADMOD_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= offloadmod_genl_ops,
	.n_ops		= ARRAY_SIZE(offloadmod_genl_ops),
	.mcgrps		= offloadmod_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(offloadmod_genl_mcgrps),
};

/**
 * offloadmod_nl_may_read() - may the sender of @skb read?
 * @skb: the request
 * @extack: for the reason
 *
 * Reads are open to anyone who can open the family, unless the module
 * parameter restrict_reads asks for CAP_NET_ADMIN (initial user namespace).
 *
 * Return: 0 or -EPERM.
 */
int offloadmod_nl_may_read(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (offloadmod_restrict_reads && !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(extack,
			       "reading needs CAP_NET_ADMIN: module parameter restrict_reads is set");
		return -EPERM;
	}
	return 0;
}

/**
 * offloadmod_nl_notify() - send a notification to the monitor group
 * @msg: a message built with genlmsg_put() on offloadmod_genl_family,
 *	 finished with genlmsg_end(); consumed
 *
 * Notifications go to listeners in the initial network namespace: policies
 * are host-wide (cgroup policies) or set by the host's administrator.
 * Nobody listening is not an error.
 */
void offloadmod_nl_notify(struct sk_buff *msg)
{
	genlmsg_multicast(&offloadmod_genl_family, msg, 0,
			  OFFLOADMOD_NL_MCGRP_MONITOR, GFP_KERNEL);
}

int offloadmod_netlink_init(void)
{
	/*
	 * Every command after the first also has the reserved byte of its
	 * header checked (on kernels that can: compat.h).
	 */
	offloadmod_genl_family_set_resv_start_op(&offloadmod_genl_family,
						 OFFLOADMOD_CMD_GET_STATUS + 1);
	return genl_register_family(&offloadmod_genl_family);
}

/* Returns once no handler of the family is running any more. */
void offloadmod_netlink_exit(void)
{
	genl_unregister_family(&offloadmod_genl_family);
}
