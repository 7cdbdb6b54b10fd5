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

/* Put one policy's attributes. Context: the policy mutex (@pol stays). */
static int offloadmod_policy_fill(struct sk_buff *msg,
				  const struct offloadmod_policy *pol)
{
	const struct offloadmod_policy_values *v = &pol->v;
	char *path;
	int err;

	if (nla_put_u64_64bit(msg, OFFLOADMOD_A_POLICY_CGROUP_ID,
			      pol->cgroup_id, OFFLOADMOD_A_POLICY_PAD))
		return -EMSGSIZE;
	path = kmalloc(OFFLOADMOD_POLICY_PATH_MAX, GFP_KERNEL);
	if (path && pol->cgrp &&
	    cgroup_path(pol->cgrp, path, OFFLOADMOD_POLICY_PATH_MAX) > 0 &&
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
	}
	WRITE_ONCE(pol->v.mode, v.mode);
	WRITE_ONCE(pol->v.gso_off, v.gso_off);
	WRITE_ONCE(pol->v.gso_max_size, v.gso_max_size);
	WRITE_ONCE(pol->v.gso_max_segs, v.gso_max_segs);
	WRITE_ONCE(pol->v.busy_poll_us, v.busy_poll_us);
	offloadmod_policy_changed();
	offloadmod_policy_notify(pol);
out_unlock:
	mutex_unlock(&offloadmod_policy_mutex);
	if (cgrp)
		cgroup_put(cgrp);
	if (!err)
		offloadmod_sockpolicy_sync();
	return err;
}

int offloadmod_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = offloadmod_policy_id_attr(info);
	struct offloadmod_policy *pol;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!id_attr)
		return -EINVAL;
	err = offloadmod_nl_may_read(skb, info->extack);
	if (err)
		return err;
	msg = genlmsg_new(OFFLOADMOD_POLICY_MSG_MAX, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &offloadmod_genl_family, 0,
				info->genlhdr->cmd);
	mutex_lock(&offloadmod_policy_mutex);
	pol = offloadmod_policy_lookup(nla_get_u64(id_attr));
	if (!pol) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: the cgroup has no policy of its own");
		err = -ENOENT;
	} else {
		err = hdr ? offloadmod_policy_fill(msg, pol) : -EMSGSIZE;
	}
	mutex_unlock(&offloadmod_policy_mutex);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: id of the last policy sent. */
int offloadmod_nl_policy_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct offloadmod_policy *pol;
	int err = 0;
	void *hdr;

	err = offloadmod_nl_may_read(cb->skb, cb->extack);
	if (err)
		return err;
	mutex_lock(&offloadmod_policy_mutex);
	cb->seq = offloadmod_policy_generation();
	for (pol = offloadmod_policy_next(cb->args[0]); pol;
	     pol = offloadmod_policy_next(pol->cgroup_id)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &offloadmod_genl_family,
				  NLM_F_MULTI, OFFLOADMOD_CMD_POLICY_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (offloadmod_policy_fill(skb, pol)) {
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
	u64 id;

	if (!id_attr)
		return -EINVAL;
	id = nla_get_u64(id_attr);
	mutex_lock(&offloadmod_policy_mutex);
	pol = offloadmod_policy_lookup(id);
	if (pol)
		offloadmod_policy_unlink(pol);
	mutex_unlock(&offloadmod_policy_mutex);
	if (!pol) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "cgroup-id: the cgroup has no policy of its own");
		return -ENOENT;
	}
	offloadmod_policy_free(pol);
	/* Its sockets go back to the kernel's values, or to an ancestor's. */
	offloadmod_sockpolicy_sync();
	offloadmod_policy_notify_del(id);
	return 0;
}
