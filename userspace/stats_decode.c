// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl stats: decode stats-get replies, see stats.h.
 *
 * Integers must have exactly their width and unknown attribute types are
 * ignored (a newer module may add some), as for status. A stage id this
 * tool does not know is skipped for the same reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "ctl.h"
#include "nl.h"
#include "stats.h"

#define U32_POLICY	{ .type = NLA_U32, .maxlen = 4 }
#define U64_POLICY	{ .type = NLA_U64, .maxlen = 8 }

/* The uapi's list, NULL-terminated for ctl_lookup(). */
const char *const stats_stage_names[OFFLOADMOD_STAGE_COUNT + 1] =
	OFFLOADMOD_STAGE_NAMES;

_Static_assert(sizeof((const char *[])OFFLOADMOD_STAGE_NAMES) /
	       sizeof(const char *) == OFFLOADMOD_STAGE_COUNT,
	       "OFFLOADMOD_STAGE_NAMES has one name per stage");

static const struct nla_policy stats_policy[OFFLOADMOD_A_STATS_MAX + 1] = {
	[OFFLOADMOD_A_STATS_CGROUP_ID]	= U64_POLICY,
	[OFFLOADMOD_A_STATS_RECURSIVE]	= { .type = NLA_FLAG },
	[OFFLOADMOD_A_STATS_PATH]	= { .type = NLA_STRING,
					    .maxlen = PATH_MAX },
	[OFFLOADMOD_A_STATS_CGROUPS]	= U32_POLICY,
	[OFFLOADMOD_A_STATS_RX]		= { .type = NLA_NESTED },
	[OFFLOADMOD_A_STATS_TX]		= { .type = NLA_NESTED },
	[OFFLOADMOD_A_STATS_STAGE]	= { .type = NLA_NESTED },
};

static const struct nla_policy dir_policy[OFFLOADMOD_A_DIR_MAX + 1] = {
	[OFFLOADMOD_A_DIR_PACKETS]		= U64_POLICY,
	[OFFLOADMOD_A_DIR_BYTES]		= U64_POLICY,
	[OFFLOADMOD_A_DIR_OFFLOAD_PACKETS]	= U64_POLICY,
	[OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS]	= U64_POLICY,
};

/* BUCKETS is checked by hand: a whole number of u64, within range. */
static const struct nla_policy stage_policy[OFFLOADMOD_A_STAGE_MAX + 1] = {
	[OFFLOADMOD_A_STAGE_ID]			= U32_POLICY,
	[OFFLOADMOD_A_STAGE_COUNT]		= U64_POLICY,
	[OFFLOADMOD_A_STAGE_SUM_NS]		= U64_POLICY,
	[OFFLOADMOD_A_STAGE_MIN_NS]		= U64_POLICY,
	[OFFLOADMOD_A_STAGE_MAX_NS]		= U64_POLICY,
	[OFFLOADMOD_A_STAGE_UNTIMED]		= U64_POLICY,
	[OFFLOADMOD_A_STAGE_BUCKET_FIRST]	= U32_POLICY,
	[OFFLOADMOD_A_STAGE_BUCKETS]		= { .type = NLA_UNSPEC },
};

static int malformed(const char *fmt, ...) CTL_PRINTF(1, 2);

