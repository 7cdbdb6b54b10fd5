// SPDX-License-Identifier: GPL-2.0
/* Placeholder: cgroup policies are being written. */
#include "policy.h"

int offloadmod_policy_init(void)
{
	return 0;
}

void offloadmod_policy_exit(void)
{
}

int offloadmod_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int offloadmod_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int offloadmod_nl_policy_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int offloadmod_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}
