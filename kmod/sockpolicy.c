// SPDX-License-Identifier: GPL-2.0
/*
 * Enforcement of cgroup policies on TCP sockets (IPv4 and IPv6, connecting
 * and accepted).
 *
 * When. A socket that becomes ESTABLISHED gets its cgroup's policy at once,
 * from the inet_sock_set_state tracepoint: TCP has computed the socket's
 * route capabilities by then (sk_setup_caps() in connect and in the
 * creation of an accepted child) and the socket is held by its owner, so
 * not one super-packet leaves before the policy. Sockets that exist when a
 * policy is set, changed or deleted are handled by a sweep over the TCP
 * established hash, run synchronously by the netlink command; the same
 * sweep runs every 200 ms while any policy or adjusted socket exists, to
 * re-apply what the kernel undid (a route change calls sk_setup_caps()
 * again, which resets the size caps) and to drop policies of removed
 * cgroups.
 *
 * How. With what the socket layer already honours: sk_gso_disable() (which
 * sk_setup_caps() itself keeps; sk_route_nocaps on 5.10, compat/sock.h)
 * with one segment per packet, which is what
 * sk_setup_caps() gives a socket without GSO; sk_gso_max_size and
 * sk_gso_max_segs, lowered, never raised (TCP sizes its super-packets by
 * these two alone); sk_ll_usec (what SO_BUSY_POLL sets).
 *
 * Undo. A record per adjusted socket, keyed by the socket cookie, says what
 * was changed and the old busy-poll value. Relaxing or deleting a policy
 * re-enables GSO only if the policy disabled it (TCP-MD5 disables it too),
 * recomputes the capabilities with sk_setup_caps() on the socket's current
 * route and puts busy polling back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/offloadmod.h>
#include <linux/slab.h>
#include <linux/sock_diag.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <trace/events/sock.h>

#include "compat.h"
#include "compat/sock.h"
#include "policy.h"

#define OFFLOADMOD_SOCKPOLICY_PERIOD	msecs_to_jiffies(200)
/* Bound on socket records; a socket beyond it counts as an error. */
#define OFFLOADMOD_SOCKREC_MAX		65536
#define OFFLOADMOD_SOCKREC_HASH_BITS	10
/* Sockets taken from one hash bucket per lock hold. */
#define OFFLOADMOD_SWEEP_BATCH		16
/*
 * Distinct TCP hash tables (per-netns ehash) one sweep visits; sockets of
 * further ones get their policy when they connect, not when it is set.
 */
#define OFFLOADMOD_SWEEP_MAX_TABLES	16

/* What one policy changed on one socket. */
struct offloadmod_sockrec {
	struct hlist_node node;		/* under offloadmod_sockrec_lock */
	u64 cookie;
	u64 policy_id;		/* policy whose changes it holds; 0: none */
	u64 audit_id;		/* audit policy that counted it; 0: none */
	struct offloadmod_policy_values applied;	/* what it enforces */
	unsigned int orig_ll_usec;
	unsigned int seen;	/* last sweep that found the socket */
	/* We turned GSO off: what undoes that (compat/sock.h), else 0. */
	netdev_features_t gso_disabled;
	bool capped;		/* we lowered sk_gso_max_size or _segs */
	bool ll_set;		/* we set sk_ll_usec */
};

/*
 * Records are inserted and removed under the spinlock (BH: the tracepoint
 * runs in softirq too); a record's fields are only touched by whoever owns
 * its socket (lock_sock() or the socket's softirq processing), and it is
 * only freed by its socket's close or by the sweep's collection, which
 * never runs concurrently with the sweep itself.
 */
static DEFINE_HASHTABLE(offloadmod_sockrec_hash, OFFLOADMOD_SOCKREC_HASH_BITS);
static DEFINE_SPINLOCK(offloadmod_sockrec_lock);
static atomic_t offloadmod_sockrec_count = ATOMIC_INIT(0);

