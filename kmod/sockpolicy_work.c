// SPDX-License-Identifier: GPL-2.0
/*
 * The enforcement worker: brings existing sockets in line with the policy
 * table at a cost in proportion to the sockets of the cgroups that have a
 * policy, never waiting on a socket's lock; and init and exit of all
 * cgroup-policy state.
 *
 * It runs at once after a policy command (offloadmod_sockpolicy_kick()),
 * then every 200 ms while any policy, or any retired policy with records,
 * exists. Each run, for each policy:
 * - scan: for a policy just set, or deleted while an ancestor has one, the
 *   sockets of its cgroup's tasks are synced (sockpolicy_scan.c);
 * - resync: the records not synced to the policy's generation (it was set,
 *   changed or deleted; a new policy below it took sockets over; or their
 *   socket was owned by its user last time) are synced; for a retired
 *   (deleted, cgroup removed, unloading) policy every record is, which
 *   undoes it or moves it to the ancestor's policy, and the policy is freed
 *   once it has none left;
 * - refresh (at most every 200 ms): the next OFFLOADMOD_REFRESH_SLICE
 *   records of the policy, round robin, are synced again: that puts back
 *   the caps that sk_setup_caps() resets on a route change and a
 *   busy-poll value the application changed, and drops the records of
 *   sockets found closed. Bounded per policy and run, so a policy with
 *   many sockets takes longer to go round (65,536 records: 26 s), not more
 *   CPU per run.
 * A socket whose user owns it is left and tried again on the next run
 * (offloadmod_sock_try_sync()), which then comes after 20 ms, up to
 * OFFLOADMOD_RETRY_FAST_RUNS times in a row, then after the period. Lists
 * are walked in batches under the policy's spinlock, and the worker yields
 * between batches.
 *
 * A work item never runs concurrently with itself, and exit cancels it
 * before it runs passes of its own: the passes never overlap.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stringify.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "compat.h"
#include "policy.h"
#include "sockpolicy.h"

#define OFFLOADMOD_SOCKPOLICY_PERIOD	msecs_to_jiffies(200)
/*
 * A socket found owned by its user is tried again sooner, this many times
 * in a row: a bulk sender owns its socket for much of the time, and should
 * still follow a change within the promised second. A socket held for
 * longer is then tried every period, at no more cost than the others.
 */
#define OFFLOADMOD_RETRY_DELAY		msecs_to_jiffies(20)
#define OFFLOADMOD_RETRY_FAST_RUNS	10
/* Records of one policy that the refresh pass syncs per run. */
#define OFFLOADMOD_REFRESH_SLICE	512
/* Sockets taken from a record list per lock hold; entries looked at. */
#define OFFLOADMOD_VISIT_BATCH		32
#define OFFLOADMOD_VISIT_LOOK		256
/* How long unloading retries sockets whose user holds them. */
#define OFFLOADMOD_EXIT_RETRY_MS	2000

enum offloadmod_visit {
	OFFLOADMOD_VISIT_STALE,		/* not synced to the generation */
	OFFLOADMOD_VISIT_ALL,		/* every record, once */
	OFFLOADMOD_VISIT_SLICE,		/* the next slice, round robin */
};

/* Unlinked policies that still have records. Under the policy mutex. */
static LIST_HEAD(offloadmod_retired);
/* Numbers passes over record lists; the worker's or exit's own. */
static unsigned long offloadmod_pass;
static struct offloadmod_sockrec *offloadmod_spare;
static bool offloadmod_stopping;
/* The worker's: when the next refresh is due, fast runs in a row. */
static unsigned long offloadmod_next_refresh;
static unsigned int offloadmod_fast_runs;

/*
 * policy_sockets_max: how many sockets one policy keeps records for (and
 * so enforces); beyond, a socket counts in the policy's errors. Writable,
 * so that an administrator (and the selftests) can lower it; a policy
 * takes the value when it is created.
 */
