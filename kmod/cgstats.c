// SPDX-License-Identifier: GPL-2.0
/*
 * The table of tracked cgroups (see cgstats.h for the rules it keeps).
 *
 * Readers (probes, netlink, debugfs) walk it under RCU. Writers - the
 * creation work, the sweep of removed cgroups, reset of nothing but
 * counters, and module exit - serialise on offloadmod_cg_mutex and never
 * run in the hot path.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "cgstats.h"
#include "compat/cgroup.h"

#define OFFLOADMOD_CG_HASH_BITS	10
/* Pending creation requests per CPU; a full set just asks again later. */
#define OFFLOADMOD_CG_REQ_SLOTS	8
/* How often state of removed cgroups is looked for. */
#define OFFLOADMOD_CG_SWEEP_PERIOD	HZ
/*
 * Ids found gone (removed, or never a cgroup v2 directory). A socket keeps
 * the id of the cgroup it was created in after that cgroup is removed, and
 * its packets would ask again for tracking after every run of the creation
 * work: an irq_work and a work item each time. Direct-mapped, so the cache
 * is bounded and a collision costs one more request. Cgroup ids are never
 * reused, but a lookup can also fail for a while (5.10's fallback, when no
 * cgroup2 is mounted yet or memory is short): the sweep empties the cache
 * every OFFLOADMOD_CG_GONE_SWEEPS runs, and such a cgroup is tracked then.
 */
#define OFFLOADMOD_CG_GONE_BITS	8
#define OFFLOADMOD_CG_GONE_SWEEPS	10

/* Cgroup ids index an xarray: an unsigned long must hold them. */
static_assert(sizeof(unsigned long) >= sizeof(u64));

static DEFINE_HASHTABLE(offloadmod_cg_hash, OFFLOADMOD_CG_HASH_BITS);
/*
 * The same entries by id, in order: walks (dumps, subtree sums, the sweep)
 * resume after an id in O(log n), where a sorted list took O(n) per step.
 */
static DEFINE_XARRAY(offloadmod_cg_xa);
static DEFINE_MUTEX(offloadmod_cg_mutex);	/* writers of both */
static u64 offloadmod_cg_gone[1 << OFFLOADMOD_CG_GONE_BITS] __read_mostly;
static unsigned int offloadmod_cg_sweeps;
static atomic_t offloadmod_cg_count = ATOMIC_INIT(0);
static atomic_t offloadmod_cg_gen = ATOMIC_INIT(1);
static unsigned int offloadmod_cg_max;
static bool offloadmod_cg_stopping;

struct offloadmod_cg_req {
	u64 id[OFFLOADMOD_CG_REQ_SLOTS];	/* 0: free */
	struct irq_work work;
};

static DEFINE_PER_CPU(struct offloadmod_cg_req, offloadmod_cg_reqs);
static DEFINE_PER_CPU(u64 [OFFLOADMOD_LOST_COUNT], offloadmod_lost);

static void offloadmod_cg_create_workfn(struct work_struct *work);
static void offloadmod_cg_sweep_workfn(struct work_struct *work);
static DECLARE_WORK(offloadmod_cg_create_work, offloadmod_cg_create_workfn);
static DECLARE_DELAYED_WORK(offloadmod_cg_sweep_work,
			    offloadmod_cg_sweep_workfn);

void offloadmod_lost_inc(enum offloadmod_lost what)
{
	this_cpu_inc(offloadmod_lost[what]);
}

u64 offloadmod_lost_read(enum offloadmod_lost what)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(offloadmod_lost, cpu)[what]);
	return sum;
}

unsigned int offloadmod_cg_tracked(void)
{
	return atomic_read(&offloadmod_cg_count);
}

/* Changes whenever a cgroup is added or removed: dump consistency. */
unsigned int offloadmod_cg_generation(void)
{
	return atomic_read(&offloadmod_cg_gen);
}

/**
 * offloadmod_cg_lookup() - find a tracked cgroup
 * @id: cgroup v2 id
 *
 * Context: RCU read side (probes: tracepoint or netfilter context).
 * Return: the entry, valid until the read side ends, or NULL.
 */
struct offloadmod_cg *offloadmod_cg_lookup(u64 id)
{
	struct offloadmod_cg *cg;

	hash_for_each_possible_rcu(offloadmod_cg_hash, cg, hnode, id)
		if (cg->id == id)
			return cg;
	return NULL;
}

static u64 *offloadmod_cg_gone_slot(u64 id)
{
	return &offloadmod_cg_gone[hash_64(id, OFFLOADMOD_CG_GONE_BITS)];
}

