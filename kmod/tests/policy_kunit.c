// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "offloadmod_policy": cgroup policy values, the policy table
 * and its resolution along a cgroup's ancestry, the per-socket restore
 * bookkeeping of enforcement, and the socket records: bounded per policy,
 * moved with their socket from one policy to another, dropped at close,
 * tested in isolation.
 *
 * As in the other suites, the sources under test are #included. Policies
 * are inserted without a cgroup (NULL), which the table allows for tests;
 * sockets are zeroed struct socks without a route, so undoing a change
 * does not recompute capabilities (nothing to recompute them from). The
 * worker (sockpolicy_work.c) is not under test: a retired policy's records
 * are dropped at once.
 */
#include "../policy.c"
#include "../sockpolicy.c"

#include <kunit/test.h>
#include <linux/offloadmod.h>
#include <linux/slab.h>
#include <net/sock.h>

/* policy_nl.c is not under test: count what would have been announced. */
static atomic_t test_del_notified = ATOMIC_INIT(0);

void offloadmod_policy_notify_del(u64 cgroup_id)
{
	atomic_inc(&test_del_notified);
}

/* Nor is the worker: a retired policy loses its records at once. */
void offloadmod_sockpolicy_retire(struct offloadmod_policy *pol, bool scan)
{
	offloadmod_sockrec_force_release(pol);
	offloadmod_policy_put(pol);
}