static int offloadmod_param_set_recs_max(const char *val,
					 const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < OFFLOADMOD_POLICY_RECS_MAX_MIN ||
	    n > OFFLOADMOD_POLICY_RECS_MAX_MAX) {
		pr_err("policy_sockets_max=%s is invalid: must be %u..%u\n",
		       val, OFFLOADMOD_POLICY_RECS_MAX_MIN,
		       OFFLOADMOD_POLICY_RECS_MAX_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops offloadmod_recs_max_ops = {
	.set = offloadmod_param_set_recs_max,
	.get = param_get_uint,
};

module_param_cb(policy_sockets_max, &offloadmod_recs_max_ops,
		&offloadmod_policy_recs_max, 0644);
MODULE_PARM_DESC(policy_sockets_max,
		 "Sockets one cgroup policy enforces; beyond, counted in its errors; taken by policies created afterwards, "
		 __stringify(OFFLOADMOD_POLICY_RECS_MAX_MIN) ".."
		 __stringify(OFFLOADMOD_POLICY_RECS_MAX_MAX) " (default "
		 __stringify(OFFLOADMOD_POLICY_RECS_MAX) ")");

static void offloadmod_sockpolicy_workfn(struct work_struct *work);
static DECLARE_DELAYED_WORK(offloadmod_sockpolicy_work,
			    offloadmod_sockpolicy_workfn);

/*
 * Sync records of @pol, as @what says. Records taken are moved to the tail
 * of the list and marked with the pass, so each is taken once however the
 * list changes meanwhile, and slices go round.
 *
 * Return: false if a socket was owned by its user (to be tried again).
 */
static bool offloadmod_visit_records(struct offloadmod_policy *pol,
				     enum offloadmod_visit what)
{
	unsigned int left = what == OFFLOADMOD_VISIT_SLICE ?
			    OFFLOADMOD_REFRESH_SLICE : UINT_MAX;
	struct sock *batch[OFFLOADMOD_VISIT_BATCH];
	unsigned int gen = READ_ONCE(pol->gen);
	unsigned long pass = ++offloadmod_pass;
	struct offloadmod_sockrec *rec, *tmp;
	unsigned int n, i, looked;
	bool done = true, more;

	do {
		n = 0;
		looked = 0;
		more = false;
		spin_lock_bh(&pol->recs_lock);
		list_for_each_entry_safe(rec, tmp, &pol->recs, pnode) {
			if (rec->pass == pass || !left)
				break;
			if (n == ARRAY_SIZE(batch) ||
			    looked == OFFLOADMOD_VISIT_LOOK) {
				more = true;
				break;
			}
			looked++;
			rec->pass = pass;
			list_move_tail(&rec->pnode, &pol->recs);
			if (what == OFFLOADMOD_VISIT_STALE &&
			    READ_ONCE(rec->synced_gen) == gen)
				continue;
			sock_hold(rec->sk);
			batch[n++] = rec->sk;
			left--;
		}
		spin_unlock_bh(&pol->recs_lock);
		for (i = 0; i < n; i++) {
			if (!offloadmod_sock_try_sync(batch[i], &offloadmod_spare))
				done = false;
			sock_put(batch[i]);
		}
		cond_resched();
	} while (more);
	return done;
}

/*
 * One run's work on one policy (live, or @retired); the refresh slice only
 * with @refresh. Return: false if a socket was owned by its user.
 */
static bool offloadmod_policy_work(struct offloadmod_policy *pol,
				   bool retired, bool refresh)
{
	bool done = true;

	if (test_and_clear_bit(OFFLOADMOD_POLICY_SCAN, &pol->flags) &&
	    pol->cgrp)
		offloadmod_sockpolicy_scan_cgroup(pol->cgrp, &offloadmod_spare);
	if (retired)
		done = offloadmod_visit_records(pol, OFFLOADMOD_VISIT_ALL);
	else if (test_and_clear_bit(OFFLOADMOD_POLICY_RESYNC, &pol->flags))
		done = offloadmod_visit_records(pol, OFFLOADMOD_VISIT_STALE);
	if (!retired && refresh)
		offloadmod_visit_records(pol, OFFLOADMOD_VISIT_SLICE);
	if (!done)
		set_bit(OFFLOADMOD_POLICY_RESYNC, &pol->flags);
	return done;
}

/*
 * A retired policy without records takes none any more (a socket event
 * that still found it in the table under RCU sees it dead) and can go.
 */
static bool offloadmod_retired_drained(struct offloadmod_policy *pol)
{
	bool empty;

	spin_lock_bh(&pol->recs_lock);
	empty = !pol->nrecs;
	if (empty)
		pol->dead = true;
	spin_unlock_bh(&pol->recs_lock);
	return empty;
}

/*
 * Work on the retired policies; drop those drained. Return: false if a
 * socket was owned by its user.
 */
static bool offloadmod_retired_work(void)
{
	struct offloadmod_policy *pol, *tmp;
	bool done = true;
	LIST_HEAD(list);

	mutex_lock(&offloadmod_policy_mutex);
	list_splice_init(&offloadmod_retired, &list);
	mutex_unlock(&offloadmod_policy_mutex);
	list_for_each_entry_safe(pol, tmp, &list, retired) {
		if (!offloadmod_policy_work(pol, true, false))
			done = false;
		if (offloadmod_retired_drained(pol)) {
			list_del(&pol->retired);
			offloadmod_policy_put(pol);
		}
	}
	mutex_lock(&offloadmod_policy_mutex);
	list_splice(&list, &offloadmod_retired);
	mutex_unlock(&offloadmod_policy_mutex);
	return done;
}

/* The live policy after id @after, referenced, or NULL. */
static struct offloadmod_policy *offloadmod_policy_get_next(u64 after)
{
	struct offloadmod_policy *pol;

	rcu_read_lock();
	for (pol = offloadmod_policy_next(after); pol;
	     pol = offloadmod_policy_next(pol->cgroup_id))
		if (refcount_inc_not_zero(&pol->ref))
			break;
	rcu_read_unlock();
	return pol;
}

/* Retire (and announce the end of) the policies of removed cgroups. */
static void offloadmod_policy_drop_removed(void)
{
	struct offloadmod_policy *pol;
	u64 id = 0;

	for (;;) {
		mutex_lock(&offloadmod_policy_mutex);
		pol = offloadmod_policy_unlink_removed();
		if (pol) {
			id = pol->cgroup_id;
			/* No task is left in it to scan. */
			offloadmod_sockpolicy_retire(pol, false);
		}
		mutex_unlock(&offloadmod_policy_mutex);
		if (!pol)
			break;
		offloadmod_policy_notify_del(id);
	}
}

static void offloadmod_sockpolicy_workfn(struct work_struct *work)
{
	bool busy, refresh, done = true;
	struct offloadmod_policy *pol;
	unsigned long delay;
	u64 id = 0;

	refresh = time_after_eq(jiffies, offloadmod_next_refresh);
	if (refresh)
		offloadmod_next_refresh = jiffies + OFFLOADMOD_SOCKPOLICY_PERIOD;
	offloadmod_policy_drop_removed();
	while ((pol = offloadmod_policy_get_next(id))) {
		id = pol->cgroup_id;
		if (!offloadmod_policy_work(pol, false, refresh))
			done = false;
		offloadmod_policy_put(pol);
	}
	if (!offloadmod_retired_work())
		done = false;

	mutex_lock(&offloadmod_policy_mutex);
	busy = offloadmod_policy_any() || !list_empty(&offloadmod_retired);
	mutex_unlock(&offloadmod_policy_mutex);
	if (done)
		offloadmod_fast_runs = 0;
	delay = OFFLOADMOD_SOCKPOLICY_PERIOD;
	if (!done && offloadmod_fast_runs < OFFLOADMOD_RETRY_FAST_RUNS) {
		offloadmod_fast_runs++;
		delay = OFFLOADMOD_RETRY_DELAY;
	}
	/* A kick during the run has queued it already; that one stands. */
	if (busy && !READ_ONCE(offloadmod_stopping))
		queue_delayed_work(offloadmod_system_wq(),
				   &offloadmod_sockpolicy_work, delay);
}

/**
 * offloadmod_sockpolicy_kick() - bring existing sockets in line now
 *
 * After a change to the table: the worker runs at once (or again, if it
 * is running), without the caller waiting for it.
 */
void offloadmod_sockpolicy_kick(void)
{
	if (!READ_ONCE(offloadmod_stopping))
		mod_delayed_work(offloadmod_system_wq(),
				 &offloadmod_sockpolicy_work, 0);
}

/**
 * offloadmod_sockpolicy_retire() - take over a policy just unlinked
 * @pol: the policy, with the table's reference
 * @scan: also sync the sockets of its cgroup's tasks (an ancestor's policy
 *	governs them now)
 *
 * Its sockets are undone or moved to the policy that governs them now by
 * the worker, which then drops the policy.
 *
 * Context: offloadmod_policy_mutex held.
 */
void offloadmod_sockpolicy_retire(struct offloadmod_policy *pol, bool scan)
{
	lockdep_assert_held(&offloadmod_policy_mutex);
	offloadmod_policy_bump(pol);
	if (scan)
		set_bit(OFFLOADMOD_POLICY_SCAN, &pol->flags);
	list_add_tail(&pol->retired, &offloadmod_retired);
}

int offloadmod_policy_init(void)
{
	int err;

	err = offloadmod_sockrec_init();
	if (err)
		return err;
	err = offloadmod_sockpolicy_events_init();
	if (err)
		offloadmod_sockrec_destroy();
	return err;
}

/*
 * Restore every socket a policy changed, then free everything. A socket
 * whose user holds it is retried for OFFLOADMOD_EXIT_RETRY_MS, never
 * waited for: after that it keeps what the policy set (counted in a
 * warning), and its record and reference go.
 */
void offloadmod_policy_exit(void)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(OFFLOADMOD_EXIT_RETRY_MS);
	struct offloadmod_policy *pol, *tmp;
	unsigned int left = 0;

	/* No socket event, no worker: the passes below are all there is. */
	offloadmod_sockpolicy_events_exit();
	WRITE_ONCE(offloadmod_stopping, true);
	cancel_delayed_work_sync(&offloadmod_sockpolicy_work);

	mutex_lock(&offloadmod_policy_mutex);
	offloadmod_policy_clear();
	mutex_unlock(&offloadmod_policy_mutex);
	for (;;) {
		offloadmod_retired_work();
		if (list_empty(&offloadmod_retired) ||
		    time_after(jiffies, deadline))
			break;
		msleep(20);
	}
	list_for_each_entry_safe(pol, tmp, &offloadmod_retired, retired) {
		left += offloadmod_sockrec_force_release(pol);
		list_del(&pol->retired);
		offloadmod_policy_put(pol);
	}
	if (left)
		pr_warn("%u sockets held by their user for %u ms while unloading keep their policy's settings\n",
			left, OFFLOADMOD_EXIT_RETRY_MS);
	kfree(offloadmod_spare);
	offloadmod_spare = NULL;
	offloadmod_sockrec_destroy();
	/* Policies are freed by RCU callbacks in this module's text. */
	rcu_barrier();
}
