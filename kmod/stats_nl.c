// SPDX-License-Identifier: GPL-2.0
/*
 * stats-get (do: one cgroup or subtree; dump: every tracked cgroup) and
 * stats-reset. Requests were validated against offloadmod_stats_nl_policy.
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "offloadmod.h"
#include "stats.h"

/*
 * Path of a live cgroup by id. Returns -ENOENT for an id that is not a
 * live cgroup v2 directory (in the caller's cgroup namespace).
 */
static int offloadmod_cgroup_id_path(u64 id, char *buf, size_t len)
{
	struct cgroup *cgrp = offloadmod_cgroup_get_by_id(id);
	int ret;

	if (IS_ERR_OR_NULL(cgrp))
		return -ENOENT;
	ret = cgroup_path(cgrp, buf, len);
	cgroup_put(cgrp);
	return ret < 0 ? ret : 0;
}

/*
 * Sum the tracked cgroup @id, or with @recursive every tracked cgroup in
 * its subtree, into @snap. Return: number of cgroups summed.
 */
static unsigned int offloadmod_stats_collect(struct offloadmod_cg_snapshot *snap,
					     u64 id, bool recursive)
{
	struct offloadmod_cg *cg;

	snap->id = id;
	rcu_read_lock();
	if (!recursive) {
		cg = offloadmod_cg_lookup(id);
		if (cg)
			offloadmod_cg_snapshot_add(snap, cg);
	} else {
		for (cg = offloadmod_cg_next(0); cg; cg = offloadmod_cg_next(cg->id))
			if (offloadmod_cg_in_subtree(cg, id))
				offloadmod_cg_snapshot_add(snap, cg);
	}
	rcu_read_unlock();
	return snap->cgroups;
}

int offloadmod_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[OFFLOADMOD_A_STATS_CGROUP_ID];
	bool recursive = nla_get_flag(info->attrs[OFFLOADMOD_A_STATS_RECURSIVE]);
	struct offloadmod_cg_snapshot *snap;
	struct sk_buff *msg;
	char *path;
	void *hdr;
	u64 id;
	int err;

	err = offloadmod_nl_may_read(skb, info->extack);
	if (err)
		return err;
	if (!id_attr) {
		offloadmod_extack_attr_miss(info->extack, NULL,
					    OFFLOADMOD_A_STATS_CGROUP_ID);
		NL_SET_ERR_MSG(info->extack,
			       "cgroup-id is required (dump the family for all cgroups)");
		return -EINVAL;
	}
	id = nla_get_u64(id_attr);

	snap = kvzalloc(sizeof(*snap), GFP_KERNEL);
	path = kmalloc(OFFLOADMOD_STATS_PATH_MAX, GFP_KERNEL);
	if (!snap || !path) {
		err = -ENOMEM;
		goto out;
	}
	/* A cgroup with no events yet has all-zero stats; no cgroup is an error. */
	if (offloadmod_cgroup_id_path(id, path, OFFLOADMOD_STATS_PATH_MAX)) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: no such cgroup");
		err = -ENOENT;
		goto out;
	}
	offloadmod_stats_collect(snap, id, recursive);

	err = -ENOMEM;
	msg = genlmsg_new(OFFLOADMOD_STATS_MSG_MAX, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &offloadmod_genl_family, 0,
				info->genlhdr->cmd);
	err = hdr ? offloadmod_stats_fill(msg, snap, path, recursive) :
		    -EMSGSIZE;
	if (WARN_ON_ONCE(err)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	kfree(path);
	kvfree(snap);
	return err;
}

/* cb->args[0]: id of the last cgroup sent; 0 before the first. */
int offloadmod_nl_stats_get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = offloadmod_genl_dump_attrs(cb);
	int err;

	err = offloadmod_nl_may_read(cb->skb, cb->extack);
	if (err)
		return err;
	if (attrs[OFFLOADMOD_A_STATS_CGROUP_ID] ||
	    attrs[OFFLOADMOD_A_STATS_RECURSIVE]) {
		NL_SET_ERR_MSG(cb->extack,
			       "a stats-get dump takes no attributes: use a do request for one cgroup");
		return -EINVAL;
	}
	/* Room for the largest message, whatever buffer the reader uses. */
	cb->min_dump_alloc = OFFLOADMOD_STATS_MSG_MAX;
	cb->args[0] = 0;
	return 0;
}

int offloadmod_nl_stats_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct offloadmod_cg_snapshot *snap;
	struct offloadmod_cg *cg;
	char *path;
	int err = 0, sent = 0;

	snap = kvmalloc(sizeof(*snap), GFP_KERNEL);
	path = kmalloc(OFFLOADMOD_STATS_PATH_MAX, GFP_KERNEL);
	if (!snap || !path) {
		err = -ENOMEM;
		goto out;
	}
	/* Flags the dump NLM_F_DUMP_INTR if cgroups came or went meanwhile. */
	cb->seq = offloadmod_cg_generation();

	rcu_read_lock();
	for (cg = offloadmod_cg_next(cb->args[0]); cg;
	     cg = offloadmod_cg_next(cg->id)) {
		void *hdr;

		memset(snap, 0, sizeof(*snap));
		snap->id = cg->id;
		offloadmod_cg_snapshot_add(snap, cg);
		if (offloadmod_cg_path(cg, path, OFFLOADMOD_STATS_PATH_MAX) < 0)
			path[0] = '\0';

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &offloadmod_genl_family,
				  NLM_F_MULTI, OFFLOADMOD_CMD_STATS_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (offloadmod_stats_fill(skb, snap, path, false)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = cg->id;
		sent++;
	}
	rcu_read_unlock();
	/* Nothing fit although the buffer was sized for any message. */
	if (cg && !sent)
		err = -EMSGSIZE;
out:
	kfree(path);
	kvfree(snap);
	return err ?: skb->len;
}

int offloadmod_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[OFFLOADMOD_A_STATS_CGROUP_ID];
	bool recursive = nla_get_flag(info->attrs[OFFLOADMOD_A_STATS_RECURSIVE]);
	struct offloadmod_cg *cg;
	char buf[8];
	u64 id = 0;

	if (id_attr) {
		id = nla_get_u64(id_attr);
		if (offloadmod_cgroup_id_path(id, buf, sizeof(buf)) == -ENOENT) {
			NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
					    "cgroup-id: no such cgroup");
			return -ENOENT;
		}
	} else if (recursive) {
		offloadmod_extack_attr_miss(info->extack, NULL,
					    OFFLOADMOD_A_STATS_CGROUP_ID);
		NL_SET_ERR_MSG(info->extack,
			       "recursive needs cgroup-id (without it, every cgroup is reset)");
		return -EINVAL;
	}

	rcu_read_lock();
	for (cg = offloadmod_cg_next(0); cg; cg = offloadmod_cg_next(cg->id)) {
		if (!id_attr || cg->id == id ||
		    (recursive && offloadmod_cg_in_subtree(cg, id)))
			offloadmod_cg_reset(cg);
	}
	rcu_read_unlock();
	return 0;
}
