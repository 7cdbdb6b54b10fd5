// SPDX-License-Identifier: GPL-2.0
/*
 * dev-set, dev-get (do: one policy; dump: every policy the caller may
 * see) and dev-del, and the messages describing a policy: the get reply
 * and the DEV_NTF / DEV_DEL_NTF notifications carry the same attributes.
 * Requests were validated against offloadmod_dev_nl_policy.
 *
 * Reads are scoped to the caller's network namespace (DESIGN.md,
 * "Security model"): a caller in the initial network namespace sees the
 * policies of every namespace, any other caller those of its own. Another
 * namespace, named with netns-fd, it may read only with CAP_NET_ADMIN over
 * that namespace (in the user namespace that owns it): rtnetlink's rule
 * for reading the links of another namespace by IFLA_TARGET_NETNSID
 * (rtnl_get_net_ns_capable(); EACCES there, EPERM here as for every
 * permission this family checks), and no more than such a caller sees by
 * entering the namespace. A policy describes the interfaces of its own
 * namespace only (struct offloadmod_devpolicy.net).
 */
#include <linux/bits.h>
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "compat.h"
#include "compat/netdev.h"
#include "devpolicy.h"
#include "offloadmod.h"

/* Same rule as the other reads: open unless restrict_reads is set. */
static int offloadmod_dev_may_read(struct sk_buff *skb,
				   struct netlink_ext_ack *extack)
{
	if (offloadmod_restrict_reads && !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(extack,
			       "dev-get needs CAP_NET_ADMIN: module parameter restrict_reads is set");
		return -EPERM;
	}
	return 0;
}

static size_t offloadmod_devpolicy_msg_size(const struct offloadmod_devpolicy *p)
{
	return nla_total_size(sizeof(u32)) +			/* netns-inum */
	       nla_total_size(strlen(p->pattern) + 1) +
	       OFFLOADMOD_DEVFEAT_COUNT * nla_total_size(sizeof(u8)) +
	       OFFLOADMOD_DEVVAL_COUNT * nla_total_size(sizeof(u32)) +
	       p->n_ifaces * nla_total_size(IFNAMSIZ) +
	       2 * nla_total_size_64bit(sizeof(u64));
}

static int offloadmod_devpolicy_fill(struct sk_buff *skb,
				     const struct offloadmod_devpolicy *p)
{
	const struct offloadmod_devsettings *s = &p->set;
	const struct offloadmod_dev_applied *a;
	int i;

	if (nla_put_u32(skb, OFFLOADMOD_A_DEV_NETNS_INUM, p->net->ns.inum) ||
	    nla_put_string(skb, OFFLOADMOD_A_DEV_PATTERN, p->pattern))
		return -EMSGSIZE;
	for (i = 0; i < OFFLOADMOD_DEVFEAT_COUNT; i++)
		if ((s->feat_set & BIT(i)) &&
		    nla_put_u8(skb, offloadmod_devfeats[i].attr,
			       !!(s->feat_on & BIT(i))))
			return -EMSGSIZE;
	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++)
		if ((s->val_set & BIT(i)) &&
		    nla_put_u32(skb, offloadmod_devvals[i].attr, s->val[i]))
			return -EMSGSIZE;
	list_for_each_entry(a, &p->ifaces, node)
		if (nla_put_string(skb, OFFLOADMOD_A_DEV_IFACE, a->name))
			return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, OFFLOADMOD_A_DEV_IFACES_ADJUSTED,
			      p->ifaces_adjusted, OFFLOADMOD_A_DEV_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_DEV_ERRORS, p->errors,
			      OFFLOADMOD_A_DEV_PAD))
		return -EMSGSIZE;
	return 0;
}

/**
 * offloadmod_devpolicy_msg() - a message describing a policy
 * @p: the policy (table mutex held)
 * @cmd: OFFLOADMOD_CMD_DEV_GET (a reply to @info) or a notification
 * @info: the request to reply to, or NULL for a notification
 *
 * Return: the finished message, or NULL without memory.
 */
struct sk_buff *offloadmod_devpolicy_msg(const struct offloadmod_devpolicy *p,
					 u8 cmd, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(offloadmod_devpolicy_msg_size(p), GFP_KERNEL);
	if (!msg)
		return NULL;
	if (info)
		hdr = genlmsg_put_reply(msg, info, &offloadmod_genl_family, 0,
					cmd);
	else
		hdr = genlmsg_put(msg, 0, 0, &offloadmod_genl_family, 0, cmd);
	/* The size above covers every attribute: failing here is a bug. */
	if (WARN_ON_ONCE(!hdr || offloadmod_devpolicy_fill(msg, p))) {
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

/* The request's pattern, or NULL (with extack) when missing or empty. */
static const char *offloadmod_dev_nl_pattern(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[OFFLOADMOD_A_DEV_PATTERN];

	if (!attr) {
		offloadmod_extack_attr_miss(info->extack, NULL,
					    OFFLOADMOD_A_DEV_PATTERN);
		NL_SET_ERR_MSG(info->extack,
			       "pattern is required (dump the family for every policy)");
		return NULL;
	}
	if (!offloadmod_devpolicy_pattern_ok(nla_data(attr))) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "pattern: must not be empty");
		return NULL;
	}
	return nla_data(attr);
}

