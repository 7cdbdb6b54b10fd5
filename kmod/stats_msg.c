// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink encoding of a cgroup stats snapshot (the stats-get reply). Pure
 * functions of the snapshot, so KUnit can parse back what they encode.
 */
#include <linux/errno.h>
#include <linux/offloadmod.h>
#include <net/netlink.h>

#include "stats.h"

static int offloadmod_dir_fill(struct sk_buff *skb, int type,
			       const struct offloadmod_dir_counters *c)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, OFFLOADMOD_A_DIR_PACKETS, c->packets,
			      OFFLOADMOD_A_DIR_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_DIR_BYTES, c->bytes,
			      OFFLOADMOD_A_DIR_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_DIR_OFFLOAD_PACKETS,
			      c->offload_packets, OFFLOADMOD_A_DIR_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS,
			      c->offload_segments, OFFLOADMOD_A_DIR_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int offloadmod_stage_fill(struct sk_buff *skb, u32 id,
				 const struct offloadmod_hist *h)
{
	struct nlattr *nest = nla_nest_start(skb, OFFLOADMOD_A_STATS_STAGE);
	unsigned int first, n;

	if (!nest)
		return -EMSGSIZE;
	offloadmod_hist_bucket_span(h, &first, &n);
	if (nla_put_u32(skb, OFFLOADMOD_A_STAGE_ID, id) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STAGE_COUNT, h->count,
			      OFFLOADMOD_A_STAGE_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STAGE_SUM_NS, h->sum,
			      OFFLOADMOD_A_STAGE_PAD) ||
	    nla_put_u64_64bit(skb, OFFLOADMOD_A_STAGE_UNTIMED, h->untimed,
			      OFFLOADMOD_A_STAGE_PAD))
		return -EMSGSIZE;
	if (h->count &&
	    (nla_put_u64_64bit(skb, OFFLOADMOD_A_STAGE_MIN_NS, h->min,
			       OFFLOADMOD_A_STAGE_PAD) ||
	     nla_put_u64_64bit(skb, OFFLOADMOD_A_STAGE_MAX_NS, h->max,
			       OFFLOADMOD_A_STAGE_PAD)))
		return -EMSGSIZE;
	if (n && (nla_put_u32(skb, OFFLOADMOD_A_STAGE_BUCKET_FIRST, first) ||
		  nla_put(skb, OFFLOADMOD_A_STAGE_BUCKETS, n * sizeof(u64),
			  &h->buckets[first])))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * offloadmod_stats_fill() - append the stats-get reply attributes
 * @skb: message being built, positioned after the genetlink header
 * @snap: the counters
 * @path: cgroup path, or NULL if unknown
 * @recursive: @snap sums a subtree
 *
 * Return: 0, or -EMSGSIZE with @skb trimmed back to where it was.
 */
int offloadmod_stats_fill(struct sk_buff *skb,
			  const struct offloadmod_cg_snapshot *snap,
			  const char *path, bool recursive)
{
	unsigned char *start = skb_tail_pointer(skb);
	u32 s;

	if (nla_put_u64_64bit(skb, OFFLOADMOD_A_STATS_CGROUP_ID, snap->id,
			      OFFLOADMOD_A_STATS_PAD) ||
	    (recursive && nla_put_flag(skb, OFFLOADMOD_A_STATS_RECURSIVE)) ||
	    (path && nla_put_string(skb, OFFLOADMOD_A_STATS_PATH, path)) ||
	    nla_put_u32(skb, OFFLOADMOD_A_STATS_CGROUPS, snap->cgroups) ||
	    offloadmod_dir_fill(skb, OFFLOADMOD_A_STATS_RX,
				&snap->dir[OFFLOADMOD_DIR_RX]) ||
	    offloadmod_dir_fill(skb, OFFLOADMOD_A_STATS_TX,
				&snap->dir[OFFLOADMOD_DIR_TX]))
		goto nospace;
	for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++)
		if (offloadmod_stage_fill(skb, s, &snap->stage[s]))
			goto nospace;
	return 0;

nospace:
	nlmsg_trim(skb, start);
	return -EMSGSIZE;
}
