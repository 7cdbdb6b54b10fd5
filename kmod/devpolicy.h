/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interface policies: offload settings applied, the way `ethtool -K` and
 * `ip link set` apply them, to every interface of a network namespace whose
 * name matches a glob, now and whenever a matching interface appears or is
 * renamed. Deleting a policy (or unloading the module) restores what it
 * changed.
 */
#ifndef _OFFLOADMOD_DEVPOLICY_H
#define _OFFLOADMOD_DEVPOLICY_H

#include <net/genetlink.h>

int offloadmod_devpolicy_init(void);
void offloadmod_devpolicy_exit(void);

/* devpolicy_nl.c: the DEV_SET / DEV_GET / DEV_DEL commands. */
int offloadmod_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_dev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int offloadmod_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _OFFLOADMOD_DEVPOLICY_H */