/* "malformed stats reply from kernel: <msg>"; returns -EINVAL. */
static int malformed(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctl_err("malformed stats reply from kernel: %s", msg);
	return -EINVAL;
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static int parse_dir(struct nlattr *nest, struct stats_dir *d,
		     const char *what)
{
	struct nlattr *tb[OFFLOADMOD_A_DIR_MAX + 1];
	int err;

	err = omnl_parse_nested(tb, OFFLOADMOD_A_DIR_MAX, nest, dir_policy,
				what);
	if (err)
		return err;
	d->packets = get_u64(tb, OFFLOADMOD_A_DIR_PACKETS);
	d->bytes = get_u64(tb, OFFLOADMOD_A_DIR_BYTES);
	d->offload_packets = get_u64(tb, OFFLOADMOD_A_DIR_OFFLOAD_PACKETS);
	d->offload_segments = get_u64(tb, OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS);
	return 0;
}

static int parse_buckets(struct nlattr **tb, struct hist *h, const char *name)
{
	struct nlattr *a = tb[OFFLOADMOD_A_STAGE_BUCKETS];
	uint32_t first = 0, n = 0;
	int len;

	if (tb[OFFLOADMOD_A_STAGE_BUCKET_FIRST])
		first = nla_get_u32(tb[OFFLOADMOD_A_STAGE_BUCKET_FIRST]);
	if (a) {
		len = nla_len(a);
		if (len % 8)
			return malformed("stage %s: buckets of %d bytes, not a multiple of 8",
					 name, len);
		n = (uint32_t)len / 8;
	}
	if (first > OFFLOADMOD_HIST_BUCKETS ||
	    n > OFFLOADMOD_HIST_BUCKETS - first)
		return malformed("stage %s: %u buckets from bucket %u, the histogram has %u",
				 name, n, first, OFFLOADMOD_HIST_BUCKETS);
	if (!n)
		return 0;
	h->counts = malloc(n * sizeof(*h->counts));
	if (!h->counts)
		return -ENOMEM;
	/* Attribute data is only 4-byte aligned. */
	memcpy(h->counts, nla_data(a), n * sizeof(*h->counts));
	h->first = first;
	h->n = n;
	return 0;
}

static int parse_stage(struct nlattr *nest, struct stats_cgroup *cg,
		       bool *seen)
{
	struct nlattr *tb[OFFLOADMOD_A_STAGE_MAX + 1];
	struct hist *h;
	const char *name;
	uint32_t id;
	int err;

	err = omnl_parse_nested(tb, OFFLOADMOD_A_STAGE_MAX, nest, stage_policy,
				"stats stage");
	if (err)
		return err;
	if (!tb[OFFLOADMOD_A_STAGE_ID])
		return malformed("a stage without an id");
	id = nla_get_u32(tb[OFFLOADMOD_A_STAGE_ID]);
	if (id >= OFFLOADMOD_STAGE_COUNT)
		return 0;	/* a newer module's stage */
	name = stats_stage_names[id];
	if (seen[id])
		return malformed("stage %s twice", name);
	seen[id] = true;

	h = &cg->stage[id];
	h->count = get_u64(tb, OFFLOADMOD_A_STAGE_COUNT);
	h->sum_ns = get_u64(tb, OFFLOADMOD_A_STAGE_SUM_NS);
	h->min_ns = get_u64(tb, OFFLOADMOD_A_STAGE_MIN_NS);
	h->max_ns = get_u64(tb, OFFLOADMOD_A_STAGE_MAX_NS);
	h->untimed = get_u64(tb, OFFLOADMOD_A_STAGE_UNTIMED);
	if (h->count && h->min_ns > h->max_ns && tb[OFFLOADMOD_A_STAGE_MAX_NS])
		return malformed("stage %s: min %" PRIu64 " above max %" PRIu64,
				 name, h->min_ns, h->max_ns);
	return parse_buckets(tb, h, name);
}

static void cgroup_free(struct stats_cgroup *cg)
{
	unsigned int i;

	for (i = 0; i < OFFLOADMOD_STAGE_COUNT; i++)
		hist_free(&cg->stage[i]);
	free(cg->path);
	memset(cg, 0, sizeof(*cg));
}

static int parse_cgroup(struct nl_msg *msg, struct stats_cgroup *cg)
{
	struct nlattr *tb[OFFLOADMOD_A_STATS_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	bool seen[OFFLOADMOD_STAGE_COUNT] = { false };
	struct nlattr *a;
	int err, rem;

	err = omnl_parse(msg, tb, OFFLOADMOD_A_STATS_MAX, stats_policy,
			 "stats reply");
	if (err)
		return err;
	if (!tb[OFFLOADMOD_A_STATS_CGROUP_ID])
		return malformed("no cgroup-id attribute");
	cg->cgroup_id = nla_get_u64(tb[OFFLOADMOD_A_STATS_CGROUP_ID]);
	cg->recursive = tb[OFFLOADMOD_A_STATS_RECURSIVE] != NULL;
	cg->cgroups = tb[OFFLOADMOD_A_STATS_CGROUPS] ?
		      nla_get_u32(tb[OFFLOADMOD_A_STATS_CGROUPS]) : 1;
	cg->path = strdup(tb[OFFLOADMOD_A_STATS_PATH] ?
			  nla_get_string(tb[OFFLOADMOD_A_STATS_PATH]) : "");
	if (!cg->path)
		return -ENOMEM;
	if (tb[OFFLOADMOD_A_STATS_RX]) {
		err = parse_dir(tb[OFFLOADMOD_A_STATS_RX], &cg->rx, "stats rx");
		if (err)
			return err;
	}
	if (tb[OFFLOADMOD_A_STATS_TX]) {
		err = parse_dir(tb[OFFLOADMOD_A_STATS_TX], &cg->tx, "stats tx");
		if (err)
			return err;
	}
	/* stage is multi-attr: tb[] only holds the last one, so walk all. */
	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
			  genlmsg_attrlen(genlmsg_hdr(nlh), 0), rem) {
		if (nla_type(a) != OFFLOADMOD_A_STATS_STAGE)
			continue;
		err = parse_stage(a, cg, seen);
		if (err)
			return err;
	}
	return 0;
}

int stats_parse(struct nl_msg *msg, struct stats_list *list)
{
	struct stats_cgroup *cg;
	int err;

	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct stats_cgroup *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			goto nomem;
		list->v = v;
		list->cap = cap;
	}
	cg = &list->v[list->n];
	memset(cg, 0, sizeof(*cg));
	err = parse_cgroup(msg, cg);
	if (err) {
		cgroup_free(cg);
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

void stats_list_free(struct stats_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		cgroup_free(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}
