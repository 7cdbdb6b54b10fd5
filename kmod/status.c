// SPDX-License-Identifier: GPL-2.0
/*
 * Module status: gathering a snapshot from module state, and the get-status
 * command built on it. Encoding is in status_msg.c.
 */
#include <linux/bug.h>
#include <linux/capability.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "cgstats.h"
#include "compat.h"
#include "compat/genetlink.h"
#include "devpolicy.h"
#include "hooks.h"
#include "offloadmod.h"
#include "status.h"

/*
 * What this kernel cannot do: interface settings it lacks and sched_wait
 * without the scheduler's sched_info accounting (decided at build time
 * from its headers: compat.h, compat/netdev.h), UDP reads where their
 * hook could not be placed (compat/udp.h), and the monitor group where the
 * kernel cannot restrict who joins it (compat/genetlink.h).
 */
static void offloadmod_status_unsupported(struct offloadmod_status *st)
{
	st->n_unsupported =
		offloadmod_devpolicy_unsupported(st->unsupported,
						 ARRAY_SIZE(st->unsupported));
	if (!OFFLOADMOD_HAVE_SCHED_INFO &&
	    st->n_unsupported < ARRAY_SIZE(st->unsupported))
		st->unsupported[st->n_unsupported++] = "stage.sched_wait";
	if (offloadmod_hooks_udp_reads_lost() &&
	    st->n_unsupported < ARRAY_SIZE(st->unsupported))
		st->unsupported[st->n_unsupported++] = "hook.skb_consume_udp";
	if (!OFFLOADMOD_GENL_MCGRP_ADMIN &&
	    st->n_unsupported < ARRAY_SIZE(st->unsupported))
		st->unsupported[st->n_unsupported++] = "monitor";
}

/**
 * offloadmod_status_gather() - snapshot the module's status
 * @st: filled in full
 *
 * Counters keep moving while they are read: each is summed once, the
 * snapshot as a whole is not atomic. Process context (reads utsname()).
 */
void offloadmod_status_gather(struct offloadmod_status *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->module_version = OFFLOADMOD_VERSION;
	st->uapi_version = OFFLOADMOD_FAMILY_VERSION;
	/* The release is the same in every UTS namespace. */
	strscpy(st->kernel_release, utsname()->release,
		sizeof(st->kernel_release));
	st->max_cgroups = offloadmod_max_cgroups;
	st->restrict_reads = offloadmod_restrict_reads;
	st->tracked_cgroups = offloadmod_cg_tracked();
	st->cgroup_overflow = offloadmod_lost_read(OFFLOADMOD_LOST_OVERFLOW);
	st->unattributed_rx =
		offloadmod_lost_read(OFFLOADMOD_LOST_UNATTRIBUTED_RX);
	st->unattributed_tx =
		offloadmod_lost_read(OFFLOADMOD_LOST_UNATTRIBUTED_TX);
	st->unattributed_sched =
		offloadmod_lost_read(OFFLOADMOD_LOST_UNATTRIBUTED_SCHED);
	st->alloc_failures = offloadmod_lost_read(OFFLOADMOD_LOST_ALLOC);
	st->n_hooks = OFFLOADMOD_HOOK_COUNT;
	for (i = 0; i < OFFLOADMOD_HOOK_COUNT; i++)
		offloadmod_hook_get_status(i, &st->hooks[i]);
	offloadmod_status_unsupported(st);
}

/**
 * offloadmod_nl_get_status_doit() - OFFLOADMOD_CMD_GET_STATUS
 * @skb: the request
 * @info: request info; attributes were validated against
 *	offloadmod_get_status_nl_policy (none is accepted)
 *
 * Open to anyone who can use the family, unless restrict_reads is set,
 * in every namespace: the status holds versions, limits and host-wide
 * totals (hook invocations, tracked cgroups, unattributed events), nothing
 * per cgroup or per network namespace; the kernel shows totals of the same
 * kind to containers (/proc/stat, /proc/cgroups, /proc/interrupts).
 *
 * Return: 0 or a negative errno (reported with an extack message).
 */
int offloadmod_nl_get_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct offloadmod_status st;
	struct sk_buff *msg;
	void *hdr;
	int err;

	/* netlink_capable(): CAP_NET_ADMIN in the initial user namespace. */
	if (offloadmod_restrict_reads && !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "get-status needs CAP_NET_ADMIN: module parameter restrict_reads is set");
		return -EPERM;
	}

	offloadmod_status_gather(&st);

	msg = genlmsg_new(offloadmod_status_msg_size(&st), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &offloadmod_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}

	/* Cannot fail: the message was sized for this very snapshot. */
	err = offloadmod_status_fill(msg, &st);
	if (WARN_ON_ONCE(err))
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}
