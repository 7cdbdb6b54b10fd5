/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Enforcement of cgroup policies on TCP sockets, between its parts:
 * sockpolicy.c (one socket: apply, undo, its record; the socket events),
 * sockpolicy_scan.c (the sockets of a cgroup, from its tasks' files) and
 * sockpolicy_work.c (the worker that runs the passes; init and exit).
 */
#ifndef _OFFLOADMOD_SOCKPOLICY_H
#define _OFFLOADMOD_SOCKPOLICY_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <net/tcp_states.h>

#include "policy.h"

struct cgroup;
struct sock;

/*
 * What one policy changed on one socket, and that the socket is under it.
 * Every TCP socket governed by a policy has one (so that the worker can
 * visit the sockets of policied cgroups without looking at any other), up
 * to the policy's recs_max.
 *
 * Rules, which is what makes them safe without a lock of their own:
 * - a record is changed, moved to another policy and freed only by a
 *   context that owns its socket (the owner itself, or bh_lock_sock() with
 *   no owner, which is how softirq TCP code owns it), or at module exit
 *   once nothing else runs; so whoever owns the socket may use the record
 *   it finds in the table;
 * - it may be created for a socket someone else owns, empty and unsynced
 *   (synced_gen 0), so that the worker syncs it later;
 * - it holds a reference on the socket (so the pointer stays valid and is
 *   never reused while the record exists), dropped when the socket reaches
 *   TCP_CLOSE or when a pass finds it closed;
 * - list membership and pass are under the policy's recs_lock; the table
 *   (by socket) has its own bucket locks and RCU lookups, so records are
 *   freed after a grace period.
 */
struct offloadmod_sockrec {
	struct rhash_head hnode;
	struct list_head pnode;		/* pol->recs */
	struct sock *sk;		/* referenced */
	struct offloadmod_policy *pol;	/* the policy it is listed under */
	unsigned int synced_gen;	/* pol->gen it was brought in line to */
	unsigned long pass;		/* the last worker pass that took it */
	struct offloadmod_policy_values applied;	/* what it enforces */
	unsigned int orig_ll_usec;
	/* We turned GSO off: what undoes that (compat/sock.h), else 0. */
	netdev_features_t gso_disabled;
	bool capped;		/* we lowered sk_gso_max_size or _segs */
	bool ll_set;		/* we set sk_ll_usec */
	bool counted;		/* in pol->sockets (adjusted now) */
	bool adjust_counted;	/* counted in sockets_adjusted for applied */
	bool audited;		/* counted in pol's audit_would_adjust */
	struct rcu_head rcu;
};

/*
 * States in which a socket sends data: a socket gets a record in these
 * (ESTABLISHED: from the socket event; both: from a pass).
 */
#define OFFLOADMOD_SENDING_STATES	(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)
/*
 * States in which a pass looks at a socket it finds in a task's files:
 * also SYN_SENT, for a socket whose user owns it while it becomes
 * ESTABLISHED (the backlog of release_sock() runs the state change with
 * the socket owned and may be preempted between the socket event and the
 * store of the new state): the event may have resolved the cgroup before
 * the policy existed, and the pass can only see the old state. Such a
 * socket gets an unsynced record that the worker syncs once it is free.
 */
#define OFFLOADMOD_PASS_STATES	(OFFLOADMOD_SENDING_STATES | TCPF_SYN_SENT)

/* sockpolicy.c */
int offloadmod_sockrec_init(void);
void offloadmod_sockrec_destroy(void);
int offloadmod_sockpolicy_events_init(void);
void offloadmod_sockpolicy_events_exit(void);
bool offloadmod_sock_try_sync(struct sock *sk,
			      struct offloadmod_sockrec **spare);
bool offloadmod_sockrec_has_stale(struct offloadmod_policy *pol);
unsigned int offloadmod_sockrec_force_release(struct offloadmod_policy *pol);

/* sockpolicy_scan.c */
void offloadmod_sockpolicy_scan_cgroup(struct cgroup *root,
				       struct offloadmod_sockrec **spare);

#endif /* _OFFLOADMOD_SOCKPOLICY_H */