/*
 * May the caller of @skb (a request) read the policies of @net? See the
 * top of this file. @fd_attr: the netns-fd that named @net, for extack.
 */
static int offloadmod_dev_may_read_net(struct sk_buff *skb, struct net *net,
				       struct nlattr *fd_attr,
				       struct netlink_ext_ack *extack)
{
	struct net *own = sock_net(skb->sk);

	if (net_eq(own, &init_net) || net_eq(net, own) ||
	    netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, fd_attr,
			    "netns-fd: reading another network namespace needs CAP_NET_ADMIN over it");
	return -EPERM;
}

/*
 * The namespace a request is about, with a reference: netns-fd's, else
 * the requester's.
 */
static struct net *offloadmod_dev_nl_net(struct sk_buff *skb,
					 struct nlattr *fd_attr,
					 struct netlink_ext_ack *extack)
{
	struct net *net;

	if (!fd_attr)
		return get_net(sock_net(skb->sk));
	net = get_net_ns_by_fd(nla_get_u32(fd_attr));
	if (IS_ERR(net))
		NL_SET_ERR_MSG_ATTR(extack, fd_attr,
				    "netns-fd: not an open network namespace file descriptor");
	return net;
}

static void offloadmod_dev_nl_settings(struct nlattr **attrs,
				       struct offloadmod_devsettings *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < OFFLOADMOD_DEVFEAT_COUNT; i++) {
		struct nlattr *attr = attrs[offloadmod_devfeats[i].attr];

		if (!attr)
			continue;
		s->feat_set |= BIT(i);
		if (nla_get_u8(attr))
			s->feat_on |= BIT(i);
	}
	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++) {
		struct nlattr *attr = attrs[offloadmod_devvals[i].attr];

		if (!attr)
			continue;
		s->val_set |= BIT(i);
		s->val[i] = nla_get_u32(attr);
	}
}

#if OFFLOADMOD_HAVE_EXTACK_FMT
static const char *offloadmod_dev_attr_name(int attr)
{
	int i;

	for (i = 0; i < OFFLOADMOD_DEVFEAT_COUNT; i++)
		if (offloadmod_devfeats[i].attr == attr)
			return offloadmod_devfeats[i].name;
	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++)
		if (offloadmod_devvals[i].attr == attr)
			return offloadmod_devvals[i].name;
	return "?";
}

/* The refusal as an extack message naming the attribute and interface. */
static void offloadmod_dev_nl_refusal(struct genl_info *info, int err,
				      const struct offloadmod_devpolicy_refusal *why)
{
	struct netlink_ext_ack *extack = info->extack;
	const char *name = offloadmod_dev_attr_name(why->attr);
	unsigned long long limit = why->limit;

	if (err == -EOPNOTSUPP && why->ifname[0])
		NL_SET_ERR_MSG_FMT(extack, "%s: interface %s cannot change it",
				   name, why->ifname);
	else if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG_FMT(extack, "%s: not supported on this kernel",
				   name);
	else if (why->below)
		NL_SET_ERR_MSG_FMT(extack, "%s: below the kernel's minimum %llu",
				   name, limit);
	else if (why->ifname[0])
		NL_SET_ERR_MSG_FMT(extack,
				   "%s: above the limit %llu of interface %s",
				   name, limit, why->ifname);
	else
		NL_SET_ERR_MSG_FMT(extack, "%s: above the kernel's limit %llu",
				   name, limit);
	NL_SET_BAD_ATTR(extack, info->attrs[why->attr]);
}
#else
/*
 * No formatted messages: a fixed one per attribute, for each way it can be
 * refused (features: the device; sizes: a limit; what this kernel lacks:
 * the kernel). They cannot name the interface.
 */
