// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl policy and dev: decode the kernel's policy messages (get
 * replies and monitor notifications), see policy.h.
 *
 * Integers must have exactly their width; attribute types this tool does
 * not know are ignored (a newer module may add some), as for status and
 * stats.
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "ctl.h"
#include "nl.h"
#include "policy.h"

#define U8_POLICY	{ .type = NLA_U8, .maxlen = 1 }
#define U32_POLICY	{ .type = NLA_U32, .maxlen = 4 }
#define U64_POLICY	{ .type = NLA_U64, .maxlen = 8 }

static const struct nla_policy policy_policy[OFFLOADMOD_A_POLICY_MAX + 1] = {
	[OFFLOADMOD_A_POLICY_CGROUP_ID]		= U64_POLICY,
	[OFFLOADMOD_A_POLICY_PATH]		= { .type = NLA_STRING,
						    .maxlen = PATH_MAX },
	[OFFLOADMOD_A_POLICY_MODE]		= U32_POLICY,
	[OFFLOADMOD_A_POLICY_GSO]		= U8_POLICY,
	[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE]	= U32_POLICY,
	[OFFLOADMOD_A_POLICY_GSO_MAX_SEGS]	= U32_POLICY,
	[OFFLOADMOD_A_POLICY_BUSY_POLL]		= U32_POLICY,
	[OFFLOADMOD_A_POLICY_SOCKETS]		= U32_POLICY,
	[OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED]	= U64_POLICY,
	[OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST] = U64_POLICY,
	[OFFLOADMOD_A_POLICY_ERRORS]		= U64_POLICY,
};

/* NETNS_FD is request-only; a reply carrying one is still well-formed. */
static const struct nla_policy dev_policy[OFFLOADMOD_A_DEV_MAX + 1] = {
	[OFFLOADMOD_A_DEV_NETNS_FD]		= U32_POLICY,
	[OFFLOADMOD_A_DEV_NETNS_INUM]		= U32_POLICY,
	[OFFLOADMOD_A_DEV_PATTERN]		= {
		.type = NLA_STRING, .maxlen = OFFLOADMOD_DEV_PATTERN_MAX },
	[OFFLOADMOD_A_DEV_TSO]			= U8_POLICY,
	[OFFLOADMOD_A_DEV_GSO]			= U8_POLICY,
	[OFFLOADMOD_A_DEV_GRO]			= U8_POLICY,
	[OFFLOADMOD_A_DEV_LRO]			= U8_POLICY,
	[OFFLOADMOD_A_DEV_RX_GRO_HW]		= U8_POLICY,
	[OFFLOADMOD_A_DEV_TX_CSUM]		= U8_POLICY,
	[OFFLOADMOD_A_DEV_GSO_MAX_SIZE]		= U32_POLICY,
	[OFFLOADMOD_A_DEV_GRO_MAX_SIZE]		= U32_POLICY,
	[OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT]	= U32_POLICY,
	[OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS]	= U32_POLICY,
	[OFFLOADMOD_A_DEV_IFACE]		= { .type = NLA_STRING,
						    .maxlen = IFNAMSIZ },
	[OFFLOADMOD_A_DEV_IFACES_ADJUSTED]	= U64_POLICY,
	[OFFLOADMOD_A_DEV_ERRORS]		= U64_POLICY,
};

/* The integer attributes kept in val[]: everything but ids and strings. */
static const int policy_values[] = {
	OFFLOADMOD_A_POLICY_MODE,
	OFFLOADMOD_A_POLICY_GSO,
	OFFLOADMOD_A_POLICY_GSO_MAX_SIZE,
	OFFLOADMOD_A_POLICY_GSO_MAX_SEGS,
	OFFLOADMOD_A_POLICY_BUSY_POLL,
	OFFLOADMOD_A_POLICY_SOCKETS,
	OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED,
	OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST,
	OFFLOADMOD_A_POLICY_ERRORS,
};

