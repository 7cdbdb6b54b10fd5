// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink encoding of a status snapshot (the get-status reply attributes).
 * Pure functions of the snapshot: no module state, no locks, so KUnit can
 * check the encoding byte for byte against a parse of it.
 */
#include <linux/errno.h>
#include <linux/offloadmod.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "status.h"

static size_t offloadmod_hook_msg_size(const struct offloadmod_hook_status *h)
{
	return nla_total_size(strlen(h->name) + 1) +		/* NAME */
	       nla_total_size(sizeof(u8)) +			/* AVAILABLE */
	       nla_total_size(sizeof(u8)) +			/* ATTACHED */
	       nla_total_size_64bit(sizeof(u64));		/* INVOCATIONS */
}

/**
 * offloadmod_status_msg_size() - attribute space a status reply needs
 * @st: the snapshot
 *
 * Return: bytes of attributes offloadmod_status_fill() adds for @st,
 * including the padding u64 attributes may need; no netlink headers.
 */
size_t offloadmod_status_msg_size(const struct offloadmod_status *st)
{
	size_t size;
	unsigned int i;

	size = nla_total_size(strlen(st->module_version) + 1) +
	       nla_total_size(sizeof(u32)) +			/* UAPI_VERSION */
	       nla_total_size(strlen(st->kernel_release) + 1) +
	       nla_total_size(sizeof(u32)) +			/* MAX_CGROUPS */
	       nla_total_size(sizeof(u32)) +			/* TRACKED_CGROUPS */
	       5 * nla_total_size_64bit(sizeof(u64));	/* lost counters */
	for (i = 0; i < st->n_hooks; i++)
		size += nla_total_size(offloadmod_hook_msg_size(&st->hooks[i]));
	for (i = 0; i < st->n_unsupported; i++)
		size += nla_total_size(strlen(st->unsupported[i]) + 1);
	return size;
}

static int offloadmod_hook_fill(struct sk_buff *skb,
				const struct offloadmod_hook_status *h)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, OFFLOADMOD_A_STATUS_HOOK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, OFFLOADMOD_A_HOOK_NAME, h->name) ||
	    nla_put_u8(skb, OFFLOADMOD_A_HOOK_AVAILABLE, h->available) ||
	    nla_put_u8(skb, OFFLOADMOD_A_HOOK_ATTACHED, h->attached) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_HOOK_INVOCATIONS,
			      h->invocations, OFFLOADMOD_A_HOOK_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * offloadmod_status_fill() - append the get-status reply attributes
 * @skb: message being built, positioned after the genetlink header
 * @st: the snapshot
 *
 * Return: 0, or -EMSGSIZE with @skb trimmed back to where it was.
 */
int offloadmod_status_fill(struct sk_buff *skb,
			   const struct offloadmod_status *st)
{
	unsigned char *start = skb_tail_pointer(skb);
	unsigned int i;

	if (nla_put_string(skb, OFFLOADMOD_A_STATUS_MODULE_VERSION,
			   st->module_version) ||
	    nla_put_u32(skb, OFFLOADMOD_A_STATUS_UAPI_VERSION,
			st->uapi_version) ||
	    nla_put_string(skb, OFFLOADMOD_A_STATUS_KERNEL_RELEASE,
			   st->kernel_release) ||
	    nla_put_u32(skb, OFFLOADMOD_A_STATUS_MAX_CGROUPS,
			st->max_cgroups) ||
	    nla_put_u32(skb, OFFLOADMOD_A_STATUS_TRACKED_CGROUPS,
			st->tracked_cgroups) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW,
			      st->cgroup_overflow, OFFLOADMOD_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX,
			      st->unattributed_rx, OFFLOADMOD_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX,
			      st->unattributed_tx, OFFLOADMOD_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED,
			      st->unattributed_sched, OFFLOADMOD_A_STATUS_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STATUS_ALLOC_FAILURES,
			      st->alloc_failures, OFFLOADMOD_A_STATUS_PAD))
		goto nospace;

	for (i = 0; i < st->n_hooks; i++) {
		if (offloadmod_hook_fill(skb, &st->hooks[i]))
			goto nospace;
	}
	for (i = 0; i < st->n_unsupported; i++) {
		if (nla_put_string(skb, OFFLOADMOD_A_STATUS_UNSUPPORTED,
				   st->unsupported[i]))
			goto nospace;
	}
	return 0;

nospace:
	nlmsg_trim(skb, start);
	return -EMSGSIZE;
}
