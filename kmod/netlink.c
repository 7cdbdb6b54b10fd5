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
#include "compat/genetlink.h"
#include "devpolicy.h"
#include "genl_policy.h"
#include "offloadmod.h"
#include "policy.h"
#include "scope.h"
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
		.done		= offloadmod_nl_read_dump_done,
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
		.start		= offloadmod_nl_read_dump_start,
		.dumpit		= offloadmod_nl_policy_get_dumpit,
		.done		= offloadmod_nl_read_dump_done,
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

/*
 * Notifications name cgroups and network namespaces of every tenant, so
 * only who may read everything listens: joining the group needs
 * CAP_NET_ADMIN over the socket's network namespace, and notifications
 * are only sent in the initial one (offloadmod_nl_notify()), so a
 * listener that receives any has CAP_NET_ADMIN in the initial user
 * namespace (compat/genetlink.h for the kernels that cannot check).
 */
static const struct genl_multicast_group offloadmod_genl_mcgrps[] = {
	[OFFLOADMOD_NL_MCGRP_MONITOR] = {
		.name = OFFLOADMOD_MCGRP_MONITOR,
		OFFLOADMOD_GENL_MCGRP_ADMIN_INIT
	},
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
 * What a read returns is scoped in either case: per-cgroup data only of
 * the cgroups in the caller's cgroup namespace (scope.h).
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
 * offloadmod_nl_read_dump_start() - start of a dump of per-cgroup data
 * @cb: the dump
 *
 * Checks offloadmod_nl_may_read(), then takes the requester's scope
 * (offloadmod_nl_dump_scope_start()).
 *
 * Return: 0 or a negative errno (with an extack message).
 */
int offloadmod_nl_read_dump_start(struct netlink_callback *cb)
{
	int err = offloadmod_nl_may_read(cb->skb, cb->extack);

	return err ?: offloadmod_nl_dump_scope_start(cb);
}

/*
 * cb->args[] slot that holds the scope's root cgroup (a reference) from
 * start to done; dump callbacks use the lower slots for their cursors.
 */
#define OFFLOADMOD_NL_SCOPE_ARG	5

/**
 * offloadmod_nl_dump_scope_start() - keep the requester's scope for a dump
 * @cb: the dump; its .done must be offloadmod_nl_read_dump_done()
 *
 * Context: the requester's sendmsg() (a dump's start callback). Call it
 * last in a start callback: once it succeeded, only done undoes it.
 * Return: 0 or a negative errno.
 */
int offloadmod_nl_dump_scope_start(struct netlink_callback *cb)
{
	struct offloadmod_scope s;
	int err;

	BUILD_BUG_ON(ARRAY_SIZE(cb->args) <= OFFLOADMOD_NL_SCOPE_ARG);
	err = offloadmod_scope_get(&s);
	if (err)
		return err;
	cb->args[OFFLOADMOD_NL_SCOPE_ARG] = (long)s.root;
	return 0;
}

/**
 * offloadmod_nl_dump_scope() - the scope a dump was started with
 * @cb: the dump
 * @s: set to the scope offloadmod_nl_dump_scope_start() kept; not to be
 *	put: it stays valid until the dump's done callback
 */
void offloadmod_nl_dump_scope(const struct netlink_callback *cb,
			      struct offloadmod_scope *s)
{
	s->root = (struct cgroup *)cb->args[OFFLOADMOD_NL_SCOPE_ARG];
}

/**
 * offloadmod_nl_read_dump_done() - end of a dump of per-cgroup data
 * @cb: the dump
 *
 * Drops the scope offloadmod_nl_dump_scope_start() took. Netlink calls it
 * once for every dump whose start succeeded: when the dump ends, and for
 * one abandoned half-read, when its socket is released.
 *
 * Return: 0.
 */
int offloadmod_nl_read_dump_done(struct netlink_callback *cb)
{
	struct offloadmod_scope s;

	offloadmod_nl_dump_scope(cb, &s);
	offloadmod_scope_put(&s);
	cb->args[OFFLOADMOD_NL_SCOPE_ARG] = 0;
	return 0;
}

/**
 * offloadmod_nl_notify() - send a notification to the monitor group
 * @msg: a message built with genlmsg_put() on offloadmod_genl_family,
 *	 finished with genlmsg_end(); consumed
 *
 * Notifications go to listeners in the initial network namespace only,
 * which the group admits with CAP_NET_ADMIN (offloadmod_genl_mcgrps):
 * they carry full cgroup paths and every namespace's interface policies.
 * On a kernel that cannot restrict the group, nothing is sent.
 * Nobody listening is not an error.
 */
void offloadmod_nl_notify(struct sk_buff *msg)
{
	if (!OFFLOADMOD_GENL_MCGRP_ADMIN) {
		nlmsg_free(msg);
		return;
	}
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