/* Irq_work: hardirq context, outside any lock the probes ran under. */
static void offloadmod_cg_req_irq_work(struct irq_work *work)
{
	schedule_work(&offloadmod_cg_create_work);
}

/* Ask for @id to be tracked; any context, preemption off. */
static void offloadmod_cg_request(u64 id)
{
	struct offloadmod_cg_req *req = this_cpu_ptr(&offloadmod_cg_reqs);
	int i, free = -1;

	if (READ_ONCE(offloadmod_cg_stopping))
		return;
	for (i = 0; i < OFFLOADMOD_CG_REQ_SLOTS; i++) {
		u64 slot = READ_ONCE(req->id[i]);

		if (slot == id)
			return;
		if (!slot && free < 0)
			free = i;
	}
	if (free < 0 || cmpxchg(&req->id[free], 0, id) != 0)
		return;
	irq_work_queue(&req->work);
}

/**
 * offloadmod_cg_get() - the entry of a cgroup, or a request to track it
 * @id: cgroup v2 id of the cgroup an event belongs to
 *
 * Context: RCU read side, preemption off; never allocates or sleeps, so
 * it is safe from the scheduler's tracepoints.
 * Return: the entry, or NULL if the cgroup is not tracked (yet). The
 * caller counts the event as unattributed; a cgroup over the cap is also
 * counted as overflow here.
 */
struct offloadmod_cg *offloadmod_cg_get(u64 id)
{
	struct offloadmod_cg *cg = offloadmod_cg_lookup(id);

	if (likely(cg))
		return cg;
	if (READ_ONCE(*offloadmod_cg_gone_slot(id)) == id)
		return NULL;
	if (atomic_read(&offloadmod_cg_count) >= offloadmod_cg_max) {
		offloadmod_lost_inc(OFFLOADMOD_LOST_OVERFLOW);
		return NULL;
	}
	offloadmod_cg_request(id);
	return NULL;
}

static void offloadmod_cg_free_rcu(struct rcu_head *rcu)
{
	struct offloadmod_cg *cg = container_of(rcu, struct offloadmod_cg, rcu);

	free_percpu(cg->pcpu);
	if (cg->cgrp)
		cgroup_put(cg->cgrp);
	kfree(cg);
}

/**
 * offloadmod_cg_insert() - track a cgroup
 * @id: its id
 * @cgrp: the cgroup, whose reference the table takes over on success;
 *	NULL only in KUnit
 *
 * Context: process; takes offloadmod_cg_mutex.
 * Return: the new (or already present) entry; ERR_PTR(-ENOSPC) when
 * max_cgroups are tracked, ERR_PTR(-ENOMEM). On error, or if the cgroup
 * was already tracked, the caller keeps its reference.
 */
struct offloadmod_cg *offloadmod_cg_insert(u64 id, struct cgroup *cgrp)
{
	struct offloadmod_cg *cg, *found;
	int err;

	cg = kzalloc(sizeof(*cg), GFP_KERNEL);
	if (cg)
		cg->pcpu = alloc_percpu(struct offloadmod_cg_pcpu);
	if (!cg || !cg->pcpu) {
		kfree(cg);
		offloadmod_lost_inc(OFFLOADMOD_LOST_ALLOC);
		return ERR_PTR(-ENOMEM);
	}
	cg->id = id;

	mutex_lock(&offloadmod_cg_mutex);
	rcu_read_lock();
	found = offloadmod_cg_lookup(id);
	rcu_read_unlock();
	if (found)
		goto out_free;
	if (atomic_read(&offloadmod_cg_count) >= offloadmod_cg_max) {
		found = ERR_PTR(-ENOSPC);
		goto out_free;
	}
	/* Complete before xa_insert() publishes it to readers. */
	cg->cgrp = cgrp;
	/* Not there (looked up above, under the mutex): -EBUSY is a bug. */
	err = xa_insert(&offloadmod_cg_xa, id, cg, GFP_KERNEL);
	if (err) {
		WARN_ON_ONCE(err == -EBUSY);
		offloadmod_lost_inc(OFFLOADMOD_LOST_ALLOC);
		found = ERR_PTR(err);
		goto out_free;
	}
	hash_add_rcu(offloadmod_cg_hash, &cg->hnode, id);
	atomic_inc(&offloadmod_cg_count);
	atomic_inc(&offloadmod_cg_gen);
	if (cgrp)
		offloadmod_debugfs_cg_add(cg);
	mutex_unlock(&offloadmod_cg_mutex);
	return cg;

out_free:
	mutex_unlock(&offloadmod_cg_mutex);
	free_percpu(cg->pcpu);
	kfree(cg);
	return found;
}