/* One sweep at a time: the worker, netlink commands, module exit. */
static DEFINE_MUTEX(offloadmod_sweep_mutex);
static unsigned int offloadmod_sweep_gen;
static bool offloadmod_sweep_stopping;
static void offloadmod_sockpolicy_workfn(struct work_struct *work);
static DECLARE_DELAYED_WORK(offloadmod_sockpolicy_work,
			    offloadmod_sockpolicy_workfn);

static struct tracepoint *offloadmod_set_state_tp;

static u64 offloadmod_sock_cookie(struct sock *sk)
{
	u32 c[2];

	sock_diag_save_cookie(sk, c);
	return ((u64)c[1] << 32) | c[0];
}

static struct offloadmod_sockrec *offloadmod_sockrec_find(u64 cookie)
{
	struct offloadmod_sockrec *rec, *found = NULL;

	spin_lock_bh(&offloadmod_sockrec_lock);
	hash_for_each_possible(offloadmod_sockrec_hash, rec, node, cookie)
		if (rec->cookie == cookie) {
			found = rec;
			break;
		}
	spin_unlock_bh(&offloadmod_sockrec_lock);
	return found;
}

static struct offloadmod_sockrec *offloadmod_sockrec_add(u64 cookie,
							 gfp_t gfp)
{
	struct offloadmod_sockrec *rec;

	if (atomic_read(&offloadmod_sockrec_count) >= OFFLOADMOD_SOCKREC_MAX)
		return NULL;
	rec = kzalloc(sizeof(*rec), gfp);
	if (!rec)
		return NULL;
	rec->cookie = cookie;
	rec->seen = READ_ONCE(offloadmod_sweep_gen);
	spin_lock_bh(&offloadmod_sockrec_lock);
	hash_add(offloadmod_sockrec_hash, &rec->node, cookie);
	atomic_inc(&offloadmod_sockrec_count);
	spin_unlock_bh(&offloadmod_sockrec_lock);
	return rec;
}

static void offloadmod_sockrec_del(struct offloadmod_sockrec *rec)
{
	spin_lock_bh(&offloadmod_sockrec_lock);
	hash_del(&rec->node);
	atomic_dec(&offloadmod_sockrec_count);
	spin_unlock_bh(&offloadmod_sockrec_lock);
	kfree(rec);
}

/* Bytes of payload per super-packet, as sk_setup_caps() counts them. */
static u32 offloadmod_gso_size_target(u32 gso_max_size)
{
	return gso_max_size - (MAX_TCP_HEADER + 1);
}

/* Would @v change @sk? (Audit mode counts these.) */
static bool offloadmod_sock_differs(const struct sock *sk,
				    const struct offloadmod_policy_values *v)
{
	if (v->gso_off &&
	    (!offloadmod_sk_gso_disabled(sk) || sk->sk_gso_max_segs > 1))
		return true;
	if (v->gso_max_size &&
	    sk->sk_gso_max_size > offloadmod_gso_size_target(v->gso_max_size))
		return true;
	if (v->gso_max_segs && sk->sk_gso_max_segs > v->gso_max_segs)
		return true;
	return v->busy_poll_us &&
	       READ_ONCE(sk->sk_ll_usec) != v->busy_poll_us;
}

static bool offloadmod_values_equal(const struct offloadmod_policy_values *a,
				    const struct offloadmod_policy_values *b)
{
	return a->gso_off == b->gso_off && a->gso_max_size == b->gso_max_size &&
	       a->gso_max_segs == b->gso_max_segs &&
	       a->busy_poll_us == b->busy_poll_us;
}

/* Put back everything @rec says was changed. */
static void offloadmod_sock_undo(struct sock *sk,
				 struct offloadmod_sockrec *rec)
{
	bool recompute = rec->gso_disabled || rec->capped;
	struct dst_entry *dst;

