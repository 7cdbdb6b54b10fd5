// SPDX-License-Identifier: GPL-2.0
/*
 * policy-set, policy-get (do: one cgroup; dump: every policy), policy-del,
 * and the monitor notifications of cgroup policies. Requests were
 * validated against offloadmod_policy_nl_policy.
 */
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/offloadmod.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "cgstats.h"
#include "compat.h"
#include "offloadmod.h"
#include "policy.h"
#include "scope.h"

/* Room for one policy message (the path is bounded separately). */
#define OFFLOADMOD_POLICY_MSG_MAX	(NLMSG_GOODSIZE)
#define OFFLOADMOD_POLICY_PATH_MAX	1024

static struct nlattr *offloadmod_policy_id_attr(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[OFFLOADMOD_A_POLICY_CGROUP_ID];

	if (!attr) {
		offloadmod_extack_attr_miss(info->extack, NULL,
					    OFFLOADMOD_A_POLICY_CGROUP_ID);
		NL_SET_ERR_MSG(info->extack, "cgroup-id is required");
	}
	return attr;
}

/*
 * Put one policy's attributes, its cgroup's path as @scope names it.
 * Context: the policy mutex (@pol stays).
 */
static int offloadmod_policy_fill_scoped(struct sk_buff *msg,
					 const struct offloadmod_policy *pol,
					 const struct offloadmod_scope *scope)
{
	const struct offloadmod_policy_values *v = &pol->v;
	char *path;
	int err;

	if (nla_put_u64_64bit(msg, OFFLOADMOD_A_POLICY_CGROUP_ID,
			      pol->cgroup_id, OFFLOADMOD_A_POLICY_PAD))
		return -EMSGSIZE;
	path = kmalloc(OFFLOADMOD_POLICY_PATH_MAX, GFP_KERNEL);
	if (path && pol->cgrp &&
	    offloadmod_scope_path(scope, pol->cgrp, path,
				  OFFLOADMOD_POLICY_PATH_MAX) > 0 &&
	    nla_put_string(msg, OFFLOADMOD_A_POLICY_PATH, path)) {
		kfree(path);
		return -EMSGSIZE;
	}
	kfree(path);

	err = nla_put_u32(msg, OFFLOADMOD_A_POLICY_MODE, READ_ONCE(v->mode)) ||
	      nla_put_u8(msg, OFFLOADMOD_A_POLICY_GSO, !READ_ONCE(v->gso_off));
	if (!err && READ_ONCE(v->gso_max_size))
		err = nla_put_u32(msg, OFFLOADMOD_A_POLICY_GSO_MAX_SIZE,
				  READ_ONCE(v->gso_max_size));
	if (!err && READ_ONCE(v->gso_max_segs))
		err = nla_put_u32(msg, OFFLOADMOD_A_POLICY_GSO_MAX_SEGS,
				  READ_ONCE(v->gso_max_segs));
	if (!err && READ_ONCE(v->busy_poll_us))
		err = nla_put_u32(msg, OFFLOADMOD_A_POLICY_BUSY_POLL,
				  READ_ONCE(v->busy_poll_us));
	if (!err)
		err = nla_put_u32(msg, OFFLOADMOD_A_POLICY_SOCKETS,
				  offloadmod_policy_sockets(pol->cgroup_id)) ||
		      nla_put_u64_64bit(msg, OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED,
					atomic64_read(&pol->sockets_adjusted),
					OFFLOADMOD_A_POLICY_PAD) ||
		      nla_put_u64_64bit(msg,
					OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST,
					atomic64_read(&pol->audit_would_adjust),
					OFFLOADMOD_A_POLICY_PAD) ||
		      nla_put_u64_64bit(msg, OFFLOADMOD_A_POLICY_ERRORS,
					atomic64_read(&pol->errors),
					OFFLOADMOD_A_POLICY_PAD);
	return err ? -EMSGSIZE : 0;
}

/*
 * The same with the full path: for the monitor group, whose listeners
 * read everything (netlink.c).
 */
static int offloadmod_policy_fill(struct sk_buff *msg,
				  const struct offloadmod_policy *pol)
{
	const struct offloadmod_scope all = {};

	return offloadmod_policy_fill_scoped(msg, pol, &all);
}

/* Announce a policy as it is now (under the policy mutex). */
static void offloadmod_policy_notify(const struct offloadmod_policy *pol)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(OFFLOADMOD_POLICY_MSG_MAX, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &offloadmod_genl_family, 0,
			  OFFLOADMOD_CMD_POLICY_NTF);
	if (!hdr || offloadmod_policy_fill(msg, pol)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	offloadmod_nl_notify(msg);
}

