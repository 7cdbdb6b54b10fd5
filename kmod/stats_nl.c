// SPDX-License-Identifier: GPL-2.0
/*
 * stats-get (do: one cgroup or subtree; dump: every tracked cgroup) and
 * stats-reset. Requests were validated against offloadmod_stats_nl_policy.
 *
 * Every request sees only the cgroups of the caller's cgroup namespace,
 * named relative to it (scope.h): a cgroup outside it is "no such cgroup",
 * a dump leaves it out, and a reset without a cgroup resets only those the
 * caller sees.
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "offloadmod.h"
#include "scope.h"
#include "stats.h"

/*
 * The table holds up to max_cgroups entries, and no request may hold off
 * RCU, or the CPU, for all of them at once. A walk ends its RCU read-side
 * section after looking at this many entries, or after one visit (reading
 * or clearing a cgroup's state on every possible CPU: about 20 KB each),
 * and reschedules.
 */
#define OFFLOADMOD_STATS_WALK_BATCH	256

struct offloadmod_stats_walk_args {
	const struct offloadmod_scope *scope;	/* NULL: @id and @recursive */
	u64 id;
	bool recursive;
	void (*visit)(struct offloadmod_cg *cg, void *arg);
	void *arg;
};

static bool offloadmod_stats_walk_wants(const struct offloadmod_stats_walk_args *w,
					const struct offloadmod_cg *cg)
{
	if (w->scope)
		return offloadmod_scope_sees(w->scope, cg->cgrp);
	return cg->id == w->id ||
	       (w->recursive && offloadmod_cg_in_subtree(cg, w->id));
}

/*
 * Visit every tracked cgroup @w selects, in batches with a reschedule
 * point between them; the walk resumes after the last id it saw (the
 * table's entries may come and go in between).
 * Return: 0, or -EINTR when the requester was killed meanwhile.
 */
static int offloadmod_stats_walk(const struct offloadmod_stats_walk_args *w)
{
	struct offloadmod_cg *cg;
	u64 last = 0;
	int n;

	if (!w->scope && !w->recursive) {
		rcu_read_lock();
		cg = offloadmod_cg_lookup(w->id);
		if (cg)
			w->visit(cg, w->arg);
		rcu_read_unlock();
		return 0;
	}
	do {
		rcu_read_lock();
		for (n = 0; n < OFFLOADMOD_STATS_WALK_BATCH; n++) {
			cg = offloadmod_cg_next(last);
			if (!cg)
				break;
			last = cg->id;
			if (offloadmod_stats_walk_wants(w, cg)) {
				w->visit(cg, w->arg);
				break;
			}
		}
		rcu_read_unlock();
		if (cg && fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	} while (cg);
	return 0;
}

static void offloadmod_stats_sum_one(struct offloadmod_cg *cg, void *snap)
{
	offloadmod_cg_snapshot_add(snap, cg);
}

static void offloadmod_stats_reset_one(struct offloadmod_cg *cg, void *unused)
{
	offloadmod_cg_reset(cg);
}

/*
 * Sum the tracked cgroup @id, or with @recursive every tracked cgroup in
 * its subtree, into @snap.
 */
static int offloadmod_stats_collect(struct offloadmod_cg_snapshot *snap,
				    u64 id, bool recursive)
{
	struct offloadmod_stats_walk_args w = {
		.id = id, .recursive = recursive,
		.visit = offloadmod_stats_sum_one, .arg = snap,
	};

	snap->id = id;
	return offloadmod_stats_walk(&w);
}

int offloadmod_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[OFFLOADMOD_A_STATS_CGROUP_ID];
	bool recursive = nla_get_flag(info->attrs[OFFLOADMOD_A_STATS_RECURSIVE]);
	struct offloadmod_cg_snapshot *snap = NULL;
	struct offloadmod_scope scope;
	struct cgroup *cgrp = NULL;
	struct sk_buff *msg;
	char *path = NULL;
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
	err = offloadmod_scope_get(&scope);
	if (err)
		return err;

	snap = kvzalloc(sizeof(*snap), GFP_KERNEL);
	path = kmalloc(OFFLOADMOD_STATS_PATH_MAX, GFP_KERNEL);
	if (!snap || !path) {
		err = -ENOMEM;
		goto out;
	}
	/*
	 * A cgroup with no events yet has all-zero stats; no cgroup (or one
	 * outside the caller's cgroup namespace) is an error.
	 */
	cgrp = offloadmod_scope_find(&scope, id);
	if (!cgrp ||
	    offloadmod_scope_path(&scope, cgrp, path,
				  OFFLOADMOD_STATS_PATH_MAX) < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: no such cgroup");
		err = -ENOENT;
		goto out;
	}
	/* The subtree of a cgroup in the scope is in the scope. */
	err = offloadmod_stats_collect(snap, id, recursive);
	if (err)
		goto out;

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
	if (cgrp)
		cgroup_put(cgrp);
	offloadmod_scope_put(&scope);
	kfree(path);
	kvfree(snap);
	return err;
}