	if (rec->gso_disabled)
		offloadmod_sk_gso_reenable(sk, rec->gso_disabled);
	if (rec->ll_set)
		WRITE_ONCE(sk->sk_ll_usec, rec->orig_ll_usec);
	rec->gso_disabled = 0;
	rec->capped = false;
	rec->ll_set = false;
	/*
	 * The kernel's own values, from the route the socket uses now;
	 * sk_setup_caps() takes over a dst reference. Without a route the
	 * next transmit routes again and calls sk_setup_caps() itself.
	 */
	dst = recompute ? __sk_dst_get(sk) : NULL;
	if (dst) {
		dst_hold(dst);
		sk_setup_caps(sk, dst);
	}
}

/* Make @sk follow @v; return whether anything had to change. */
static bool offloadmod_sock_enforce(struct sock *sk,
				    struct offloadmod_sockrec *rec,
				    const struct offloadmod_policy_values *v)
{
	bool changed = false;
	u32 size;

	/*
	 * TCP sizes its packets by sk_gso_max_segs and sk_gso_max_size
	 * alone; sk_setup_caps() gives a socket without GSO one segment per
	 * packet, and keeps doing so while GSO is disabled.
	 */
	if (v->gso_off &&
	    (!offloadmod_sk_gso_disabled(sk) || sk->sk_gso_max_segs > 1)) {
		if (!offloadmod_sk_gso_disabled(sk))
			rec->gso_disabled = offloadmod_sk_gso_disable(sk);
		sk->sk_gso_max_segs = 1;
		changed = true;
	}
	size = v->gso_max_size ? offloadmod_gso_size_target(v->gso_max_size) : 0;
	if (size && sk->sk_gso_max_size > size) {
		sk->sk_gso_max_size = size;
		rec->capped = true;
		changed = true;
	}
	if (v->gso_max_segs && sk->sk_gso_max_segs > v->gso_max_segs) {
		sk->sk_gso_max_segs = v->gso_max_segs;
		rec->capped = true;
		changed = true;
	}
	if (v->busy_poll_us && READ_ONCE(sk->sk_ll_usec) != v->busy_poll_us) {
		if (!rec->ll_set) {
			rec->orig_ll_usec = READ_ONCE(sk->sk_ll_usec);
			rec->ll_set = true;
		}
		WRITE_ONCE(sk->sk_ll_usec, v->busy_poll_us);
		changed = true;
	}
	return changed;
}

enum offloadmod_policy_counter {
	OFFLOADMOD_POLICY_ADJUSTED,
	OFFLOADMOD_POLICY_WOULD_ADJUST,
	OFFLOADMOD_POLICY_ERROR,
};

static void offloadmod_policy_count_event(u64 policy_id,
					  enum offloadmod_policy_counter what)
{
	struct offloadmod_policy *pol;

	rcu_read_lock();
	pol = offloadmod_policy_lookup(policy_id);
	if (pol) {
		if (what == OFFLOADMOD_POLICY_ADJUSTED)
			atomic64_inc(&pol->sockets_adjusted);
		else if (what == OFFLOADMOD_POLICY_WOULD_ADJUST)
			atomic64_inc(&pol->audit_would_adjust);
		else
			atomic64_inc(&pol->errors);
	}
	rcu_read_unlock();
}

/**
 * offloadmod_sock_sync() - bring one socket in line with its policy
 * @sk: a full TCP socket, owned by the caller (lock_sock() or its
 *	softirq processing)
 * @gfp: for a new record
 *
 * Applies the effective policy of the socket's cgroup, undoes what a policy
 * no longer asks for, counts audit findings once per socket and policy.
 */