/**
 * offloadmod_policy_notify_del() - announce that a cgroup lost its policy
 * @cgroup_id: the cgroup (deleted by a command, or removed by rmdir)
 */
void offloadmod_policy_notify_del(u64 cgroup_id)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &offloadmod_genl_family, 0,
			  OFFLOADMOD_CMD_POLICY_DEL_NTF);
	if (!hdr || nla_put_u64_64bit(msg, OFFLOADMOD_A_POLICY_CGROUP_ID,
				      cgroup_id, OFFLOADMOD_A_POLICY_PAD)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	offloadmod_nl_notify(msg);
}

/* Merge the values a request carries into @v. */
static void offloadmod_policy_merge(struct offloadmod_policy_values *v,
				    struct nlattr **attrs)
{
	if (attrs[OFFLOADMOD_A_POLICY_MODE])
		v->mode = nla_get_u32(attrs[OFFLOADMOD_A_POLICY_MODE]);
	if (attrs[OFFLOADMOD_A_POLICY_GSO])
		v->gso_off = !nla_get_u8(attrs[OFFLOADMOD_A_POLICY_GSO]);
	if (attrs[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE])
		v->gso_max_size =
			nla_get_u32(attrs[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE]);
	if (attrs[OFFLOADMOD_A_POLICY_GSO_MAX_SEGS])
		v->gso_max_segs =
			nla_get_u32(attrs[OFFLOADMOD_A_POLICY_GSO_MAX_SEGS]);
	if (attrs[OFFLOADMOD_A_POLICY_BUSY_POLL])
		v->busy_poll_us =
			nla_get_u32(attrs[OFFLOADMOD_A_POLICY_BUSY_POLL]);
}

/*
 * A policy new to the table takes over the sockets of its cgroup from the
 * nearest ancestor's policy: have that one's records synced again, which
 * moves them. First a grace period, so that no socket event that resolved
 * the ancestor without seeing the new policy can still mark a record
 * synced to the ancestor's new generation.
 *
 * Context: offloadmod_policy_mutex held (the ancestor stays in the table).
 */
static void offloadmod_policy_bump_ancestor(struct offloadmod_policy *pol)
{
	struct offloadmod_policy *anc;

	if (!pol->cgrp)
		return;
	rcu_read_lock();
	anc = offloadmod_policy_resolve(cgroup_parent(pol->cgrp));
	rcu_read_unlock();
	if (!anc)
		return;
	synchronize_rcu();
	offloadmod_policy_bump(anc);
}

int offloadmod_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = offloadmod_policy_id_attr(info);
	struct offloadmod_policy_values v = {};
	struct offloadmod_policy *pol;
	struct cgroup *cgrp;
	const char *msg;
	int err, bad;

	if (!id_attr)
		return -EINVAL;
	cgrp = offloadmod_cgroup_get_by_id(nla_get_u64(id_attr));
	if (IS_ERR_OR_NULL(cgrp)) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: no such cgroup");
		return -ENOENT;
	}

	mutex_lock(&offloadmod_policy_mutex);
	pol = offloadmod_policy_lookup(nla_get_u64(id_attr));
	if (pol)
		v = pol->v;
	offloadmod_policy_merge(&v, info->attrs);
	err = offloadmod_policy_validate(&v, &msg, &bad);
	if (err) {
		/*
		 * Only a value this request set can be out of range. The
		 * message is a string literal of policy.c, which is what
		 * NL_SET_ERR_MSG would store too.
		 */
		if (info->extack)
			info->extack->_msg = msg;
		NL_SET_BAD_ATTR(info->extack, info->attrs[bad]);
		goto out_unlock;
	}
	if (!pol) {
		pol = offloadmod_policy_insert(nla_get_u64(id_attr), cgrp);
		if (!pol) {
			err = -ENOMEM;
			goto out_unlock;
		}
		cgrp = NULL;	/* the policy's reference now */
		offloadmod_policy_bump_ancestor(pol);
	}
	WRITE_ONCE(pol->v.mode, v.mode);
	WRITE_ONCE(pol->v.gso_off, v.gso_off);
	WRITE_ONCE(pol->v.gso_max_size, v.gso_max_size);
	WRITE_ONCE(pol->v.gso_max_segs, v.gso_max_segs);
	WRITE_ONCE(pol->v.busy_poll_us, v.busy_poll_us);
	/* Its records, then the sockets of its cgroup's tasks (worker). */
	offloadmod_policy_bump(pol);
	set_bit(OFFLOADMOD_POLICY_SCAN, &pol->flags);
	offloadmod_policy_changed();
	offloadmod_policy_notify(pol);