static const int dev_values[] = {
	OFFLOADMOD_A_DEV_TSO,
	OFFLOADMOD_A_DEV_GSO,
	OFFLOADMOD_A_DEV_GRO,
	OFFLOADMOD_A_DEV_LRO,
	OFFLOADMOD_A_DEV_RX_GRO_HW,
	OFFLOADMOD_A_DEV_TX_CSUM,
	OFFLOADMOD_A_DEV_GSO_MAX_SIZE,
	OFFLOADMOD_A_DEV_GRO_MAX_SIZE,
	OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT,
	OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS,
	OFFLOADMOD_A_DEV_IFACES_ADJUSTED,
	OFFLOADMOD_A_DEV_ERRORS,
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int malformed(const char *what, const char *fmt, ...)
	CTL_PRINTF(2, 3);

/* "malformed <what> from kernel: <msg>"; returns -EINVAL. */
static int malformed(const char *what, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctl_err("malformed %s from kernel: %s", what, msg);
	return -EINVAL;
}

/*
 * Copy the integer attributes listed in attrs into val[] and mark them
 * present. The policy fixed each one's width, so its length says which.
 */
static void take_values(struct nlattr **tb, const int *attrs, size_t n,
			uint32_t *present, uint64_t *val)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct nlattr *a = tb[attrs[i]];

		if (!a)
			continue;
		switch (nla_len(a)) {
		case 1:
			val[attrs[i]] = nla_get_u8(a);
			break;
		case 4:
			val[attrs[i]] = nla_get_u32(a);
			break;
		default:
			val[attrs[i]] = nla_get_u64(a);
			break;
		}
		*present |= 1u << attrs[i];
	}
}

void policy_info_free(struct policy_info *p)
{
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static int parse_policy(struct nl_msg *msg, struct policy_info *p)
{
	static const int zero_is_unset[] = {
		OFFLOADMOD_A_POLICY_GSO_MAX_SIZE,
		OFFLOADMOD_A_POLICY_GSO_MAX_SEGS,
		OFFLOADMOD_A_POLICY_BUSY_POLL,
	};
	struct nlattr *tb[OFFLOADMOD_A_POLICY_MAX + 1];
	size_t i;
	int err;

	err = omnl_parse(msg, tb, OFFLOADMOD_A_POLICY_MAX, policy_policy,
			 "policy message");
	if (err)
		return err;
	if (!tb[OFFLOADMOD_A_POLICY_CGROUP_ID])
		return malformed("policy message", "no cgroup-id attribute");
	p->cgroup_id = nla_get_u64(tb[OFFLOADMOD_A_POLICY_CGROUP_ID]);
	SET_PRESENT(p, OFFLOADMOD_A_POLICY_CGROUP_ID);
	p->path = strdup(tb[OFFLOADMOD_A_POLICY_PATH] ?
			 nla_get_string(tb[OFFLOADMOD_A_POLICY_PATH]) : "");
	if (!p->path)
		return -ENOMEM;
	if (tb[OFFLOADMOD_A_POLICY_PATH])
		SET_PRESENT(p, OFFLOADMOD_A_POLICY_PATH);
	take_values(tb, policy_values, N_OF(policy_values), &p->present,
		    p->val);
	/* 0 is how a set removes these: it never is a value in force. */
	for (i = 0; i < N_OF(zero_is_unset); i++)
		if (PRESENT(p, zero_is_unset[i]) && !p->val[zero_is_unset[i]])
			p->present &= ~(1u << zero_is_unset[i]);
	if (PRESENT(p, OFFLOADMOD_A_POLICY_GSO))
		p->val[OFFLOADMOD_A_POLICY_GSO] =
			!!p->val[OFFLOADMOD_A_POLICY_GSO];
	return 0;
}

void dev_info_free(struct dev_info *d)
{
	size_t i;

	for (i = 0; i < d->n_ifaces; i++)
		free(d->ifaces[i]);
	free(d->ifaces);
	free(d->pattern);
	memset(d, 0, sizeof(*d));
}

/* iface is multi-attr: tb[] only holds the last one, so walk them all. */
static int parse_ifaces(struct nl_msg *msg, struct dev_info *d)
{
	struct genlmsghdr *gnlh = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *a;
	size_t n = 0;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem)
		if (nla_type(a) == OFFLOADMOD_A_DEV_IFACE)
			n++;
	if (!n)
		return 0;
	d->ifaces = calloc(n, sizeof(*d->ifaces));
	if (!d->ifaces)
		return -ENOMEM;
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		if (nla_type(a) != OFFLOADMOD_A_DEV_IFACE)
			continue;
		d->ifaces[d->n_ifaces] = strdup(nla_get_string(a));
		if (!d->ifaces[d->n_ifaces])
			return -ENOMEM;
		d->n_ifaces++;
	}
	SET_PRESENT(d, OFFLOADMOD_A_DEV_IFACE);
	return 0;
}