static const char * const offloadmod_dev_fixed_msgs[OFFLOADMOD_A_DEV_MAX + 1] = {
	[OFFLOADMOD_A_DEV_TSO] = "tso: an interface that matches cannot change it",
	[OFFLOADMOD_A_DEV_GSO] = "gso: an interface that matches cannot change it",
	[OFFLOADMOD_A_DEV_GRO] = "gro: an interface that matches cannot change it",
	[OFFLOADMOD_A_DEV_LRO] = "lro: an interface that matches cannot change it",
	[OFFLOADMOD_A_DEV_RX_GRO_HW] =
		"rx-gro-hw: an interface that matches cannot change it",
	[OFFLOADMOD_A_DEV_TX_CSUM] =
		"tx-csum: an interface that matches cannot change it",
	[OFFLOADMOD_A_DEV_GSO_MAX_SIZE] =
		"gso-max-size: above the limit of the kernel or of an interface that matches",
	[OFFLOADMOD_A_DEV_GRO_MAX_SIZE] =
		"gro-max-size: above the kernel's limit",
};

/* Values below the kernel's minimum (devpolicy.c: the kernel's minimum). */
static const char * const offloadmod_dev_below_msgs[OFFLOADMOD_A_DEV_MAX + 1] = {
	[OFFLOADMOD_A_DEV_GSO_MAX_SIZE] =
		"gso-max-size: below the kernel's minimum (MAX_TCP_HEADER + 1)",
};

/* The settings a kernel can lack (devpolicy.c: kernel limit 0). */
static const char * const offloadmod_dev_unsupported_msgs[OFFLOADMOD_A_DEV_MAX + 1] = {
	[OFFLOADMOD_A_DEV_GRO_MAX_SIZE] =
		"gro-max-size: not supported on this kernel",
	[OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT] =
		"gro-flush-timeout: not supported on this kernel",
	[OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS] =
		"napi-defer-hard-irqs: not supported on this kernel",
};

static void offloadmod_dev_nl_refusal(struct genl_info *info, int err,
				      const struct offloadmod_devpolicy_refusal *why)
{
	const char *msg = offloadmod_dev_fixed_msgs[why->attr];

	if (err == -EOPNOTSUPP && !why->ifname[0])
		msg = offloadmod_dev_unsupported_msgs[why->attr];
	else if (why->below)
		msg = offloadmod_dev_below_msgs[why->attr];
	offloadmod_extack_attr_fixed(info->extack, info->attrs[why->attr],
				     msg ?: "a setting cannot be applied");
}
#endif

int offloadmod_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct offloadmod_devpolicy_refusal why = {};
	struct offloadmod_devpolicy *newp, *p = NULL;
	struct offloadmod_devsettings req;
	struct sk_buff *ntf = NULL;
	const char *pattern;
	struct net *net;
	int err;

	pattern = offloadmod_dev_nl_pattern(info);
	if (!pattern)
		return -EINVAL;
	offloadmod_dev_nl_settings(info->attrs, &req);
	net = offloadmod_dev_nl_net(skb, info->attrs[OFFLOADMOD_A_DEV_NETNS_FD],
				    info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	newp = offloadmod_devpolicy_alloc();
	if (!newp) {
		put_net(net);
		return -ENOMEM;
	}

	offloadmod_devpolicy_lock();
	if (offloadmod_devsettings_empty(&req) &&
	    !offloadmod_devpolicy_find(net, pattern)) {
		NL_SET_ERR_MSG(info->extack,
			       "a new interface policy needs at least one setting");
		err = -EINVAL;
	} else {
		err = offloadmod_devpolicy_set(net, pattern, &req, &newp, &p,
					       &why);
		if (err)
			offloadmod_dev_nl_refusal(info, err, &why);
		else
			ntf = offloadmod_devpolicy_msg(p, OFFLOADMOD_CMD_DEV_NTF,
						       NULL);
	}
	offloadmod_devpolicy_unlock();

	kfree(newp);
	put_net(net);
	if (ntf)
		offloadmod_nl_notify(ntf);
	return err;
}

int offloadmod_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct offloadmod_devpolicy *p;
	struct sk_buff *msg = NULL;
	const char *pattern;
	struct net *net;
	int err;

	err = offloadmod_dev_may_read(skb, info->extack);
	if (err)
		return err;
	pattern = offloadmod_dev_nl_pattern(info);
	if (!pattern)
		return -EINVAL;
	net = offloadmod_dev_nl_net(skb, info->attrs[OFFLOADMOD_A_DEV_NETNS_FD],
				    info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	err = offloadmod_dev_may_read_net(skb, net,
					  info->attrs[OFFLOADMOD_A_DEV_NETNS_FD],
					  info->extack);
	if (err) {
		put_net(net);
		return err;
	}

	offloadmod_devpolicy_read_lock();
	p = offloadmod_devpolicy_find(net, pattern);
	if (p) {
		msg = offloadmod_devpolicy_msg(p, info->genlhdr->cmd, info);
		err = msg ? 0 : -ENOMEM;
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[OFFLOADMOD_A_DEV_PATTERN],
				    "pattern: no interface policy with this pattern in this network namespace");
		err = -ENOENT;
	}
	offloadmod_devpolicy_read_unlock();
	put_net(net);
	return err ?: genlmsg_reply(msg, info);
}

