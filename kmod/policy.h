/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cgroup policies: offload settings (GSO off or capped, busy polling)
 * enforced on the TCP sockets of a cgroup and of its descendants, down to
 * the next cgroup that has a policy of its own.
 *
 * policy.c keeps the table (cgroup id -> policy, RCU for readers, a mutex
 * for writers), validates values and resolves a cgroup's effective policy;
 * sockpolicy.c applies a policy to one socket and keeps the record of what
 * it changed, sockpolicy_scan.c finds the sockets of a cgroup, and
 * sockpolicy_work.c runs the passes that bring existing sockets in line
 * (sockpolicy.h between them); policy_nl.c is the netlink interface.
 */
#ifndef _OFFLOADMOD_POLICY_H
#define _OFFLOADMOD_POLICY_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
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

/*
 * Socket records per policy (about 150 bytes each): a socket beyond this
 * many under one policy is not enforced and counts in its errors. Bounded
 * per policy, not for the host, so that one tenant holding many sockets
 * cannot stop enforcement for another. The default of the module parameter
 * policy_sockets_max (offloadmod_policy_recs_max), which a policy takes
 * when it is created; the range it accepts.
 */
#define OFFLOADMOD_POLICY_RECS_MAX	65536
#define OFFLOADMOD_POLICY_RECS_MAX_MIN	1
#define OFFLOADMOD_POLICY_RECS_MAX_MAX	1048576
extern unsigned int offloadmod_policy_recs_max;

/* Bits of offloadmod_policy.flags: work the enforcement worker owes it. */
enum {
	OFFLOADMOD_POLICY_RESYNC,	/* records not synced to gen */
	OFFLOADMOD_POLICY_SCAN,		/* look for its cgroup's sockets */
};

/*
 * Lifetime: the table holds one reference; a policy unlinked from it (del,
 * cgroup removed, unload) is handed to the enforcement worker with that
 * reference, and dropped once no socket record is left on it. Other
 * references are short (the worker's, while it visits a policy). Readers
 * that find a policy in the table under RCU use it within their RCU read
 * side without a reference: the memory is freed after a grace period.
 */
struct offloadmod_policy {
	struct hlist_node hnode;	/* table bucket, RCU */
	struct list_head lnode;		/* list sorted by id, RCU */
	u64 cgroup_id;
	struct cgroup *cgrp;		/* reference held; NULL in KUnit */
	struct offloadmod_policy_values v;	/* written under the mutex */
	/*
	 * Bumped after each change of v (and when the policy goes), under
	 * the mutex: a socket record synced to an older one must be synced
	 * again. Never 0 (a record that was never synced says 0).
	 */
	unsigned int gen;
	unsigned long flags;		/* OFFLOADMOD_POLICY_* bits */
	refcount_t ref;
	atomic_t sockets;		/* sockets it holds adjusted now */
	atomic64_t sockets_adjusted;
	atomic64_t audit_would_adjust;
	atomic64_t errors;
	/*
	 * The records of the sockets this policy governs (sockpolicy.c):
	 * the list, its length, its bound, and whether the policy still
	 * takes records, under recs_lock; per policy, so that one tenant's
	 * sockets neither exhaust nor contend with another's.
	 */
	spinlock_t recs_lock;
	struct list_head recs;
	unsigned int nrecs;
	unsigned int recs_max;
	bool dead;			/* unlinked and drained: no new record */
	struct list_head retired;	/* on the worker's list once unlinked */
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
void offloadmod_policy_put(struct offloadmod_policy *pol);
struct offloadmod_policy *offloadmod_policy_unlink_removed(void);
void offloadmod_policy_clear(void);
bool offloadmod_policy_any(void);
unsigned int offloadmod_policy_generation(void);
void offloadmod_policy_changed(void);
void offloadmod_policy_bump(struct offloadmod_policy *pol);

/*
 * sockpolicy*.c: enforcement on sockets. Init and exit of all cgroup policy
 * state; exit restores every socket a policy changed. After a change to the
 * table (under the mutex): offloadmod_sockpolicy_retire() takes over a
 * policy just unlinked, offloadmod_sockpolicy_kick() (after the mutex is
 * released) has the worker bring existing sockets in line at once.
 */
int offloadmod_policy_init(void);
void offloadmod_policy_exit(void);
void offloadmod_sockpolicy_retire(struct offloadmod_policy *pol, bool scan);
void offloadmod_sockpolicy_kick(void);
unsigned int offloadmod_policy_sockets(u64 policy_id);

/* policy_nl.c: the POLICY_SET / POLICY_GET / POLICY_DEL commands. */
int offloadmod_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_policy_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb);
int offloadmod_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info);
void offloadmod_policy_notify_del(u64 cgroup_id);

#endif /* _OFFLOADMOD_POLICY_H */