out_unlock:
	mutex_unlock(&offloadmod_policy_mutex);
	if (cgrp)
		cgroup_put(cgrp);
	/* Existing sockets follow within a run of the worker, not here. */
	if (!err)
		offloadmod_sockpolicy_kick();
	return err;
}

/*
 * As stats-get: a cgroup outside the caller's cgroup namespace is "no
 * such cgroup", whether it has a policy or not, and the path is relative
 * to that namespace (scope.h).
 */
int offloadmod_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = offloadmod_policy_id_attr(info);
	struct offloadmod_policy *pol;
	struct offloadmod_scope scope;
	struct sk_buff *msg = NULL;
	struct cgroup *cgrp;
	void *hdr;
	int err;

	if (!id_attr)
		return -EINVAL;
	err = offloadmod_nl_may_read(skb, info->extack);
	if (err)
		return err;
	err = offloadmod_scope_get(&scope);
	if (err)
		return err;
	cgrp = offloadmod_scope_find(&scope, nla_get_u64(id_attr));
	if (!cgrp) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: no such cgroup");
		err = -ENOENT;
		goto out;
	}
	cgroup_put(cgrp);
	err = -ENOMEM;
	msg = genlmsg_new(OFFLOADMOD_POLICY_MSG_MAX, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &offloadmod_genl_family, 0,
				info->genlhdr->cmd);
	mutex_lock(&offloadmod_policy_mutex);
	pol = offloadmod_policy_lookup(nla_get_u64(id_attr));
	if (!pol || !offloadmod_scope_sees(&scope, pol->cgrp)) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: the cgroup has no policy of its own");
		err = -ENOENT;
	} else {
		err = hdr ? offloadmod_policy_fill_scoped(msg, pol, &scope) :
			    -EMSGSIZE;
	}
	mutex_unlock(&offloadmod_policy_mutex);
	if (!err) {
		genlmsg_end(msg, hdr);
		err = genlmsg_reply(msg, info);
		msg = NULL;
	}
out:
	nlmsg_free(msg);
	offloadmod_scope_put(&scope);
	return err;
}

/*
 * cb->args[0]: id of the last policy sent. Policies of cgroups outside the
 * requester's cgroup namespace are left out; start and done
 * (offloadmod_nl_read_dump_*()) check who may read and keep that scope.
 */
int offloadmod_nl_policy_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct offloadmod_policy *pol;
	struct offloadmod_scope scope;
	void *hdr;

	offloadmod_nl_dump_scope(cb, &scope);
	mutex_lock(&offloadmod_policy_mutex);
	cb->seq = offloadmod_policy_generation();
	for (pol = offloadmod_policy_next(cb->args[0]); pol;
	     pol = offloadmod_policy_next(pol->cgroup_id)) {
		if (!offloadmod_scope_sees(&scope, pol->cgrp))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &offloadmod_genl_family,
				  NLM_F_MULTI, OFFLOADMOD_CMD_POLICY_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (offloadmod_policy_fill_scoped(skb, pol, &scope)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = pol->cgroup_id;
	}
	mutex_unlock(&offloadmod_policy_mutex);
	return skb->len;
}

int offloadmod_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = offloadmod_policy_id_attr(info);
	struct offloadmod_policy *pol;
	bool scan;
	u64 id;

	if (!id_attr)
		return -EINVAL;
	id = nla_get_u64(id_attr);
	mutex_lock(&offloadmod_policy_mutex);
	pol = offloadmod_policy_lookup(id);
	if (pol) {
		offloadmod_policy_unlink(pol);
		/*
		 * Its sockets go back to the kernel's values, or to an
		 * ancestor's policy, which then also needs the sockets of
		 * the cgroup's tasks that this one never recorded. The
		 * worker does it, and frees the policy after.
		 */
		rcu_read_lock();
		scan = pol->cgrp &&
		       offloadmod_policy_resolve(cgroup_parent(pol->cgrp));
		rcu_read_unlock();
		offloadmod_sockpolicy_retire(pol, scan);
	}
	mutex_unlock(&offloadmod_policy_mutex);
	if (!pol) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: the cgroup has no policy of its own");
		return -ENOENT;
	}
	offloadmod_sockpolicy_kick();
	offloadmod_policy_notify_del(id);
	return 0;
}