static void offloadmod_sock_sync(struct sock *sk, gfp_t gfp)
{
	struct offloadmod_policy_values want = {};
	const struct offloadmod_policy_values *enforce = NULL;
	struct offloadmod_sockrec *rec;
	struct offloadmod_policy *pol;
	u64 pol_id = 0;
	bool changed;

	rcu_read_lock();
	pol = offloadmod_policy_resolve(sock_cgroup_ptr(&sk->sk_cgrp_data));
	if (pol) {
		pol_id = pol->cgroup_id;
		want.mode = READ_ONCE(pol->v.mode);
		want.gso_off = READ_ONCE(pol->v.gso_off);
		want.gso_max_size = READ_ONCE(pol->v.gso_max_size);
		want.gso_max_segs = READ_ONCE(pol->v.gso_max_segs);
		want.busy_poll_us = READ_ONCE(pol->v.busy_poll_us);
	}
	rcu_read_unlock();

	rec = atomic64_read(&sk->sk_cookie) || pol ?
	      offloadmod_sockrec_find(offloadmod_sock_cookie(sk)) : NULL;
	if (rec)
		rec->seen = READ_ONCE(offloadmod_sweep_gen);
	if (!pol && !rec)
		return;
	if (!rec) {
		rec = offloadmod_sockrec_add(offloadmod_sock_cookie(sk), gfp);
		if (!rec) {
			offloadmod_policy_count_event(pol_id,
						      OFFLOADMOD_POLICY_ERROR);
			return;
		}
	}

	if (pol && want.mode == OFFLOADMOD_POLICY_MODE_AUDIT) {
		if (rec->audit_id != pol_id &&
		    offloadmod_sock_differs(sk, &want)) {
			rec->audit_id = pol_id;
			offloadmod_policy_count_event(pol_id,
						      OFFLOADMOD_POLICY_WOULD_ADJUST);
		}
	} else if (pol) {
		enforce = &want;
	}

	if (!enforce)
		want = (struct offloadmod_policy_values){};
	if (!offloadmod_values_equal(&rec->applied, &want)) {
		offloadmod_sock_undo(sk, rec);
		rec->applied = want;
		rec->policy_id = 0;
	}
	changed = enforce && offloadmod_sock_enforce(sk, rec, enforce);
	if (rec->policy_id != pol_id &&
	    (changed || rec->gso_disabled || rec->capped || rec->ll_set)) {
		rec->policy_id = pol_id;
		if (changed)
			offloadmod_policy_count_event(pol_id,
						      OFFLOADMOD_POLICY_ADJUSTED);
	}
	if (!rec->policy_id && !rec->gso_disabled && !rec->capped &&
	    !rec->ll_set && (!pol || rec->audit_id != pol_id))
		offloadmod_sockrec_del(rec);
}

/* Forget a closing socket's record: nothing to restore on a dead socket. */
static void offloadmod_sock_forget(struct sock *sk)
{
	u64 cookie = atomic64_read(&sk->sk_cookie);
	struct offloadmod_sockrec *rec;

	if (!cookie)
		return;
	rec = offloadmod_sockrec_find(cookie);
	if (rec)
		offloadmod_sockrec_del(rec);
}

static void offloadmod_probe_inet_sock_set_state(void *data,
						 const struct sock *csk,
						 const int oldstate,
						 const int newstate)
{
	/* The tracepoint hands out a const socket its caller owns. */
	struct sock *sk = (struct sock *)csk;

	if (csk->sk_protocol != IPPROTO_TCP)
		return;
	if (newstate == TCP_ESTABLISHED && offloadmod_policy_any())
		offloadmod_sock_sync(sk, GFP_ATOMIC);
	else if (newstate == TCP_CLOSE &&
		 atomic_read(&offloadmod_sockrec_count))
		offloadmod_sock_forget(sk);
}

/* Type-check the probe against the tracepoint (see hooks.c). */
#define OFFLOADMOD_SET_STATE_REGISTERED \
	register_trace_inet_sock_set_state(offloadmod_probe_inet_sock_set_state, \
					   NULL)
static_assert(sizeof(OFFLOADMOD_SET_STATE_REGISTERED) == sizeof(int));

/* States in which a socket sends data. */
#define OFFLOADMOD_SENDING_STATES	(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)

static void offloadmod_sweep_sock(struct sock *sk)
{
	lock_sock(sk);
	if ((1 << READ_ONCE(sk->sk_state)) & OFFLOADMOD_SENDING_STATES) {
		offloadmod_sock_sync(sk, GFP_KERNEL);
	} else if (atomic64_read(&sk->sk_cookie)) {
		struct offloadmod_sockrec *rec;

		/* Still alive: keep its record for when it sends again. */
		rec = offloadmod_sockrec_find(atomic64_read(&sk->sk_cookie));
		if (rec)
			rec->seen = offloadmod_sweep_gen;
	}
	release_sock(sk);
}

