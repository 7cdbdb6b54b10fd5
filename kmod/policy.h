/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cgroup policies: offload settings (GSO off or capped, busy polling)
 * enforced on the TCP sockets of a cgroup and of its descendants, down to
 * the next cgroup that has a policy of its own.
 *
 * policy.c keeps the table (cgroup id -> policy, RCU for readers, a mutex
 * for writers), validates values and resolves a cgroup's effective policy;
 * sockpolicy.c applies policies to sockets and undoes them; policy_nl.c is
 * the netlink interface.
 */
#ifndef _OFFLOADMOD_POLICY_H
#define _OFFLOADMOD_POLICY_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/genetlink.h>

struct cgroup;
struct sock;

/* What a policy asks for. 0 means "not set" for the numbers. */
struct offloadmod_policy_values {
	u32 mode;		/* enum offloadmod_policy_mode */
	bool gso_off;		/* no GSO/TSO super-packets at all */
	u32 gso_max_size;	/* bytes per super-packet, headers included */
	u32 gso_max_segs;	/* segments per super-packet */
	u32 busy_poll_us;	/* sk_ll_usec */
};

struct offloadmod_policy {
	struct hlist_node hnode;	/* table bucket, RCU */
	struct list_head lnode;		/* list sorted by id, RCU */
	u64 cgroup_id;
	struct cgroup *cgrp;		/* reference held; NULL in KUnit */
	struct offloadmod_policy_values v;	/* written under the mutex */
	atomic_t sockets;		/* sockets it holds adjusted now */
	atomic64_t sockets_adjusted;
	atomic64_t audit_would_adjust;
	atomic64_t errors;
	struct rcu_head rcu;
};

/* Serializes every change to the table. */
extern struct mutex offloadmod_policy_mutex;

int offloadmod_policy_validate(const struct offloadmod_policy_values *v,
			       const char **msg, int *attr);
struct offloadmod_policy *offloadmod_policy_lookup(u64 cgroup_id);
struct offloadmod_policy *
offloadmod_policy_resolve_ids(const u64 *ids, unsigned int n);
struct offloadmod_policy *offloadmod_policy_resolve(struct cgroup *cgrp);
struct offloadmod_policy *offloadmod_policy_next(u64 after_id);
struct offloadmod_policy *offloadmod_policy_insert(u64 cgroup_id,
						   struct cgroup *cgrp);
void offloadmod_policy_unlink(struct offloadmod_policy *pol);
void offloadmod_policy_free(struct offloadmod_policy *pol);
struct offloadmod_policy *offloadmod_policy_unlink_removed(void);
void offloadmod_policy_clear(void);
bool offloadmod_policy_any(void);
unsigned int offloadmod_policy_generation(void);
void offloadmod_policy_changed(void);

/*
 * sockpolicy.c: enforcement on sockets. Init and exit of all cgroup policy
 * state; exit restores every socket a policy changed.
 */
int offloadmod_policy_init(void);
void offloadmod_policy_exit(void);
void offloadmod_sockpolicy_sync(void);
unsigned int offloadmod_policy_sockets(u64 policy_id);

/* policy_nl.c: the POLICY_SET / POLICY_GET / POLICY_DEL commands. */
int offloadmod_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_policy_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb);
int offloadmod_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info);
void offloadmod_policy_notify_del(u64 cgroup_id);

#endif /* _OFFLOADMOD_POLICY_H */