static void test_validate(struct kunit *test)
{
	static const struct {
		struct offloadmod_policy_values v;
		int attr;	/* 0: valid */
	} cases[] = {
		{ { .gso_off = true }, 0 },
		{ { .gso_max_size = 0 }, 0 },
		{ { .gso_max_size = 2047 }, OFFLOADMOD_A_POLICY_GSO_MAX_SIZE },
		{ { .gso_max_size = 2048 }, 0 },
		{ { .gso_max_size = 524288 }, 0 },
		{ { .gso_max_size = 524289 }, OFFLOADMOD_A_POLICY_GSO_MAX_SIZE },
		{ { .gso_max_segs = 1 }, 0 },
		{ { .gso_max_segs = 65535 }, 0 },
		{ { .gso_max_segs = 65536 }, OFFLOADMOD_A_POLICY_GSO_MAX_SEGS },
		{ { .busy_poll_us = 1000000 }, 0 },
		{ { .busy_poll_us = 1000001 }, OFFLOADMOD_A_POLICY_BUSY_POLL },
		{ { .mode = OFFLOADMOD_POLICY_MODE_AUDIT }, 0 },
		{ { .mode = 2 }, OFFLOADMOD_A_POLICY_MODE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *msg = NULL;
		int attr = 0;
		int err = offloadmod_policy_validate(&cases[i].v, &msg, &attr);
		int want = 0;

		if (cases[i].attr)
			want = -ERANGE;
		KUNIT_EXPECT_EQ_MSG(test, err, want, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, attr, cases[i].attr, "case %u", i);
		if (cases[i].attr)
			KUNIT_EXPECT_NOT_NULL_MSG(test, msg, "case %u", i);
	}
}

static struct offloadmod_policy *test_insert(struct kunit *test, u64 id)
{
	struct offloadmod_policy *pol;

	mutex_lock(&offloadmod_policy_mutex);
	pol = offloadmod_policy_insert(id, NULL);
	mutex_unlock(&offloadmod_policy_mutex);
	KUNIT_EXPECT_NOT_NULL(test, pol);
	return pol;
}

static void test_clear(void)
{
	mutex_lock(&offloadmod_policy_mutex);
	offloadmod_policy_clear();
	mutex_unlock(&offloadmod_policy_mutex);
	rcu_barrier();
}

/* A cgroup's own policy wins; else the nearest ancestor's; else none. */
static void test_resolve_ancestry(struct kunit *test)
{
	/* root 1 > pod 20 > container 300 > nested 4000 */
	const u64 nested[] = { 4000, 300, 20, 1 };
	const u64 sibling[] = { 301, 20, 1 };
	const u64 other[] = { 50, 1 };
	struct offloadmod_policy *pod, *ctr, *got;

	KUNIT_EXPECT_FALSE(test, offloadmod_policy_any());
	pod = test_insert(test, 20);
	ctr = test_insert(test, 300);
	KUNIT_EXPECT_TRUE(test, offloadmod_policy_any());

	rcu_read_lock();
	got = offloadmod_policy_resolve_ids(nested, ARRAY_SIZE(nested));
	KUNIT_EXPECT_PTR_EQ(test, got, ctr);
	got = offloadmod_policy_resolve_ids(nested + 1, 3);
	KUNIT_EXPECT_PTR_EQ(test, got, ctr);
	got = offloadmod_policy_resolve_ids(sibling, ARRAY_SIZE(sibling));
	KUNIT_EXPECT_PTR_EQ(test, got, pod);
	got = offloadmod_policy_resolve_ids(other, ARRAY_SIZE(other));
	KUNIT_EXPECT_NULL(test, got);
	rcu_read_unlock();

	/* Without the container's own policy, the pod's reaches it. */
	mutex_lock(&offloadmod_policy_mutex);
	offloadmod_policy_unlink(ctr);
	mutex_unlock(&offloadmod_policy_mutex);
	offloadmod_policy_put(ctr);
	rcu_read_lock();
	got = offloadmod_policy_resolve_ids(nested, ARRAY_SIZE(nested));
	KUNIT_EXPECT_PTR_EQ(test, got, pod);
	rcu_read_unlock();
	test_clear();
	KUNIT_EXPECT_FALSE(test, offloadmod_policy_any());
}

/* The list stays sorted by id (dumps resume after the last id sent). */
static void test_table_order(struct kunit *test)
{
	const u64 ids[] = { 70, 5, 900, 6 };
	const u64 sorted[] = { 5, 6, 70, 900 };
	struct offloadmod_policy *pol;
	unsigned int i, gen = offloadmod_policy_generation();

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		test_insert(test, ids[i]);
	KUNIT_EXPECT_NE(test, gen, offloadmod_policy_generation());
	rcu_read_lock();
	pol = offloadmod_policy_next(0);
	for (i = 0; i < ARRAY_SIZE(sorted) && pol; i++) {
		KUNIT_EXPECT_EQ(test, pol->cgroup_id, sorted[i]);
		pol = offloadmod_policy_next(pol->cgroup_id);
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(sorted));
	KUNIT_EXPECT_NULL(test, pol);
	rcu_read_unlock();
	/* Policies without a cgroup are never taken for removed ones. */
	mutex_lock(&offloadmod_policy_mutex);
	KUNIT_EXPECT_NULL(test, offloadmod_policy_unlink_removed());
	mutex_unlock(&offloadmod_policy_mutex);
	test_clear();
}

static struct sock *test_sock(struct kunit *test)
{
	struct sock *sk = kunit_kzalloc(test, sizeof(*sk), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sk);
	refcount_set(&sk->sk_refcnt, 1);
	sk->sk_state = TCP_ESTABLISHED;
	sk->sk_gso_max_size = 65536 - (MAX_TCP_HEADER + 1);
	sk->sk_gso_max_segs = 65535;
	sk->sk_ll_usec = 7;
	return sk;
}

/* Enforce records what it changed; undo puts back exactly that. */
static void test_restore_bookkeeping(struct kunit *test)
{
	struct offloadmod_policy_values v = {
		.gso_off = true, .gso_max_size = 16384, .busy_poll_us = 50,
	};
	struct offloadmod_sockrec rec = {};
	struct sock *sk = test_sock(test);

	KUNIT_EXPECT_TRUE(test, offloadmod_sock_differs(sk, &v));
	KUNIT_EXPECT_TRUE(test, offloadmod_sock_enforce(sk, &rec, &v));
	KUNIT_EXPECT_TRUE(test, offloadmod_sk_gso_disabled(sk));
	KUNIT_EXPECT_EQ(test, sk->sk_gso_max_segs, 1);
	KUNIT_EXPECT_EQ(test, sk->sk_gso_max_size,
			16384 - (MAX_TCP_HEADER + 1));
	KUNIT_EXPECT_EQ(test, sk->sk_ll_usec, 50);
	KUNIT_EXPECT_TRUE(test, rec.gso_disabled);
	KUNIT_EXPECT_TRUE(test, rec.capped);
	KUNIT_EXPECT_TRUE(test, rec.ll_set);
	KUNIT_EXPECT_EQ(test, rec.orig_ll_usec, 7);
	/* Idempotent: nothing left to change, nothing counted twice. */
	KUNIT_EXPECT_FALSE(test, offloadmod_sock_differs(sk, &v));
	KUNIT_EXPECT_FALSE(test, offloadmod_sock_enforce(sk, &rec, &v));
	/* The application changes busy polling again: enforced again, the
	 * value saved first is still the one to restore.
	 */
	sk->sk_ll_usec = 9;
	KUNIT_EXPECT_TRUE(test, offloadmod_sock_enforce(sk, &rec, &v));
	KUNIT_EXPECT_EQ(test, rec.orig_ll_usec, 7);

	rcu_read_lock();
	offloadmod_sock_undo(sk, &rec);
	rcu_read_unlock();
	KUNIT_EXPECT_FALSE(test, offloadmod_sk_gso_disabled(sk));
	KUNIT_EXPECT_EQ(test, sk->sk_ll_usec, 7);
	KUNIT_EXPECT_FALSE(test, rec.gso_disabled || rec.capped || rec.ll_set);
}

/* GSO disabled by someone else (TCP-MD5) stays disabled after undo. */
static void test_restore_keeps_foreign_gso_off(struct kunit *test)
{
	struct offloadmod_policy_values v = { .gso_off = true };
	struct offloadmod_sockrec rec = {};
	struct sock *sk = test_sock(test);

	offloadmod_sk_gso_disable(sk);
	offloadmod_sock_enforce(sk, &rec, &v);
	KUNIT_EXPECT_FALSE(test, rec.gso_disabled);
	rcu_read_lock();
	offloadmod_sock_undo(sk, &rec);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, offloadmod_sk_gso_disabled(sk));
}