/* Visit every full socket of one TCP established hash table. */
static void offloadmod_sweep_table(struct inet_hashinfo *h)
{
	struct sock *batch[OFFLOADMOD_SWEEP_BATCH];
	unsigned int bucket, skip, idx, n, i;
	struct hlist_nulls_node *node;
	struct sock *sk;
	bool more;

	for (bucket = 0; bucket <= h->ehash_mask; bucket++) {
		struct inet_ehash_bucket *head = &h->ehash[bucket];
		spinlock_t *lock = inet_ehash_lockp(h, bucket);

		if (hlist_nulls_empty(&head->chain))
			continue;
		skip = 0;
		do {
			n = 0;
			idx = 0;
			more = false;
			spin_lock_bh(lock);
			sk_nulls_for_each(sk, node, &head->chain) {
				if (idx++ < skip)
					continue;
				if (n == ARRAY_SIZE(batch)) {
					more = true;
					break;
				}
				skip = idx;
				/* Time-wait and request socks are not full. */
				if (sk->sk_state == TCP_TIME_WAIT ||
				    sk->sk_state == TCP_NEW_SYN_RECV)
					continue;
				if (refcount_inc_not_zero(&sk->sk_refcnt))
					batch[n++] = sk;
			}
			spin_unlock_bh(lock);
			for (i = 0; i < n; i++) {
				offloadmod_sweep_sock(batch[i]);
				sock_put(batch[i]);
			}
			cond_resched();
		} while (more);
	}
}

/*
 * Every TCP established hash table: the global one, and those of network
 * namespaces created with their own (sysctl tcp_child_ehash_entries).
 */
static void offloadmod_sweep_all_tables(void)
{
	struct net *nets[OFFLOADMOD_SWEEP_MAX_TABLES];
	unsigned int n = 0, i;
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net) {
		struct inet_hashinfo *h = net->ipv4.tcp_death_row.hashinfo;

		for (i = 0; i < n; i++)
			if (nets[i]->ipv4.tcp_death_row.hashinfo == h)
				break;
		if (i < n || n == ARRAY_SIZE(nets))
			continue;
		if (maybe_get_net(net))
			nets[n++] = net;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		offloadmod_sweep_table(nets[i]->ipv4.tcp_death_row.hashinfo);
		put_net(nets[i]);
	}
}

/* Drop the records of sockets the last sweep did not find (closed). */
static void offloadmod_sockrec_collect(bool all)
{
	struct offloadmod_sockrec *rec;
	struct hlist_node *tmp;
	HLIST_HEAD(dead);
	int bkt;

	spin_lock_bh(&offloadmod_sockrec_lock);
	hash_for_each_safe(offloadmod_sockrec_hash, bkt, tmp, rec, node) {
		if (!all && rec->seen == offloadmod_sweep_gen)
			continue;
		hash_del(&rec->node);
		atomic_dec(&offloadmod_sockrec_count);
		hlist_add_head(&rec->node, &dead);
	}
	spin_unlock_bh(&offloadmod_sockrec_lock);
	hlist_for_each_entry_safe(rec, tmp, &dead, node)
		kfree(rec);
}

/* Drop (and announce) the policies of cgroups that were removed. */
static void offloadmod_policy_drop_removed(void)
{
	struct offloadmod_policy *pol;
	u64 id;

	for (;;) {
		mutex_lock(&offloadmod_policy_mutex);
		pol = offloadmod_policy_unlink_removed();
		mutex_unlock(&offloadmod_policy_mutex);
		if (!pol)
			break;
		id = pol->cgroup_id;
		offloadmod_policy_free(pol);
		offloadmod_policy_notify_del(id);
	}
}