/* Caller holds offloadmod_cg_mutex. */
static void offloadmod_cg_remove(struct offloadmod_cg *cg)
{
	offloadmod_debugfs_cg_remove(cg);
	hash_del_rcu(&cg->hnode);
	xa_erase(&offloadmod_cg_xa, cg->id);
	atomic_dec(&offloadmod_cg_count);
	atomic_inc(&offloadmod_cg_gen);
	call_rcu(&cg->rcu, offloadmod_cg_free_rcu);
}

static void offloadmod_cg_create(u64 id)
{
	struct offloadmod_cg *cg;
	struct cgroup *cgrp;

	rcu_read_lock();
	cg = offloadmod_cg_lookup(id);
	rcu_read_unlock();
	if (cg)
		return;
	/* Gone already, or not a cgroup v2 id: nothing to track, ever. */
	cgrp = offloadmod_cgroup_get_by_id(id);
	if (!IS_ERR_OR_NULL(cgrp) && offloadmod_cgroup_removed(cgrp)) {
		cgroup_put(cgrp);
		cgrp = NULL;
	}
	if (IS_ERR_OR_NULL(cgrp)) {
		WRITE_ONCE(*offloadmod_cg_gone_slot(id), id);
		return;
	}
	cg = offloadmod_cg_insert(id, cgrp);
	if (IS_ERR(cg) || cg->cgrp != cgrp)
		cgroup_put(cgrp);
}

static void offloadmod_cg_create_workfn(struct work_struct *work)
{
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct offloadmod_cg_req *req = per_cpu_ptr(&offloadmod_cg_reqs,
							    cpu);

		for (i = 0; i < OFFLOADMOD_CG_REQ_SLOTS; i++) {
			u64 id = xchg(&req->id[i], 0);

			if (id && !READ_ONCE(offloadmod_cg_stopping))
				offloadmod_cg_create(id);
		}
	}
}

/**
 * offloadmod_cgroup_get_by_id() - a live cgroup v2 by id
 * @id: the cgroup id (what stat -c %i prints for its directory)
 *
 * Only cgroups in the caller's cgroup namespace are found; a work item
 * sees every cgroup. The kernel's own lookup where it exports one
 * (compat/cgroup.h).
 *
 * Context: process.
 * Return: the cgroup, referenced (cgroup_put() it), or an ERR_PTR.
 */
struct cgroup *offloadmod_cgroup_get_by_id(u64 id)
{
	return offloadmod_compat_cgroup_get_from_id(id);
}

/*
 * rmdir clears CSS_ONLINE on the cgroup's own css at once, on every kernel
 * from 5.10 to 7.2 (css_is_dying() does not work for the self css on 6.12).
 */
bool offloadmod_cgroup_removed(const struct cgroup *cgrp)
{
	return !(READ_ONCE(cgrp->self.flags) & CSS_ONLINE);
}

/* Free the state of cgroups that were removed (rmdir). */
static void offloadmod_cg_sweep_workfn(struct work_struct *work)
{
	struct offloadmod_cg *cg;
	unsigned long id;

	mutex_lock(&offloadmod_cg_mutex);
	xa_for_each(&offloadmod_cg_xa, id, cg) {
		if (cg->cgrp && offloadmod_cgroup_removed(cg->cgrp))
			offloadmod_cg_remove(cg);
		/* Up to max_cgroups entries: let others run meanwhile. */
		cond_resched();
	}
	mutex_unlock(&offloadmod_cg_mutex);
	if (++offloadmod_cg_sweeps % OFFLOADMOD_CG_GONE_SWEEPS == 0)
		for (id = 0; id < ARRAY_SIZE(offloadmod_cg_gone); id++)
			WRITE_ONCE(offloadmod_cg_gone[id], 0);
	if (!READ_ONCE(offloadmod_cg_stopping))
		schedule_delayed_work(&offloadmod_cg_sweep_work,
				      OFFLOADMOD_CG_SWEEP_PERIOD);
}

/**
 * offloadmod_cg_next() - the tracked cgroup with the smallest id > @after_id
 * @after_id: 0 to start
 *
 * Context: RCU read side (the entry lives until it ends); O(log n).
 * Return: the entry or NULL at the end.
 */
