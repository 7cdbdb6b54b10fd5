/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stats-get and stats-reset commands (stats_nl.c) and the encoding of
 * their reply (stats_msg.c).
 */
#ifndef _OFFLOADMOD_STATS_H
#define _OFFLOADMOD_STATS_H

#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>

#include "cgstats.h"

/*
 * Largest stats-get reply: every bucket of every stage non-empty, and a
 * path of up to OFFLOADMOD_STATS_PATH_MAX bytes (longer paths are cut).
 */
#define OFFLOADMOD_STATS_PATH_MAX	1024
#define OFFLOADMOD_STATS_MSG_MAX	(32 * 1024)

int offloadmod_stats_fill(struct sk_buff *skb,
			  const struct offloadmod_cg_snapshot *snap,
			  const char *path, bool recursive);

int offloadmod_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_stats_get_start(struct netlink_callback *cb);
int offloadmod_nl_stats_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb);
int offloadmod_nl_stats_reset_doit(struct sk_buff *skb,
				   struct genl_info *info);

#endif /* _OFFLOADMOD_STATS_H */