static int parse_dev(struct nl_msg *msg, struct dev_info *d)
{
	static const int onoff[] = {
		OFFLOADMOD_A_DEV_TSO, OFFLOADMOD_A_DEV_GSO,
		OFFLOADMOD_A_DEV_GRO, OFFLOADMOD_A_DEV_LRO,
		OFFLOADMOD_A_DEV_RX_GRO_HW, OFFLOADMOD_A_DEV_TX_CSUM,
	};
	struct nlattr *tb[OFFLOADMOD_A_DEV_MAX + 1];
	size_t i;
	int err;

	err = omnl_parse(msg, tb, OFFLOADMOD_A_DEV_MAX, dev_policy,
			 "interface policy message");
	if (err)
		return err;
	if (!tb[OFFLOADMOD_A_DEV_PATTERN])
		return malformed("interface policy message",
				 "no pattern attribute");
	d->pattern = strdup(nla_get_string(tb[OFFLOADMOD_A_DEV_PATTERN]));
	if (!d->pattern)
		return -ENOMEM;
	SET_PRESENT(d, OFFLOADMOD_A_DEV_PATTERN);
	if (tb[OFFLOADMOD_A_DEV_NETNS_INUM]) {
		d->netns_inum = nla_get_u32(tb[OFFLOADMOD_A_DEV_NETNS_INUM]);
		SET_PRESENT(d, OFFLOADMOD_A_DEV_NETNS_INUM);
	}
	take_values(tb, dev_values, N_OF(dev_values), &d->present, d->val);
	for (i = 0; i < N_OF(onoff); i++)
		d->val[onoff[i]] = !!d->val[onoff[i]];
	return parse_ifaces(msg, d);
}

/* Room for one more entry of size sz in *v (n used, cap allocated). */
static void *grow(void *v, size_t n, size_t *cap, size_t sz)
{
	size_t c;

	if (n < *cap)
		return v;
	c = *cap ? *cap * 2 : 16;
	v = realloc(v, c * sz);
	if (v)
		*cap = c;
	return v;
}

int policy_parse(struct nl_msg *msg, struct policy_list *list)
{
	struct policy_info *v, *p;
	int err;

	v = grow(list->v, list->n, &list->cap, sizeof(*v));
	if (!v)
		goto nomem;
	list->v = v;
	p = &v[list->n];
	memset(p, 0, sizeof(*p));
	err = parse_policy(msg, p);
	if (err) {
		policy_info_free(p);
		if (err == -ENOMEM)
			goto nomem;
		return err;
	}
	list->n++;
	return 0;
nomem:
	ctl_err("%s", strerror(ENOMEM));
	return -ENOMEM;
}

int dev_parse(struct nl_msg *msg, struct dev_list *list)
{
	struct dev_info *v, *d;
	int err;

	v = grow(list->v, list->n, &list->cap, sizeof(*v));
	if (!v)
		goto nomem;
	list->v = v;
	d = &v[list->n];
	memset(d, 0, sizeof(*d));
	err = parse_dev(msg, d);
	if (err) {
		dev_info_free(d);
		if (err == -ENOMEM)
			goto nomem;
		return err;
	}
	list->n++;
	return 0;
nomem:
	ctl_err("%s", strerror(ENOMEM));
	return -ENOMEM;
}

void policy_list_free(struct policy_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		policy_info_free(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

void dev_list_free(struct dev_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		dev_info_free(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}
