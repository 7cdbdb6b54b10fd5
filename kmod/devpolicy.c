// SPDX-License-Identifier: GPL-2.0
/* Placeholder: interface policies are being written. */
#include "devpolicy.h"

int offloadmod_devpolicy_init(void)
{
	return 0;
}

void offloadmod_devpolicy_exit(void)
{
}

int offloadmod_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int offloadmod_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}

int offloadmod_nl_dev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return -EOPNOTSUPP;
}

int offloadmod_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return -EOPNOTSUPP;
}