/* Caps only ever lower what the kernel computed. */
static void test_caps_never_raise(struct kunit *test)
{
	struct offloadmod_policy_values v = {
		.gso_max_size = 524288, .gso_max_segs = 64,
	};
	struct offloadmod_sockrec rec = {};
	struct sock *sk = test_sock(test);

	sk->sk_gso_max_segs = 16;
	KUNIT_EXPECT_FALSE(test, offloadmod_sock_differs(sk, &v));
	KUNIT_EXPECT_FALSE(test, offloadmod_sock_enforce(sk, &rec, &v));
	KUNIT_EXPECT_EQ(test, sk->sk_gso_max_segs, 16);
	KUNIT_EXPECT_EQ(test, sk->sk_gso_max_size,
			65536 - (MAX_TCP_HEADER + 1));
	KUNIT_EXPECT_FALSE(test, rec.capped);
}

static int test_records_init(struct kunit *test)
{
	return offloadmod_sockrec_init();
}

static void test_records_exit(struct kunit *test)
{
	test_clear();
	offloadmod_sockrec_destroy();
}

/* offloadmod_sock_sync_to() as a socket event calls it. */
static void test_sync(struct sock *sk, struct offloadmod_policy *pol,
		      int state)
{
	rcu_read_lock();
	offloadmod_sock_sync_to(sk, pol, state, NULL);
	rcu_read_unlock();
}

/*
 * The record bound is per policy: a full policy counts an error and
 * leaves its socket alone, another policy still takes records.
 */
static void test_records_bounded_per_policy(struct kunit *test)
{
	struct offloadmod_policy *full = test_insert(test, 10);
	struct offloadmod_policy *other = test_insert(test, 11);
	struct sock *sk[4];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, full);
	KUNIT_ASSERT_NOT_NULL(test, other);
	full->v.gso_off = true;
	other->v.gso_off = true;
	full->recs_max = 2;
	for (i = 0; i < ARRAY_SIZE(sk); i++)
		sk[i] = test_sock(test);
	for (i = 0; i < 3; i++)
		test_sync(sk[i], full, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, full->nrecs, 2);
	KUNIT_EXPECT_EQ(test, atomic64_read(&full->errors), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&full->sockets), 2);
	KUNIT_EXPECT_TRUE(test, offloadmod_sk_gso_disabled(sk[0]));
	KUNIT_EXPECT_FALSE(test, offloadmod_sk_gso_disabled(sk[2]));
	/* Each governed socket is referenced by its record. */
	KUNIT_EXPECT_EQ(test, refcount_read(&sk[0]->sk_refcnt), 2);
	KUNIT_EXPECT_EQ(test, refcount_read(&sk[2]->sk_refcnt), 1);

	test_sync(sk[3], other, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, other->nrecs, 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&other->errors), 0);
	KUNIT_EXPECT_TRUE(test, offloadmod_sk_gso_disabled(sk[3]));

	/* Closing gives the socket back and frees room under the bound. */
	test_sync(sk[0], full, TCP_CLOSE);
	KUNIT_EXPECT_FALSE(test, offloadmod_sk_gso_disabled(sk[0]));
	KUNIT_EXPECT_EQ(test, refcount_read(&sk[0]->sk_refcnt), 1);
	test_sync(sk[2], full, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, full->nrecs, 2);
	KUNIT_EXPECT_TRUE(test, offloadmod_sk_gso_disabled(sk[2]));
	test_clear();
	for (i = 0; i < ARRAY_SIZE(sk); i++)
		KUNIT_EXPECT_EQ(test, refcount_read(&sk[i]->sk_refcnt), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&offloadmod_sockrec_count), 0);
}

