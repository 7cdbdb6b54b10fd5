// SPDX-License-Identifier: GPL-2.0
/*
 * Request attribute policies of the offloadmod family.
 *
 * get-status takes no attributes. Listing every status attribute as
 * NLA_REJECT, rather than leaving the policy empty, makes a request that
 * carries one fail with a message naming it (and the bad-attribute offset)
 * instead of being silently ignored; types above the policy's maxattr get
 * the kernel's own "Unknown attribute type" from strict validation.
 */
#include <linux/offloadmod.h>
#include <net/netlink.h>

#include "genl_policy.h"

#define OFFLOADMOD_OUTPUT_ONLY(_name) {					\
	.type = NLA_REJECT,						\
	.reject_message = OFFLOADMOD_MSG_OUTPUT_ONLY ": " _name,	\
}

const struct nla_policy
offloadmod_get_status_nl_policy[OFFLOADMOD_A_STATUS_MAX + 1] = {
	[OFFLOADMOD_A_STATUS_PAD] = OFFLOADMOD_OUTPUT_ONLY("pad"),
	[OFFLOADMOD_A_STATUS_MODULE_VERSION] =
		OFFLOADMOD_OUTPUT_ONLY("module-version"),
	[OFFLOADMOD_A_STATUS_UAPI_VERSION] =
		OFFLOADMOD_OUTPUT_ONLY("uapi-version"),
	[OFFLOADMOD_A_STATUS_KERNEL_RELEASE] =
		OFFLOADMOD_OUTPUT_ONLY("kernel-release"),
	[OFFLOADMOD_A_STATUS_MAX_CGROUPS] =
		OFFLOADMOD_OUTPUT_ONLY("max-cgroups"),
	[OFFLOADMOD_A_STATUS_HOOK] = OFFLOADMOD_OUTPUT_ONLY("hook"),
	[OFFLOADMOD_A_STATUS_TRACKED_CGROUPS] =
		OFFLOADMOD_OUTPUT_ONLY("tracked-cgroups"),
	[OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW] =
		OFFLOADMOD_OUTPUT_ONLY("cgroup-overflow"),
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX] =
		OFFLOADMOD_OUTPUT_ONLY("unattributed-rx"),
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX] =
		OFFLOADMOD_OUTPUT_ONLY("unattributed-tx"),
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED] =
		OFFLOADMOD_OUTPUT_ONLY("unattributed-sched"),
	[OFFLOADMOD_A_STATUS_ALLOC_FAILURES] =
		OFFLOADMOD_OUTPUT_ONLY("alloc-failures"),
};

/*
 * stats-get and stats-reset: a cgroup id (cgroup ids start at 1, the
 * root) and the recursive flag; everything else is reply-only.
 */
const struct nla_policy
offloadmod_stats_nl_policy[OFFLOADMOD_A_STATS_MAX + 1] = {
	[OFFLOADMOD_A_STATS_PAD] = OFFLOADMOD_OUTPUT_ONLY("pad"),
	[OFFLOADMOD_A_STATS_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[OFFLOADMOD_A_STATS_RECURSIVE] = { .type = NLA_FLAG },
	[OFFLOADMOD_A_STATS_PATH] = OFFLOADMOD_OUTPUT_ONLY("path"),
	[OFFLOADMOD_A_STATS_CGROUPS] = OFFLOADMOD_OUTPUT_ONLY("cgroups"),
	[OFFLOADMOD_A_STATS_RX] = OFFLOADMOD_OUTPUT_ONLY("rx"),
	[OFFLOADMOD_A_STATS_TX] = OFFLOADMOD_OUTPUT_ONLY("tx"),
	[OFFLOADMOD_A_STATS_STAGE] = OFFLOADMOD_OUTPUT_ONLY("stage"),
};
