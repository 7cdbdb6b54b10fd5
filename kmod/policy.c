// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup policy table: cgroup v2 id -> policy. Readers (socket state
 * changes, the enforcement passes, netlink gets) look policies up under
 * RCU; writers hold offloadmod_policy_mutex. A policy holds a reference on
 * its cgroup so that the cgroup's ancestry can be walked and its removal
 * seen; policies of removed cgroups are unlinked by the enforcement worker.
 *
 * Pure table logic only (no sockets, no netlink), so that KUnit can test it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/hashtable.h>
#include <linux/offloadmod.h>
#include <linux/slab.h>

#include "cgstats.h"
#include "policy.h"

#define OFFLOADMOD_POLICY_HASH_BITS	8

static DEFINE_HASHTABLE(offloadmod_policy_hash, OFFLOADMOD_POLICY_HASH_BITS);
/* Sorted by cgroup id: dumps resume after the last id they sent. */
static LIST_HEAD(offloadmod_policy_list);
static atomic_t offloadmod_policy_count = ATOMIC_INIT(0);
/* Bumped by every change; dumps flag a change with NLM_F_DUMP_INTR. */
static atomic_t offloadmod_policy_gen = ATOMIC_INIT(0);

/* Serializes changes to the table and its policies' values. */
DEFINE_MUTEX(offloadmod_policy_mutex);

/* Record bound of policies created from now on (policy_sockets_max). */
unsigned int offloadmod_policy_recs_max = OFFLOADMOD_POLICY_RECS_MAX;

/**
 * offloadmod_policy_validate() - check values beyond what a range can say
 * @v: the values a policy would have after a set
 * @msg: set to a message naming the attribute on error
 * @attr: set to the attribute (OFFLOADMOD_A_POLICY_*) on error
 *
 * Each number is either 0 (not set) or in its range; the netlink policy
 * already bounds them from above.
 *
 * Return: 0, or -ERANGE with @msg and @attr set.
 */
int offloadmod_policy_validate(const struct offloadmod_policy_values *v,
			       const char **msg, int *attr)
{
	if (v->mode > OFFLOADMOD_POLICY_MODE_AUDIT) {
		*attr = OFFLOADMOD_A_POLICY_MODE;
		*msg = "mode: must be enforce (0) or audit (1)";
		return -ERANGE;
	}
	if (v->gso_max_size &&
	    (v->gso_max_size < OFFLOADMOD_POLICY_GSO_MAX_SIZE_MIN ||
	     v->gso_max_size > OFFLOADMOD_POLICY_GSO_MAX_SIZE_MAX)) {
		*attr = OFFLOADMOD_A_POLICY_GSO_MAX_SIZE;
		*msg = "gso-max-size: 0 (no cap) or 2048..524288 bytes";
		return -ERANGE;
	}
	if (v->gso_max_segs > OFFLOADMOD_POLICY_GSO_MAX_SEGS_MAX) {
		*attr = OFFLOADMOD_A_POLICY_GSO_MAX_SEGS;
		*msg = "gso-max-segs: 0 (no cap) or 1..65535";
		return -ERANGE;
	}
	if (v->busy_poll_us > OFFLOADMOD_POLICY_BUSY_POLL_MAX) {
		*attr = OFFLOADMOD_A_POLICY_BUSY_POLL;
		*msg = "busy-poll: 0 (not set) or 1..1000000 microseconds";
		return -ERANGE;
	}
	return 0;
}

/* Context: RCU read side or offloadmod_policy_mutex. */
struct offloadmod_policy *offloadmod_policy_lookup(u64 cgroup_id)
{
	struct offloadmod_policy *pol;

	hash_for_each_possible_rcu(offloadmod_policy_hash, pol, hnode,
				   cgroup_id,
				   lockdep_is_held(&offloadmod_policy_mutex))
		if (pol->cgroup_id == cgroup_id)
			return pol;
	return NULL;
}

/**
 * offloadmod_policy_resolve_ids() - the policy nearest to a cgroup
 * @ids: cgroup ids from the cgroup itself towards the root
 * @n: how many
 *
 * Context: RCU read side.
 * Return: the policy of the first id that has one, or NULL.
 */
struct offloadmod_policy *
offloadmod_policy_resolve_ids(const u64 *ids, unsigned int n)
{
	struct offloadmod_policy *pol;
	unsigned int i;

	for (i = 0; i < n; i++) {
		pol = offloadmod_policy_lookup(ids[i]);
		if (pol)
			return pol;
	}
	return NULL;
}

/**
 * offloadmod_policy_resolve() - the policy that applies to a cgroup
 * @cgrp: the cgroup (a socket's or a task's)
 *
 * Its own policy, else its parent's, and so on up to the root. The walk
 * goes in batches of ids so the resolution itself is the one KUnit tests.
 *
 * Context: RCU read side.
 * Return: the policy or NULL.
 */
struct offloadmod_policy *offloadmod_policy_resolve(struct cgroup *cgrp)
{
	struct offloadmod_policy *pol;
	u64 ids[8];
	unsigned int n;

	if (!atomic_read(&offloadmod_policy_count))
		return NULL;
	while (cgrp) {
		for (n = 0; cgrp && n < ARRAY_SIZE(ids); n++) {
			ids[n] = cgroup_id(cgrp);
			cgrp = cgroup_parent(cgrp);
		}
		pol = offloadmod_policy_resolve_ids(ids, n);
		if (pol)
			return pol;
	}
	return NULL;
}

