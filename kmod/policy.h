/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cgroup policies: offload settings (GSO off or capped, busy polling)
 * enforced on the TCP sockets of a cgroup and its descendants.
 */
#ifndef _OFFLOADMOD_POLICY_H
#define _OFFLOADMOD_POLICY_H

#include <net/genetlink.h>

int offloadmod_policy_init(void);
void offloadmod_policy_exit(void);

/* policy_nl.c: the POLICY_SET / POLICY_GET / POLICY_DEL commands. */
int offloadmod_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_policy_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb);
int offloadmod_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _OFFLOADMOD_POLICY_H */