/*
 * May the requester of the dump @cb see @p? Asked of every policy in every
 * part of the dump, whoever reads the part: a namespace named by its inode
 * number can be freed and its number given to another one between two
 * parts, so the check made at the start does not carry over. A caller in
 * the initial namespace sees every policy, any other caller those of its
 * own namespace and, when it named one (@named), those of a namespace it
 * holds CAP_NET_ADMIN over (offloadmod_dev_may_read_net()).
 */
static bool offloadmod_dev_dump_sees(struct sk_buff *skb,
				     struct netlink_callback *cb, bool named,
				     const struct offloadmod_devpolicy *p)
{
	struct net *own = sock_net(skb->sk);

	return net_eq(own, &init_net) || net_eq(p->net, own) ||
	       (named && netlink_ns_capable(cb->skb, p->net->user_ns,
					    CAP_NET_ADMIN));
}

/*
 * A dump may be narrowed to one namespace (netns-fd) and one pattern; a
 * caller outside the initial namespace gets only what
 * offloadmod_dev_dump_sees() lets it see.
 * cb->args[0]: id of the last policy looked at (0 before the first);
 * [1]: the namespace's inode number, 0 for all; [2]: 1 once the request
 * was checked, on the first call, which runs in the requester's context
 * (so its fd table resolves netns-fd).
 */
int offloadmod_nl_dev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct nlattr **attrs = offloadmod_genl_dump_attrs(cb);
	struct nlattr *pattern = attrs[OFFLOADMOD_A_DEV_PATTERN];
	struct offloadmod_devpolicy *p;
	int err = 0, sent = 0;

	if (!cb->args[2]) {
		err = offloadmod_dev_may_read(cb->skb, cb->extack);
		if (err)
			return err;
		if (attrs[OFFLOADMOD_A_DEV_NETNS_FD]) {
			struct net *net;

			net = offloadmod_dev_nl_net(cb->skb,
						    attrs[OFFLOADMOD_A_DEV_NETNS_FD],
						    cb->extack);
			if (IS_ERR(net))
				return PTR_ERR(net);
			err = offloadmod_dev_may_read_net(cb->skb, net,
							  attrs[OFFLOADMOD_A_DEV_NETNS_FD],
							  cb->extack);
			cb->args[1] = net->ns.inum;
			put_net(net);
			if (err)
				return err;
		}
		cb->args[2] = 1;
	}

	offloadmod_devpolicy_read_lock();
	/* Flags the dump NLM_F_DUMP_INTR if the table changed meanwhile. */
	cb->seq = offloadmod_devpolicy_generation();
	for (p = offloadmod_devpolicy_next(cb->args[0]); p;
	     p = offloadmod_devpolicy_next(p->id)) {
		void *hdr;

		if ((cb->args[1] && p->net->ns.inum != cb->args[1]) ||
		    (pattern && strcmp(p->pattern, nla_data(pattern))) ||
		    !offloadmod_dev_dump_sees(skb, cb, cb->args[1], p)) {
			cb->args[0] = p->id;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &offloadmod_genl_family,
				  NLM_F_MULTI, OFFLOADMOD_CMD_DEV_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (offloadmod_devpolicy_fill(skb, p)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = p->id;
		sent++;
	}
	/* A policy with more interfaces than a dump buffer holds. */
	if (p && !sent)
		err = -EMSGSIZE;
	offloadmod_devpolicy_read_unlock();
	return err ?: skb->len;
}

int offloadmod_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct offloadmod_devpolicy *p;
	struct sk_buff *ntf = NULL;
	const char *pattern;
	struct net *net;
	int err = 0;

	pattern = offloadmod_dev_nl_pattern(info);
	if (!pattern)
		return -EINVAL;
	net = offloadmod_dev_nl_net(skb, info->attrs[OFFLOADMOD_A_DEV_NETNS_FD],
				    info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);

	offloadmod_devpolicy_lock();
	p = offloadmod_devpolicy_find(net, pattern);
	if (p) {
		/* Described as it was, with the interfaces it had. */
		ntf = offloadmod_devpolicy_msg(p, OFFLOADMOD_CMD_DEV_DEL_NTF,
					       NULL);
		offloadmod_devpolicy_del(p);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[OFFLOADMOD_A_DEV_PATTERN],
				    "pattern: no interface policy with this pattern in this network namespace");
		err = -ENOENT;
	}
	offloadmod_devpolicy_unlock();

	put_net(net);
	if (ntf)
		offloadmod_nl_notify(ntf);
	return err;
}