/**
 * offloadmod_policy_next() - the policy with the smallest id > @after_id
 * @after_id: 0 to start
 *
 * Context: RCU read side.
 */
struct offloadmod_policy *offloadmod_policy_next(u64 after_id)
{
	struct offloadmod_policy *pol;

	list_for_each_entry_rcu(pol, &offloadmod_policy_list, lnode)
		if (pol->cgroup_id > after_id)
			return pol;
	return NULL;
}

/**
 * offloadmod_policy_insert() - add an empty policy for a cgroup
 * @cgroup_id: its id
 * @cgrp: the cgroup; the new policy owns this reference (NULL in KUnit)
 *
 * Context: offloadmod_policy_mutex held; the cgroup has no policy yet.
 * Return: the policy (values zeroed: enforce, nothing set), or NULL when
 * out of memory (the reference is then still the caller's).
 */
struct offloadmod_policy *offloadmod_policy_insert(u64 cgroup_id,
						   struct cgroup *cgrp)
{
	struct offloadmod_policy *pol, *pos;

	lockdep_assert_held(&offloadmod_policy_mutex);
	pol = kzalloc(sizeof(*pol), GFP_KERNEL);
	if (!pol)
		return NULL;
	pol->cgroup_id = cgroup_id;
	pol->cgrp = cgrp;
	pol->gen = 1;
	refcount_set(&pol->ref, 1);
	spin_lock_init(&pol->recs_lock);
	INIT_LIST_HEAD(&pol->recs);
	INIT_LIST_HEAD(&pol->retired);
	pol->recs_max = READ_ONCE(offloadmod_policy_recs_max);
	list_for_each_entry(pos, &offloadmod_policy_list, lnode)
		if (pos->cgroup_id > cgroup_id)
			break;
	list_add_tail_rcu(&pol->lnode, &pos->lnode);
	hash_add_rcu(offloadmod_policy_hash, &pol->hnode, cgroup_id);
	atomic_inc(&offloadmod_policy_count);
	offloadmod_policy_changed();
	return pol;
}

/*
 * Context: offloadmod_policy_mutex held. The table's reference becomes the
 * caller's: offloadmod_policy_put(), or offloadmod_sockpolicy_retire().
 */
void offloadmod_policy_unlink(struct offloadmod_policy *pol)
{
	lockdep_assert_held(&offloadmod_policy_mutex);
	hash_del_rcu(&pol->hnode);
	list_del_rcu(&pol->lnode);
	atomic_dec(&offloadmod_policy_count);
	offloadmod_policy_changed();
}

static void offloadmod_policy_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct offloadmod_policy, rcu));
}

/*
 * Drop a reference; the last one (of an unlinked policy without socket
 * records) frees it once no RCU reader can see it. Context: process (the
 * cgroup's release is not for an RCU callback).
 */
void offloadmod_policy_put(struct offloadmod_policy *pol)
{
	if (!refcount_dec_and_test(&pol->ref))
		return;
	WARN_ON_ONCE(pol->nrecs);
	if (pol->cgrp)
		cgroup_put(pol->cgrp);
	call_rcu(&pol->rcu, offloadmod_policy_free_rcu);
}

/**
 * offloadmod_policy_bump() - the policy's values (or its place) changed
 * @pol: the policy; its new values are written already
 *
 * Socket records synced to the old generation are synced again by the
 * enforcement worker. Readers read gen before the values (smp_rmb()), so a
 * record that says the new generation was synced to the new values.
 *
 * Context: offloadmod_policy_mutex held.
 */
void offloadmod_policy_bump(struct offloadmod_policy *pol)
{
	unsigned int gen = pol->gen + 1;

	lockdep_assert_held(&offloadmod_policy_mutex);
	smp_wmb();	/* values before gen; pairs with smp_rmb() of readers */
	WRITE_ONCE(pol->gen, gen ? gen : 1);
	set_bit(OFFLOADMOD_POLICY_RESYNC, &pol->flags);
}

/**
 * offloadmod_policy_unlink_removed() - unlink a policy whose cgroup is gone
 *
 * Context: offloadmod_policy_mutex held.
 * Return: one policy of a removed (rmdir) cgroup, unlinked, or NULL.
 */
struct offloadmod_policy *offloadmod_policy_unlink_removed(void)
{
	struct offloadmod_policy *pol;

	lockdep_assert_held(&offloadmod_policy_mutex);
	list_for_each_entry(pol, &offloadmod_policy_list, lnode) {
		if (pol->cgrp && offloadmod_cgroup_removed(pol->cgrp)) {
			offloadmod_policy_unlink(pol);
			return pol;
		}
	}
	return NULL;
}

/*
 * Unlink every policy and hand it to the enforcement worker (which restores
 * its sockets and then frees it). Context: offloadmod_policy_mutex held.
 */
void offloadmod_policy_clear(void)
{
	struct offloadmod_policy *pol, *tmp;

	list_for_each_entry_safe(pol, tmp, &offloadmod_policy_list, lnode) {
		offloadmod_policy_unlink(pol);
		offloadmod_sockpolicy_retire(pol, false);
	}
}

/* Is there any policy? Cheap enough for every socket state change. */
bool offloadmod_policy_any(void)
{
	return atomic_read(&offloadmod_policy_count) != 0;
}

unsigned int offloadmod_policy_generation(void)
{
	return atomic_read(&offloadmod_policy_gen);
}

void offloadmod_policy_changed(void)
{
	atomic_inc(&offloadmod_policy_gen);
}
