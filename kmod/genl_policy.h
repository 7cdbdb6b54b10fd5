/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Request attribute policies of the offloadmod family, one per operation,
 * as uapi/offloadmod.yaml describes them. Kept free of handlers so KUnit can
 * run nla_parse() against exactly what the family validates with.
 */
#ifndef _OFFLOADMOD_GENL_POLICY_H
#define _OFFLOADMOD_GENL_POLICY_H

#include <linux/offloadmod.h>
#include <net/netlink.h>

/* Prefix of the extack message of every output-only attribute rejection. */
#define OFFLOADMOD_MSG_OUTPUT_ONLY \
	"output-only attribute not accepted in a request"

extern const struct nla_policy
offloadmod_get_status_nl_policy[OFFLOADMOD_A_STATUS_MAX + 1];

extern const struct nla_policy
offloadmod_stats_nl_policy[OFFLOADMOD_A_STATS_MAX + 1];

extern const struct nla_policy
offloadmod_policy_nl_policy[OFFLOADMOD_A_POLICY_MAX + 1];

extern const struct nla_policy
offloadmod_dev_nl_policy[OFFLOADMOD_A_DEV_MAX + 1];

#endif /* _OFFLOADMOD_GENL_POLICY_H */
