// SPDX-License-Identifier: GPL-2.0
/*
 * Enforcement of cgroup policies on one TCP socket (IPv4 and IPv6,
 * connecting and accepted): applying a policy, undoing it, the record of
 * what was changed (sockpolicy.h), and the socket events that apply
 * policies to new sockets and forget closed ones. sockpolicy_work.c brings
 * existing sockets in line.
 *
 * Who touches a socket: only a context that owns it. Either its owner, in
 * the inet_sock_set_state tracepoint (TCP changes state with the socket
 * owned: lock_sock() in process context, bh_lock_sock() in softirq), or
 * offloadmod_sock_try_sync(), which takes bh_lock_sock() and backs off if a
 * user owns the socket (sock_owned_by_user()), exactly as TCP's receive
 * softirq does. Nothing here waits for a socket's owner, nor runs in the
 * owner's context on our behalf: a user can hold its socket for as long as
 * it likes (a send() from a page that never arrives), and the socket is
 * then tried again on a later pass.
 *
 * Why bh_lock_sock() without an owner is enough for what is written here.
 * tcp_sendmsg() and the transmit path read sk_route_caps, sk_gso_max_size,
 * sk_gso_max_segs and sk_gso_disabled either as the owner (lock_sock():
 * owned set, slock dropped) or in softirq under bh_lock_sock() while the
 * socket is not owned; lock_sock() must take the same slock to become the
 * owner. So while we hold the slock of a socket nobody owns, no one else
 * reads or writes those fields, and the owner's next lock_sock() orders
 * our writes before its reads. The kernel writes them in that same state:
 * the softirq transmit path (tcp_write_xmit() on an incoming ACK, under
 * bh_lock_sock() of an unowned socket) calls sk_setup_caps() when the
 * route has gone stale (ip_queue_xmit()), and tcp_v4_syn_recv_sock() sets
 * up a new child's caps in softirq. sk_ll_usec is read locklessly by the
 * busy-poll paths (READ_ONCE()) and written here with WRITE_ONCE(), as
 * SO_BUSY_POLL does.
 *
 * When. A socket gets its cgroup's policy when it becomes ESTABLISHED: TCP
 * has computed its caps by then (sk_setup_caps() in connect and in creating
 * an accepted child) and no data has left. Not at SYN_SENT: connect's
 * sk_setup_caps() comes after it, and only the SYN leaves before
 * ESTABLISHED. Not at SYN_RECV either, although a passive Fast Open child
 * may send its first flight before the handshake completes: the child's
 * sk_setup_caps() runs after that state change, and a socket over its
 * policy's bound would be counted twice (docs/POLICY.md). Never on
 * listeners: their children copy sk_gso_disabled and sk_ll_usec, and
 * would carry changes no record could undo.
 *
 * How. With what the socket layer already honours: sk_gso_disable() (which
 * sk_setup_caps() itself keeps; sk_route_nocaps on 5.10, compat/sock.h)
 * with one segment per packet, which is what sk_setup_caps() gives a socket
 * without GSO; sk_gso_max_size and sk_gso_max_segs, lowered, never raised
 * (TCP sizes its super-packets by these two alone); sk_ll_usec (what
 * SO_BUSY_POLL sets).
 *
 * Undo. Relaxing or deleting a policy re-enables GSO only if the policy
 * disabled it (TCP-MD5 disables it too), recomputes the capabilities with
 * sk_setup_caps() on the socket's current route and puts busy polling
 * back. At TCP_CLOSE what outlives a connection (sk_gso_disabled,
 * sk_ll_usec: the socket may connect again) is put back and the record,
 * with its socket reference, goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/offloadmod.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <trace/events/sock.h>

#include "compat.h"
#include "compat/sock.h"
#include "policy.h"
#include "sockpolicy.h"

/* Socket -> its record, for every socket a policy governs. */
static const struct rhashtable_params offloadmod_sockrec_params = {
	.key_len = sizeof(struct sock *),
	.key_offset = offsetof(struct offloadmod_sockrec, sk),
	.head_offset = offsetof(struct offloadmod_sockrec, hnode),
	.automatic_shrinking = true,
};

static struct rhashtable offloadmod_sockrecs;
/* Records in the table: closing sockets need no lookup while there is none. */
static atomic_t offloadmod_sockrec_count = ATOMIC_INIT(0);

static struct tracepoint *offloadmod_set_state_tp;

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

/*
 * Put back everything @rec says was changed; with @recompute, the size
 * caps too, from the socket's route (not at close: the route goes with the
 * connection, and the next connect computes them anyway).
 */