/*
 * A socket that another policy governs now is undone and moves with its
 * record; with no policy at all it is restored and its record goes.
 */
static void test_records_move(struct kunit *test)
{
	struct offloadmod_policy *pod = test_insert(test, 20);
	struct offloadmod_policy *ctr = test_insert(test, 300);
	struct sock *sk = test_sock(test);
	struct offloadmod_sockrec *rec;

	KUNIT_ASSERT_NOT_NULL(test, pod);
	KUNIT_ASSERT_NOT_NULL(test, ctr);
	pod->v.gso_off = true;
	pod->v.busy_poll_us = 50;
	ctr->v.gso_max_size = 16384;
	test_sync(sk, pod, TCP_ESTABLISHED);
	KUNIT_EXPECT_TRUE(test, offloadmod_sk_gso_disabled(sk));
	KUNIT_EXPECT_EQ(test, sk->sk_ll_usec, 50);
	KUNIT_EXPECT_EQ(test, atomic_read(&pod->sockets), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&pod->sockets_adjusted), 1);
	rcu_read_lock();
	rec = offloadmod_sockrec_lookup(sk);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->synced_gen, pod->gen);
	/* Synced again to the same values: nothing counted twice. */
	test_sync(sk, pod, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, atomic64_read(&pod->sockets_adjusted), 1);

	test_sync(sk, ctr, TCP_ESTABLISHED);
	KUNIT_EXPECT_FALSE(test, offloadmod_sk_gso_disabled(sk));
	KUNIT_EXPECT_EQ(test, sk->sk_ll_usec, 7);
	KUNIT_EXPECT_EQ(test, sk->sk_gso_max_size,
			16384 - (MAX_TCP_HEADER + 1));
	KUNIT_EXPECT_EQ(test, pod->nrecs, 0);
	KUNIT_EXPECT_EQ(test, ctr->nrecs, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&pod->sockets), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctr->sockets), 1);

	test_sync(sk, NULL, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, ctr->nrecs, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctr->sockets), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&sk->sk_refcnt), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&offloadmod_sockrec_count), 0);
	test_clear();
}

/* Audit mode counts a socket once and changes nothing. */
static void test_records_audit(struct kunit *test)
{
	struct offloadmod_policy *pol = test_insert(test, 30);
	struct sock *sk = test_sock(test);

	KUNIT_ASSERT_NOT_NULL(test, pol);
	pol->v.gso_off = true;
	pol->v.mode = OFFLOADMOD_POLICY_MODE_AUDIT;
	test_sync(sk, pol, TCP_ESTABLISHED);
	test_sync(sk, pol, TCP_ESTABLISHED);
	KUNIT_EXPECT_FALSE(test, offloadmod_sk_gso_disabled(sk));
	KUNIT_EXPECT_EQ(test, atomic64_read(&pol->audit_would_adjust), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&pol->sockets), 0);
	KUNIT_EXPECT_EQ(test, pol->nrecs, 1);
	test_clear();
	KUNIT_EXPECT_EQ(test, refcount_read(&sk->sk_refcnt), 1);
}

static struct kunit_case offloadmod_policy_test_cases[] = {
	KUNIT_CASE(test_validate),
	KUNIT_CASE(test_resolve_ancestry),
	KUNIT_CASE(test_table_order),
	KUNIT_CASE(test_restore_bookkeeping),
	KUNIT_CASE(test_restore_keeps_foreign_gso_off),
	KUNIT_CASE(test_caps_never_raise),
	{}
};

static struct kunit_case offloadmod_sockrec_test_cases[] = {
	KUNIT_CASE(test_records_bounded_per_policy),
	KUNIT_CASE(test_records_move),
	KUNIT_CASE(test_records_audit),
	{}
};

static struct kunit_suite offloadmod_policy_test_suite = {
	.name = "offloadmod_policy",
	.test_cases = offloadmod_policy_test_cases,
};

static struct kunit_suite offloadmod_sockrec_test_suite = {
	.name = "offloadmod_policy_records",
	.init = test_records_init,
	.exit = test_records_exit,
	.test_cases = offloadmod_sockrec_test_cases,
};

kunit_test_suites(&offloadmod_policy_test_suite,
		  &offloadmod_sockrec_test_suite);