struct offloadmod_cg *offloadmod_cg_next(u64 after_id)
{
	unsigned long index = after_id + 1;

	if (after_id >= ULONG_MAX)
		return NULL;
	return xa_find(&offloadmod_cg_xa, &index, ULONG_MAX, XA_PRESENT);
}

/**
 * offloadmod_cg_in_subtree() - is @cg the cgroup @root_id or below it?
 * @cg: a tracked cgroup
 * @root_id: id of the subtree's root
 *
 * Context: RCU read side.
 */
bool offloadmod_cg_in_subtree(const struct offloadmod_cg *cg, u64 root_id)
{
	struct cgroup *c;

	if (cg->id == root_id)
		return true;
	for (c = cg->cgrp; c; c = cgroup_parent(c))
		if (cgroup_id(c) == root_id)
			return true;
	return false;
}

/**
 * offloadmod_cg_snapshot_add() - add a cgroup's state over all CPUs
 * @snap: the running sum (zeroed to start)
 * @cg: the cgroup
 */
void offloadmod_cg_snapshot_add(struct offloadmod_cg_snapshot *snap,
				const struct offloadmod_cg *cg)
{
	int cpu, d, s;

	for_each_possible_cpu(cpu) {
		const struct offloadmod_cg_pcpu *p = per_cpu_ptr(cg->pcpu, cpu);

		for (d = 0; d < OFFLOADMOD_DIR_COUNT; d++) {
			snap->dir[d].packets += READ_ONCE(p->dir[d].packets);
			snap->dir[d].bytes += READ_ONCE(p->dir[d].bytes);
			snap->dir[d].offload_packets +=
				READ_ONCE(p->dir[d].offload_packets);
			snap->dir[d].offload_segments +=
				READ_ONCE(p->dir[d].offload_segments);
		}
		for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++)
			offloadmod_hist_add(&snap->stage[s], &p->stage[s]);
	}
	snap->cgroups++;
}

/* Zero a cgroup's counters and histograms (see offloadmod_hist_reset_cpus). */
void offloadmod_cg_reset(struct offloadmod_cg *cg)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(cg->pcpu, cpu), 0,
		       sizeof(struct offloadmod_cg_pcpu));
}

/**
 * offloadmod_cg_path() - path of a tracked cgroup below the cgroup2 root
 * @cg: the cgroup
 * @buf: output
 * @len: size of @buf
 *
 * Context: any, including the RCU read side.
 * Return: as kernfs_path(): the length, or a negative error.
 */
int offloadmod_cg_path(const struct offloadmod_cg *cg, char *buf, size_t len)
{
	if (!cg->cgrp)
		return strscpy(buf, "", len);
	return cgroup_path(cg->cgrp, buf, len);
}

int offloadmod_cgstats_init(unsigned int max_cgroups)
{
	int cpu;

	offloadmod_cg_max = max_cgroups;
	memset(offloadmod_cg_gone, 0, sizeof(offloadmod_cg_gone));
	offloadmod_cg_sweeps = 0;
	WRITE_ONCE(offloadmod_cg_stopping, false);
	for_each_possible_cpu(cpu)
		init_irq_work(&per_cpu_ptr(&offloadmod_cg_reqs, cpu)->work,
			      offloadmod_cg_req_irq_work);
	schedule_delayed_work(&offloadmod_cg_sweep_work,
			      OFFLOADMOD_CG_SWEEP_PERIOD);
	return 0;
}

/* Call once no probe can run any more. */
void offloadmod_cgstats_exit(void)
{
	struct offloadmod_cg *cg;
	unsigned long id;
	int cpu, i;

	WRITE_ONCE(offloadmod_cg_stopping, true);
	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&offloadmod_cg_reqs, cpu)->work);
	cancel_work_sync(&offloadmod_cg_create_work);
	cancel_delayed_work_sync(&offloadmod_cg_sweep_work);

	mutex_lock(&offloadmod_cg_mutex);
	xa_for_each(&offloadmod_cg_xa, id, cg) {
		offloadmod_cg_remove(cg);
		cond_resched();
	}
	WARN_ON_ONCE(!xa_empty(&offloadmod_cg_xa));
	mutex_unlock(&offloadmod_cg_mutex);
	for_each_possible_cpu(cpu)
		for (i = 0; i < OFFLOADMOD_CG_REQ_SLOTS; i++)
			per_cpu_ptr(&offloadmod_cg_reqs, cpu)->id[i] = 0;
	/* The RCU callbacks free memory and drop cgroup references. */
	rcu_barrier();
}