/*
 * cb->args[0]: id of the last cgroup sent or passed over; 0 before the
 * first. The requester's scope is kept from start to done (scope.h).
 */
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
	/* Last: from here on, done releases what it takes. */
	return offloadmod_nl_dump_scope_start(cb);
}

int offloadmod_nl_stats_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct offloadmod_cg_snapshot *snap;
	struct offloadmod_scope scope;
	struct offloadmod_cg *cg;
	unsigned int looked = 0;
	char *path;
	int err = 0, sent = 0;

	offloadmod_nl_dump_scope(cb, &scope);
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
	     cg = offloadmod_cg_next(cb->args[0])) {
		void *hdr;

		/*
		 * Outside the requester's cgroup namespace: not there. A
		 * tenant's dump may pass all of max_cgroups to find its own:
		 * a reschedule point now and then (the walk resumes after
		 * the last id either way).
		 */
		if (!offloadmod_scope_sees(&scope, cg->cgrp)) {
			cb->args[0] = cg->id;
			if (++looked % OFFLOADMOD_STATS_WALK_BATCH == 0) {
				rcu_read_unlock();
				if (fatal_signal_pending(current)) {
					err = -EINTR;
					goto out;
				}
				cond_resched();
				rcu_read_lock();
			}
			continue;
		}
		memset(snap, 0, sizeof(*snap));
		snap->id = cg->id;
		offloadmod_cg_snapshot_add(snap, cg);
		if (offloadmod_scope_path(&scope, cg->cgrp, path,
					  OFFLOADMOD_STATS_PATH_MAX) < 0)
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
	struct offloadmod_stats_walk_args w = {
		.recursive = recursive, .visit = offloadmod_stats_reset_one,
	};
	struct offloadmod_scope scope;
	struct cgroup *cgrp;
	int err;

	if (!id_attr && recursive) {
		offloadmod_extack_attr_miss(info->extack, NULL,
					    OFFLOADMOD_A_STATS_CGROUP_ID);
		NL_SET_ERR_MSG(info->extack,
			       "recursive needs cgroup-id (without it, every cgroup is reset)");
		return -EINVAL;
	}
	err = offloadmod_scope_get(&scope);
	if (err)
		return err;
	if (id_attr) {
		w.id = nla_get_u64(id_attr);
		cgrp = offloadmod_scope_find(&scope, w.id);
		if (!cgrp) {
			NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
					    "cgroup-id: no such cgroup");
			offloadmod_scope_put(&scope);
			return -ENOENT;
		}
		cgroup_put(cgrp);
	}

	/* Without a cgroup: every cgroup the caller sees. */
	if (!id_attr)
		w.scope = &scope;
	err = offloadmod_stats_walk(&w);
	offloadmod_scope_put(&scope);
	return err;
}
