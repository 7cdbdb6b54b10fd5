/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module status: a snapshot struct, gathered in one place (status.c) and
 * encoded by pure functions (status_msg.c) that KUnit tests on hand-made
 * snapshots. Netlink (get-status) and sysfs (status) both report it.
 */
#ifndef _OFFLOADMOD_STATUS_H
#define _OFFLOADMOD_STATUS_H

#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "hooks.h"

/* Room for every feature a kernel can lack (status.c lists them). */
#define OFFLOADMOD_STATUS_UNSUPPORTED_MAX	8

struct offloadmod_status {
	const char *module_version;		/* static storage */
	u32 uapi_version;
	char kernel_release[__NEW_UTS_LEN + 1];
	u32 max_cgroups;
	bool restrict_reads;
	u32 tracked_cgroups;
	u64 cgroup_overflow;
	u64 unattributed_rx;
	u64 unattributed_tx;
	u64 unattributed_sched;
	u64 alloc_failures;
	unsigned int n_hooks;			/* valid entries in hooks[] */
	struct offloadmod_hook_status hooks[OFFLOADMOD_HOOK_COUNT];
	/* What this kernel cannot do ("dev.gro-max-size"), static storage. */
	unsigned int n_unsupported;
	const char *unsupported[OFFLOADMOD_STATUS_UNSUPPORTED_MAX];
};

/* status.c */
void offloadmod_status_gather(struct offloadmod_status *st);
int offloadmod_nl_get_status_doit(struct sk_buff *skb, struct genl_info *info);

/* status_msg.c */
size_t offloadmod_status_msg_size(const struct offloadmod_status *st);
int offloadmod_status_fill(struct sk_buff *skb,
			   const struct offloadmod_status *st);

#endif /* _OFFLOADMOD_STATUS_H */
