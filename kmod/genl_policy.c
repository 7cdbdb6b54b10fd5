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
};