/* One full sweep. Context: offloadmod_sweep_mutex held. */
static void offloadmod_sweep(void)
{
	lockdep_assert_held(&offloadmod_sweep_mutex);
	if (!offloadmod_policy_any() &&
	    !atomic_read(&offloadmod_sockrec_count))
		return;
	WRITE_ONCE(offloadmod_sweep_gen, offloadmod_sweep_gen + 1);
	offloadmod_sweep_all_tables();
	offloadmod_sockrec_collect(false);
}

static bool offloadmod_sockpolicy_active(void)
{
	return offloadmod_policy_any() ||
	       atomic_read(&offloadmod_sockrec_count);
}

static void offloadmod_sockpolicy_workfn(struct work_struct *work)
{
	offloadmod_policy_drop_removed();
	mutex_lock(&offloadmod_sweep_mutex);
	offloadmod_sweep();
	mutex_unlock(&offloadmod_sweep_mutex);
	if (!READ_ONCE(offloadmod_sweep_stopping) &&
	    offloadmod_sockpolicy_active())
		schedule_delayed_work(&offloadmod_sockpolicy_work,
				      OFFLOADMOD_SOCKPOLICY_PERIOD);
}

/**
 * offloadmod_sockpolicy_sync() - apply the policy table to every socket now
 *
 * Called after each change to the table: when it returns, existing sockets
 * follow the new policies, and the periodic sweep runs while needed.
 */
void offloadmod_sockpolicy_sync(void)
{
	mutex_lock(&offloadmod_sweep_mutex);
	offloadmod_sweep();
	mutex_unlock(&offloadmod_sweep_mutex);
	if (!READ_ONCE(offloadmod_sweep_stopping) &&
	    offloadmod_sockpolicy_active())
		mod_delayed_work(offloadmod_system_wq(),
				 &offloadmod_sockpolicy_work,
				 OFFLOADMOD_SOCKPOLICY_PERIOD);
}

/**
 * offloadmod_policy_sockets() - sockets a policy holds adjusted now
 * @policy_id: the policy's cgroup id
 */
unsigned int offloadmod_policy_sockets(u64 policy_id)
{
	struct offloadmod_sockrec *rec;
	unsigned int n = 0;
	int bkt;

	spin_lock_bh(&offloadmod_sockrec_lock);
	hash_for_each(offloadmod_sockrec_hash, bkt, rec, node)
		if (rec->policy_id == policy_id)
			n++;
	spin_unlock_bh(&offloadmod_sockrec_lock);
	return n;
}

static void offloadmod_set_state_tp_lookup(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "inet_sock_set_state"))
		offloadmod_set_state_tp = tp;
}

int offloadmod_policy_init(void)
{
	int err;

	for_each_kernel_tracepoint(offloadmod_set_state_tp_lookup, NULL);
	if (!offloadmod_set_state_tp) {
		pr_err("tracepoint inet_sock_set_state not found: cannot enforce policies on new sockets\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(offloadmod_set_state_tp,
					offloadmod_probe_inet_sock_set_state,
					NULL);
	if (err)
		pr_err("cannot attach to inet_sock_set_state: %d\n", err);
	return err;
}

/* Restore every socket, then free everything. */
void offloadmod_policy_exit(void)
{
	tracepoint_probe_unregister(offloadmod_set_state_tp,
				    offloadmod_probe_inet_sock_set_state, NULL);
	tracepoint_synchronize_unregister();
	WRITE_ONCE(offloadmod_sweep_stopping, true);
	cancel_delayed_work_sync(&offloadmod_sockpolicy_work);

	mutex_lock(&offloadmod_policy_mutex);
	offloadmod_policy_clear();
	mutex_unlock(&offloadmod_policy_mutex);
	/* No policy left: the sweep undoes every record's changes. */
	mutex_lock(&offloadmod_sweep_mutex);
	offloadmod_sweep();
	mutex_unlock(&offloadmod_sweep_mutex);
	offloadmod_sockrec_collect(true);
	/* Policies are freed by RCU callbacks in this module's text. */
	rcu_barrier();
}