static void offloadmod_sock_restore(struct sock *sk,
				    struct offloadmod_sockrec *rec,
				    bool recompute)
{
	struct dst_entry *dst;

	recompute = recompute && (rec->gso_disabled || rec->capped);
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

/* Put back everything @rec says was changed, caps recomputed. */
static void offloadmod_sock_undo(struct sock *sk,
				 struct offloadmod_sockrec *rec)
{
	offloadmod_sock_restore(sk, rec, true);
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

/* Keep the policy's "sockets adjusted now" in step with @rec. */
static void offloadmod_sockrec_account(struct offloadmod_sockrec *rec)
{
	bool adjusted = rec->gso_disabled || rec->capped || rec->ll_set;

	if (adjusted == rec->counted)
		return;
	rec->counted = adjusted;
	if (adjusted)
		atomic_inc(&rec->pol->sockets);
	else
		atomic_dec(&rec->pol->sockets);
}

/*
 * List @rec under @pol, unless @pol is full (counted in its errors) or
 * retired and drained (takes no record any more).
 */
static bool offloadmod_sockrec_attach(struct offloadmod_sockrec *rec,
				      struct offloadmod_policy *pol)
{
	bool ok, full;

	spin_lock_bh(&pol->recs_lock);
	full = pol->nrecs >= pol->recs_max;
	ok = !pol->dead && !full;
	if (ok) {
		list_add_tail(&rec->pnode, &pol->recs);
		pol->nrecs++;
		rec->pol = pol;
		rec->pass = 0;
	}
	spin_unlock_bh(&pol->recs_lock);
	if (full)
		atomic64_inc(&pol->errors);
	return ok;
}

static void offloadmod_sockrec_detach(struct offloadmod_sockrec *rec)
{
	struct offloadmod_policy *pol = rec->pol;

	spin_lock_bh(&pol->recs_lock);
	list_del(&rec->pnode);
	pol->nrecs--;
	spin_unlock_bh(&pol->recs_lock);
}

/*
 * Free a detached record and drop its socket reference. Never the last
 * one: every caller holds a reference of its own (the socket's owner, a
 * pass's batch), except module exit, which holds no lock on the socket.
 */
static void offloadmod_sockrec_free(struct offloadmod_sockrec *rec)
{
	rhashtable_remove_fast(&offloadmod_sockrecs, &rec->hnode,
			       offloadmod_sockrec_params);
	atomic_dec(&offloadmod_sockrec_count);
	sock_put(rec->sk);
	kfree_rcu(rec, rcu);
}

/*
 * The record of @sk, or NULL. Context: RCU read side; the record stays
 * valid beyond it only while the caller owns the socket.
 */
static struct offloadmod_sockrec *offloadmod_sockrec_lookup(struct sock *sk)
{
	return rhashtable_lookup(&offloadmod_sockrecs, &sk,
				 offloadmod_sockrec_params);
}

/*
 * A new record for @sk under @pol, unsynced: from *@spare if there is one,
 * else allocated (atomic: the caller may hold the socket's spinlock).
 * Fields are set before the record is published, never after by the
 * caller unless it owns the socket. NULL when @pol is full, out of memory
 * (both counted in its errors), or when @sk got a record meanwhile.
 */
static struct offloadmod_sockrec *
offloadmod_sockrec_new(struct sock *sk, struct offloadmod_policy *pol,
		       struct offloadmod_sockrec **spare)
{
	struct offloadmod_sockrec *rec;
	int err;

	if (spare && *spare) {
		rec = *spare;
		*spare = NULL;
	} else {
		rec = kzalloc(sizeof(*rec), GFP_ATOMIC);
		if (!rec) {
			atomic64_inc(&pol->errors);
			return NULL;
		}
	}
	rec->sk = sk;
	if (!offloadmod_sockrec_attach(rec, pol))
		goto out_free;
	/* Before it is published: its owner may free it at once (close). */
	sock_hold(sk);
	atomic_inc(&offloadmod_sockrec_count);
	err = rhashtable_lookup_insert_fast(&offloadmod_sockrecs, &rec->hnode,
					    offloadmod_sockrec_params);
	if (!err)
		return rec;
	atomic_dec(&offloadmod_sockrec_count);
	__sock_put(sk);		/* the caller holds another */
	offloadmod_sockrec_detach(rec);
	if (err != -EEXIST)
		atomic64_inc(&pol->errors);
out_free:
	/* Only ever seen by a pass under recs_lock, which took just sk. */
	memset(rec, 0, sizeof(*rec));
	if (spare && !*spare)
		*spare = rec;
	else
		kfree(rec);
	return NULL;
}

/* @sk is closing: put back what outlives the connection, drop the record. */
static void offloadmod_sock_forget(struct sock *sk,
				   struct offloadmod_sockrec *rec)
{
	offloadmod_sock_restore(sk, rec, false);
	offloadmod_sockrec_account(rec);
	offloadmod_sockrec_detach(rec);
	offloadmod_sockrec_free(rec);
}

/**
 * offloadmod_sock_sync_to() - bring one socket in line with a policy
 * @sk: a full TCP socket the caller owns
 * @pol: the policy its cgroup resolves to now, or NULL
 * @state: the socket's state (the tracepoint runs before it is stored)
 * @spare: a record to use if one is needed (taken), or NULL
 *
 * Applies @pol (or, in audit mode, counts what it would change, once per
 * socket and policy), undoes what the socket's record holds from another
 * policy or from older values, moves the record to @pol, and marks it
 * synced to @pol's generation. A closed socket's record goes.
 *
 * Context: RCU read side (@pol is from the table); the caller owns @sk.
 */
static void offloadmod_sock_sync_to(struct sock *sk,
				    struct offloadmod_policy *pol, int state,
				    struct offloadmod_sockrec **spare)
{
	struct offloadmod_sockrec *rec = offloadmod_sockrec_lookup(sk);
	const struct offloadmod_policy_values *enforce = NULL;
	struct offloadmod_policy_values want = {}, target = {};
	unsigned int gen;

	if (state == TCP_CLOSE || state == TCP_LISTEN) {
		if (rec)
			offloadmod_sock_forget(sk, rec);
		return;
	}
	if (rec && rec->pol != pol) {
		/* Another policy (or none) governs it now: undo, then move. */
		offloadmod_sock_undo(sk, rec);
		offloadmod_sockrec_account(rec);
		offloadmod_sockrec_detach(rec);
		rec->applied = target;
		rec->audited = false;
		rec->adjust_counted = false;
		WRITE_ONCE(rec->synced_gen, 0);
		if (!pol || !offloadmod_sockrec_attach(rec, pol)) {
			offloadmod_sockrec_free(rec);
			return;
		}
	}
	if (!rec) {
		if (!pol || !((1 << state) & OFFLOADMOD_SENDING_STATES))
			return;
		rec = offloadmod_sockrec_new(sk, pol, spare);
		/* Lost a race with a pass creating one: use that. */
		if (!rec)
			rec = offloadmod_sockrec_lookup(sk);
		if (!rec || rec->pol != pol)
			return;
	}

	gen = READ_ONCE(pol->gen);
	smp_rmb();	/* gen, then values: pairs with offloadmod_policy_bump() */
	want.mode = READ_ONCE(pol->v.mode);
	want.gso_off = READ_ONCE(pol->v.gso_off);
	want.gso_max_size = READ_ONCE(pol->v.gso_max_size);
	want.gso_max_segs = READ_ONCE(pol->v.gso_max_segs);
	want.busy_poll_us = READ_ONCE(pol->v.busy_poll_us);
	if (want.mode != OFFLOADMOD_POLICY_MODE_AUDIT) {
		target = want;
		target.mode = 0;
		enforce = &target;
	}
	if (!offloadmod_values_equal(&rec->applied, &target)) {
		offloadmod_sock_undo(sk, rec);
		rec->applied = target;
		rec->adjust_counted = false;
	}
	if (!enforce && !rec->audited && offloadmod_sock_differs(sk, &want)) {
		rec->audited = true;
		atomic64_inc(&pol->audit_would_adjust);
	}
	if (enforce && offloadmod_sock_enforce(sk, rec, enforce) &&
	    !rec->adjust_counted) {
		rec->adjust_counted = true;
		atomic64_inc(&pol->sockets_adjusted);
	}
	offloadmod_sockrec_account(rec);
	WRITE_ONCE(rec->synced_gen, gen);
}

/* Bring @sk in line with its cgroup's policy. Context: as sync_to. */
static void offloadmod_sock_sync(struct sock *sk, int state,
				 struct offloadmod_sockrec **spare)
{
	struct offloadmod_policy *pol;

	pol = offloadmod_policy_resolve(sock_cgroup_ptr(&sk->sk_cgrp_data));
	offloadmod_sock_sync_to(sk, pol, state, spare);
}

/*
 * @sk is owned by its user: if its cgroup has a policy and it has no
 * record, give it an unsynced one, so that the worker's passes over the
 * policy's records retry it. Context: RCU read side, @sk referenced.
 */
static void offloadmod_sock_defer(struct sock *sk,
				  struct offloadmod_sockrec **spare)
{
	struct offloadmod_policy *pol;

	if (!((1 << READ_ONCE(sk->sk_state)) & OFFLOADMOD_PASS_STATES) ||
	    offloadmod_sockrec_lookup(sk))
		return;
	pol = offloadmod_policy_resolve(sock_cgroup_ptr(&sk->sk_cgrp_data));
	if (pol && offloadmod_sockrec_new(sk, pol, spare))
		set_bit(OFFLOADMOD_POLICY_RESYNC, &pol->flags);
}

/**
 * offloadmod_sock_try_sync() - bring a socket in line, unless a user owns it
 * @sk: a TCP socket the caller holds a reference on
 * @spare: the caller's spare record (allocated here if there is none, so
 *	that no record is allocated under the socket's spinlock when it can
 *	be done before); taken when used
 *
 * Takes the socket's spinlock only, and only does anything if no user owns
 * the socket: never waits for the owner (see the top of this file).
 *
 * Context: process, no lock held.
 * Return: false when a user owned the socket: try again later.
 */
bool offloadmod_sock_try_sync(struct sock *sk,
			      struct offloadmod_sockrec **spare)
{
	bool owned;

	if (!*spare)
		*spare = kzalloc(sizeof(**spare), GFP_KERNEL);
	local_bh_disable();
	bh_lock_sock(sk);
	owned = sock_owned_by_user(sk);
	rcu_read_lock();
	if (!owned)
		offloadmod_sock_sync(sk, READ_ONCE(sk->sk_state), spare);
	else
		offloadmod_sock_defer(sk, spare);
	rcu_read_unlock();
	bh_unlock_sock(sk);
	local_bh_enable();
	return !owned;
}

/**
 * offloadmod_sockrec_force_release() - drop a policy's records, at exit
 * @pol: a retired policy
 *
 * For module exit, once socket events and the worker are gone and sockets
 * whose owner held them were retried for long enough: what the policy
 * changed on those stays.
 *
 * Return: how many records there were.
 */
unsigned int offloadmod_sockrec_force_release(struct offloadmod_policy *pol)
{
	struct offloadmod_sockrec *rec, *tmp;
	unsigned int n = 0;
	LIST_HEAD(list);

	spin_lock_bh(&pol->recs_lock);
	list_splice_init(&pol->recs, &list);
	pol->nrecs = 0;
	pol->dead = true;
	spin_unlock_bh(&pol->recs_lock);
	list_for_each_entry_safe(rec, tmp, &list, pnode) {
		if (rec->counted)
			atomic_dec(&pol->sockets);
		offloadmod_sockrec_free(rec);
		n++;
	}
	return n;
}

/**
 * offloadmod_policy_sockets() - sockets a policy holds adjusted now
 * @policy_id: the policy's cgroup id
 */
unsigned int offloadmod_policy_sockets(u64 policy_id)
{
	struct offloadmod_policy *pol;
	unsigned int n = 0;

	rcu_read_lock();
	pol = offloadmod_policy_lookup(policy_id);
	if (pol)
		n = atomic_read(&pol->sockets);
	rcu_read_unlock();
	return n;
}

static void offloadmod_probe_inet_sock_set_state(void *data,
						 const struct sock *csk,
						 const int oldstate,
						 const int newstate)
{
	/* The tracepoint hands out a const socket its caller owns. */
	struct sock *sk = (struct sock *)csk;
	struct offloadmod_sockrec *rec;

	if (csk->sk_protocol != IPPROTO_TCP)
		return;
	if (newstate == TCP_ESTABLISHED) {
		if (!offloadmod_policy_any())
			return;
		rcu_read_lock();
		offloadmod_sock_sync(sk, newstate, NULL);
		rcu_read_unlock();
	} else if (newstate == TCP_CLOSE &&
		   atomic_read(&offloadmod_sockrec_count)) {
		rcu_read_lock();
		rec = offloadmod_sockrec_lookup(sk);
		if (rec)
			offloadmod_sock_forget(sk, rec);
		rcu_read_unlock();
	}
}

/* Type-check the probe against the tracepoint (see hooks.c). */
#define OFFLOADMOD_SET_STATE_REGISTERED \
	register_trace_inet_sock_set_state(offloadmod_probe_inet_sock_set_state, \
					   NULL)
static_assert(sizeof(OFFLOADMOD_SET_STATE_REGISTERED) == sizeof(int));

static void offloadmod_set_state_tp_lookup(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "inet_sock_set_state"))
		offloadmod_set_state_tp = tp;
}

int offloadmod_sockpolicy_events_init(void)
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

/* No socket event runs in this module's code when it returns. */
void offloadmod_sockpolicy_events_exit(void)
{
	tracepoint_probe_unregister(offloadmod_set_state_tp,
				    offloadmod_probe_inet_sock_set_state, NULL);
	tracepoint_synchronize_unregister();
}

int offloadmod_sockrec_init(void)
{
	return rhashtable_init(&offloadmod_sockrecs,
			       &offloadmod_sockrec_params);
}

/* Once every record is freed. */
void offloadmod_sockrec_destroy(void)
{
	rhashtable_destroy(&offloadmod_sockrecs);
}
