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
	[OFFLOADMOD_A_STATUS_UNSUPPORTED] =
		OFFLOADMOD_OUTPUT_ONLY("unsupported"),
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

/*
 * Bounds too wide for the s16 of NLA_POLICY_MAX/RANGE. Not const: 6.1's
 * nla_policy points to a non-const struct netlink_range_validation.
 */
static struct netlink_range_validation offloadmod_policy_gso_size_range = {
	.max = OFFLOADMOD_POLICY_GSO_MAX_SIZE_MAX,
};

static struct netlink_range_validation offloadmod_policy_gso_segs_range = {
	.max = OFFLOADMOD_POLICY_GSO_MAX_SEGS_MAX,
};

static struct netlink_range_validation offloadmod_policy_busy_poll_range = {
	.max = OFFLOADMOD_POLICY_BUSY_POLL_MAX,
};

static struct netlink_range_validation offloadmod_dev_gso_size_range = {
	.min = 1,
	.max = OFFLOADMOD_DEV_GSO_MAX_SIZE_MAX,
};

static struct netlink_range_validation offloadmod_dev_gro_size_range = {
	.min = 1,
	.max = OFFLOADMOD_DEV_GRO_MAX_SIZE_MAX,
};

static struct netlink_range_validation offloadmod_dev_defer_range = {
	.max = OFFLOADMOD_DEV_NAPI_DEFER_HARD_IRQS_MAX,
};

/*
 * Cgroup policies. Values are range-checked here as far as a range can say
 * it; "0 removes, otherwise at least N" is checked by
 * offloadmod_policy_validate() with a message naming the attribute.
 */
const struct nla_policy
offloadmod_policy_nl_policy[OFFLOADMOD_A_POLICY_MAX + 1] = {
	[OFFLOADMOD_A_POLICY_PAD] = OFFLOADMOD_OUTPUT_ONLY("pad"),
	[OFFLOADMOD_A_POLICY_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[OFFLOADMOD_A_POLICY_PATH] = OFFLOADMOD_OUTPUT_ONLY("path"),
	[OFFLOADMOD_A_POLICY_MODE] =
		NLA_POLICY_MAX(NLA_U32, OFFLOADMOD_POLICY_MODE_AUDIT),
	[OFFLOADMOD_A_POLICY_GSO] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &offloadmod_policy_gso_size_range),
	[OFFLOADMOD_A_POLICY_GSO_MAX_SEGS] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &offloadmod_policy_gso_segs_range),
	[OFFLOADMOD_A_POLICY_BUSY_POLL] =
		NLA_POLICY_FULL_RANGE(NLA_U32,
				      &offloadmod_policy_busy_poll_range),
	[OFFLOADMOD_A_POLICY_SOCKETS] = OFFLOADMOD_OUTPUT_ONLY("sockets"),
	[OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED] =
		OFFLOADMOD_OUTPUT_ONLY("sockets-adjusted"),
	[OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST] =
		OFFLOADMOD_OUTPUT_ONLY("audit-would-adjust"),
	[OFFLOADMOD_A_POLICY_ERRORS] = OFFLOADMOD_OUTPUT_ONLY("errors"),
};

/* Interface policies. The pattern's length includes its NUL. */
const struct nla_policy
offloadmod_dev_nl_policy[OFFLOADMOD_A_DEV_MAX + 1] = {
	[OFFLOADMOD_A_DEV_PAD] = OFFLOADMOD_OUTPUT_ONLY("pad"),
	[OFFLOADMOD_A_DEV_NETNS_FD] = { .type = NLA_U32 },
	[OFFLOADMOD_A_DEV_NETNS_INUM] = OFFLOADMOD_OUTPUT_ONLY("netns-inum"),
	[OFFLOADMOD_A_DEV_PATTERN] = {
		.type = NLA_NUL_STRING,
		.len = OFFLOADMOD_DEV_PATTERN_MAX - 1,
	},
	[OFFLOADMOD_A_DEV_TSO] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_DEV_GSO] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_DEV_GRO] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_DEV_LRO] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_DEV_RX_GRO_HW] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_DEV_TX_CSUM] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_DEV_GSO_MAX_SIZE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &offloadmod_dev_gso_size_range),
	[OFFLOADMOD_A_DEV_GRO_MAX_SIZE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &offloadmod_dev_gro_size_range),
	[OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT] = { .type = NLA_U32 },
	[OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &offloadmod_dev_defer_range),
	[OFFLOADMOD_A_DEV_IFACE] = OFFLOADMOD_OUTPUT_ONLY("iface"),
	[OFFLOADMOD_A_DEV_IFACES_ADJUSTED] =
		OFFLOADMOD_OUTPUT_ONLY("ifaces-adjusted"),
	[OFFLOADMOD_A_DEV_ERRORS] = OFFLOADMOD_OUTPUT_ONLY("errors"),
};
