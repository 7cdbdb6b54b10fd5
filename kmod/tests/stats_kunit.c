// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "offloadmod_stats": latency histograms, the table of tracked
 * cgroups and the stats-get reply encoding, tested in isolation.
 *
 * As in offloadmod_kunit.c, the sources under test are #included rather
 * than linked; this file is the only one of offloadmod_kunit.ko that
 * includes them. cgstats.c keeps its table in static globals: every test
 * case that uses it calls offloadmod_cgstats_init() and, on every path,
 * offloadmod_cgstats_exit(), so no work item outlives the case.
 *
 * Tests avoid KUNIT_ASSERT_*() once they own memory or the table: an
 * assertion ends the test case on the spot and would leak it (kmemleak
 * runs in the test VM). kunit_k*alloc() memory is freed by KUnit itself.
 */
#include "../cgstats.c"
#include "../hist.c"
#include "../stats_msg.c"

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <linux/offloadmod_hist.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <net/netlink.h>

#define TEST_LAST_BUCKET	(OFFLOADMOD_HIST_BUCKETS - 1)
#define TEST_NSEC_PER_SEC	1000000000ULL

static const char * const test_stage_names[] = OFFLOADMOD_STAGE_NAMES;

/*
 * debugfs is not under test. cgstats.c only adds entries for a real
 * cgroup, which tests never pass; it removes every entry it frees.
 */
static atomic_t test_debugfs_adds = ATOMIC_INIT(0);
static atomic_t test_debugfs_removes = ATOMIC_INIT(0);

void offloadmod_debugfs_cg_add(struct offloadmod_cg *cg)
{
	atomic_inc(&test_debugfs_adds);
}

void offloadmod_debugfs_cg_remove(struct offloadmod_cg *cg)
{
	atomic_inc(&test_debugfs_removes);
	cg->debugfs = NULL;
}

/* What offloadmod_hist_record() does, on a copy the caller names. */
static void test_hist_put(struct offloadmod_hist *h, u64 ns)
{
	if (!h->count || ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
	h->buckets[offloadmod_hist_index(ns)]++;
	h->sum += ns;
	h->count++;
}

static void test_expect_hist_eq(struct kunit *test,
				const struct offloadmod_hist *got,
				const struct offloadmod_hist *want,
				const char *what)
{
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, got->count, want->count, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, got->sum, want->sum, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, got->untimed, want->untimed, "%s", what);
	if (want->count) {
		KUNIT_EXPECT_EQ_MSG(test, got->min, want->min, "%s", what);
		KUNIT_EXPECT_EQ_MSG(test, got->max, want->max, "%s", what);
	}
	for (i = 0; i < OFFLOADMOD_HIST_BUCKETS; i++)
		KUNIT_EXPECT_EQ_MSG(test, got->buckets[i], want->buckets[i],
				    "%s: bucket %u", what, i);
}

/* 1. Bucket geometry: edges, indices and widths agree. */
static void hist_bucket_edges(struct kunit *test)
{
	u64 lower, upper, v;
	unsigned int i;

	for (i = 0; i < TEST_LAST_BUCKET; i++) {
		lower = offloadmod_hist_lower(i);
		upper = offloadmod_hist_upper(i);
		KUNIT_EXPECT_LT_MSG(test, lower, upper, "bucket %u", i);
		KUNIT_EXPECT_EQ_MSG(test, offloadmod_hist_index(lower), i,
				    "bucket %u: lower %llu", i, lower);
		KUNIT_EXPECT_EQ_MSG(test, offloadmod_hist_index(upper - 1), i,
				    "bucket %u: upper %llu", i, upper);
		KUNIT_EXPECT_EQ_MSG(test, upper, offloadmod_hist_lower(i + 1),
				    "bucket %u", i);
		if (i >= OFFLOADMOD_HIST_SUB)
			KUNIT_EXPECT_LE_MSG(test, upper - lower, lower / 16,
					    "bucket %u: [%llu, %llu)", i,
					    lower, upper);
	}
	lower = offloadmod_hist_lower(TEST_LAST_BUCKET);
	KUNIT_EXPECT_EQ(test, offloadmod_hist_index(lower), TEST_LAST_BUCKET);

	for (v = 0; v < OFFLOADMOD_HIST_SUB; v++) {
		KUNIT_EXPECT_EQ(test, offloadmod_hist_index(v), (unsigned int)v);
		KUNIT_EXPECT_EQ(test, offloadmod_hist_lower(v), v);
	}

	/* The range a container's latency lives in has real buckets. */
	KUNIT_EXPECT_LT(test, offloadmod_hist_index(100), TEST_LAST_BUCKET);
	KUNIT_EXPECT_LT(test, offloadmod_hist_index(10 * TEST_NSEC_PER_SEC),
			TEST_LAST_BUCKET);
	KUNIT_EXPECT_GT(test, offloadmod_hist_upper(TEST_LAST_BUCKET - 1),
			10 * TEST_NSEC_PER_SEC);

	/* Anything larger lands in the last bucket, nowhere past it. */
	KUNIT_EXPECT_EQ(test, offloadmod_hist_index(BIT_ULL(40)),
			TEST_LAST_BUCKET);
	KUNIT_EXPECT_EQ(test, offloadmod_hist_index(BIT_ULL(63)),
			TEST_LAST_BUCKET);
	KUNIT_EXPECT_EQ(test, offloadmod_hist_index(U64_MAX), TEST_LAST_BUCKET);
}

/* Log-uniform-ish in [50 ns, 20 s]: a random octave, then uniform in it. */
static u64 test_random_ns(struct rnd_state *rs)
{
	u64 base, v;

	do {
		base = 50ULL << (prandom_u32_state(rs) % 29);
		v = (u64)prandom_u32_state(rs) << 32 | prandom_u32_state(rs);
		v = base + div64_u64(v, div64_u64(U64_MAX, base) + 1);
	} while (v > 20 * TEST_NSEC_PER_SEC);
	return v;
}

static int test_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* 2. Quantiles against the sorted samples. */
static void hist_quantiles(struct kunit *test)
{
	static const unsigned int counts[] = { 1, 2, 1000, 10000 };
	static const u32 quantiles[] = {
		500000, 900000, 990000, 999000, 1000000
	};
	struct offloadmod_hist __percpu *h;
	struct offloadmod_hist *sum;
	struct rnd_state rs;
	unsigned int c, i, n, qi;
	u64 *samples, total;

	samples = kunit_kmalloc_array(test, 10000, sizeof(*samples),
				      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, samples);
	sum = kunit_kzalloc(test, sizeof(*sum), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sum);

	/* Empty: 0 whatever the quantile, even with a stale min/max. */
	sum->min = 5;
	sum->max = 7;
	for (qi = 0; qi < ARRAY_SIZE(quantiles); qi++)
		KUNIT_EXPECT_EQ(test, offloadmod_hist_value_at(sum,
							       quantiles[qi]),
				0ULL);

	h = alloc_percpu(struct offloadmod_hist);
	KUNIT_ASSERT_NOT_NULL(test, h);
	prandom_seed_state(&rs, 0x6f66666c6f6164ULL);

	for (c = 0; c < ARRAY_SIZE(counts); c++) {
		n = counts[c];
		total = 0;
		for (i = 0; i < n; i++) {
			samples[i] = test_random_ns(&rs);
			total += samples[i];
		}
		offloadmod_hist_reset_cpus(h);
		preempt_disable();
		for (i = 0; i < n; i++)
			offloadmod_hist_record(h, samples[i]);
		preempt_enable();
		memset(sum, 0, sizeof(*sum));
		offloadmod_hist_sum_cpus(sum, h);

		sort(samples, n, sizeof(*samples), test_cmp_u64, NULL);
		KUNIT_EXPECT_EQ_MSG(test, sum->count, (u64)n, "n %u", n);
		KUNIT_EXPECT_EQ_MSG(test, sum->sum, total, "n %u", n);
		KUNIT_EXPECT_EQ_MSG(test, sum->min, samples[0], "n %u", n);
		KUNIT_EXPECT_EQ_MSG(test, sum->max, samples[n - 1], "n %u", n);

		for (qi = 0; qi < ARRAY_SIZE(quantiles); qi++) {
			u32 q = quantiles[qi];
			/* Rank ceil(q * n), counted from 1. */
			u64 rank = div_u64((u64)n * q + OFFLOADMOD_PPM - 1,
					   OFFLOADMOD_PPM);
			u64 want = samples[max_t(u64, rank, 1) - 1];
			u64 got = offloadmod_hist_value_at(sum, q);

			KUNIT_EXPECT_GE_MSG(test, got, want, "n %u q %u", n, q);
			KUNIT_EXPECT_LE_MSG(test, got, sum->max,
					    "n %u q %u", n, q);
			/* The last bucket is open-ended: only max bounds it. */
			if (want >= offloadmod_hist_lower(TEST_LAST_BUCKET))
				KUNIT_EXPECT_EQ_MSG(test, got, sum->max,
						    "n %u q %u", n, q);
			else
				KUNIT_EXPECT_LE_MSG(test, got, want + want / 16,
						    "n %u q %u", n, q);
		}
	}
	free_percpu(h);
}

/* Beyond the last bucket's lower edge, the max is the only bound. */
static void hist_quantiles_last_bucket(struct kunit *test)
{
	static const u64 samples[] = {
		1000000, 20 * TEST_NSEC_PER_SEC, BIT_ULL(36), 17 * TEST_NSEC_PER_SEC,
	};
	struct offloadmod_hist *h;
	unsigned int i;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	test_hist_put(h, samples[0]);
	test_hist_put(h, samples[1]);
	/* Median: 1 ms, in a bucket of its own; then the largest sample. */
	KUNIT_EXPECT_GE(test, offloadmod_hist_value_at(h, 500000), samples[0]);
	KUNIT_EXPECT_LE(test, offloadmod_hist_value_at(h, 500000),
			samples[0] + samples[0] / 16);
	KUNIT_EXPECT_EQ(test, offloadmod_hist_value_at(h, 500001), samples[1]);
	KUNIT_EXPECT_EQ(test, offloadmod_hist_value_at(h, OFFLOADMOD_PPM),
			samples[1]);

	memset(h, 0, sizeof(*h));
	for (i = 0; i < ARRAY_SIZE(samples); i++)
		test_hist_put(h, samples[i]);
	KUNIT_EXPECT_EQ(test, h->buckets[TEST_LAST_BUCKET], 3ULL);
	KUNIT_EXPECT_EQ(test, offloadmod_hist_value_at(h, 999999), BIT_ULL(36));
	KUNIT_EXPECT_EQ(test, offloadmod_hist_value_at(h, 500000),
			BIT_ULL(36));
	/* Above 100%: clamped, not past the max. */
	KUNIT_EXPECT_EQ(test, offloadmod_hist_value_at(h, U32_MAX),
			BIT_ULL(36));
}

/*
 * Sample @j of the @k-th possible CPU, which has 3 + 2k of them: the
 * minimum is on the last CPU with samples.
 */
static u64 test_cpu_sample(unsigned int k, unsigned int j)
{
	return 100000 / (k + 1) + (u64)j * 7919 * (k + 1);
}

/* 3. Summing and resetting every possible CPU's copy. */
static void hist_percpu_merge(struct kunit *test)
{
	struct offloadmod_hist __percpu *h;
	struct offloadmod_hist *want, *got;
	int cpu, this_cpu, empty_cpu = -1;
	unsigned int k = 0, j, n;
	u64 v;

	want = kunit_kzalloc(test, sizeof(*want), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	got = kunit_kzalloc(test, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	h = alloc_percpu(struct offloadmod_hist);
	KUNIT_ASSERT_NOT_NULL(test, h);

	preempt_disable();
	this_cpu = smp_processor_id();
	/*
	 * One other CPU only has untimed events: its min of 0 must not
	 * become the minimum.
	 */
	for_each_possible_cpu(cpu) {
		if (cpu != this_cpu) {
			empty_cpu = cpu;
			break;
		}
	}
	for_each_possible_cpu(cpu) {
		struct offloadmod_hist *p = per_cpu_ptr(h, cpu);

		n = cpu == empty_cpu ? 0 : 3 + 2 * k;
		for (j = 0; j < n; j++) {
			v = test_cpu_sample(k, j);
			if (cpu == this_cpu && j == 2)
				v = 12 * TEST_NSEC_PER_SEC;	/* the maximum */
			if (cpu == this_cpu)
				offloadmod_hist_record(h, v);
			else
				test_hist_put(p, v);
			test_hist_put(want, v);
		}
		for (j = 0; j <= k; j++) {
			if (cpu == this_cpu)
				offloadmod_hist_untimed(h);
			else
				p->untimed++;
			want->untimed++;
		}
		k++;
	}
	preempt_enable();

	offloadmod_hist_sum_cpus(got, h);
	KUNIT_EXPECT_EQ(test, got->max, 12 * TEST_NSEC_PER_SEC);
	test_expect_hist_eq(test, got, want, "sum");

	offloadmod_hist_reset_cpus(h);
	for_each_possible_cpu(cpu)
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(per_cpu_ptr(h, cpu), 0,
						       sizeof(*got)),
				      "cpu %d", cpu);
	memset(got, 0, sizeof(*got));
	offloadmod_hist_sum_cpus(got, h);
	KUNIT_EXPECT_EQ(test, got->count, 0ULL);
	KUNIT_EXPECT_EQ(test, got->untimed, 0ULL);
	KUNIT_EXPECT_EQ(test, offloadmod_hist_value_at(got, OFFLOADMOD_PPM),
			0ULL);
	free_percpu(h);
}

/* 4. The cap on tracked cgroups, overflow counting, order by id. */
static void cgstats_cap_overflow(struct kunit *test)
{
	struct offloadmod_cg *cg100, *cg101, *cg, *next;
	unsigned int gen, removes;
	u64 overflow, alloc;
	char path[8];
	int err;

	err = offloadmod_cgstats_init(2);
	KUNIT_EXPECT_EQ(test, err, 0);
	overflow = offloadmod_lost_read(OFFLOADMOD_LOST_OVERFLOW);
	alloc = offloadmod_lost_read(OFFLOADMOD_LOST_ALLOC);
	removes = atomic_read(&test_debugfs_removes);
	gen = offloadmod_cg_generation();

	/* Reverse order: walks must come out sorted anyway. */
	cg101 = offloadmod_cg_insert(101, NULL);
	cg100 = offloadmod_cg_insert(100, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(cg101));
	KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(cg100));
	if (IS_ERR_OR_NULL(cg101) || IS_ERR_OR_NULL(cg100))
		goto out;
	KUNIT_EXPECT_EQ(test, cg100->id, 100ULL);
	KUNIT_EXPECT_EQ(test, cg101->id, 101ULL);
	KUNIT_EXPECT_EQ(test, offloadmod_cg_tracked(), 2U);
	KUNIT_EXPECT_EQ(test, offloadmod_cg_generation(), gen + 2);

	/* Over the cap, nothing changes. */
	cg = offloadmod_cg_insert(102, NULL);
	KUNIT_EXPECT_TRUE(test, IS_ERR(cg));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(cg), -ENOSPC);
	/* Already tracked: the entry there is, even at the cap. */
	KUNIT_EXPECT_PTR_EQ(test, offloadmod_cg_insert(100, NULL), cg100);
	KUNIT_EXPECT_EQ(test, offloadmod_cg_tracked(), 2U);
	KUNIT_EXPECT_EQ(test, offloadmod_cg_generation(), gen + 2);
	KUNIT_EXPECT_EQ(test, offloadmod_lost_read(OFFLOADMOD_LOST_ALLOC),
			alloc);

	/* The hot path: an untracked cgroup over the cap is overflow. */
	rcu_read_lock();
	preempt_disable();
	cg = offloadmod_cg_get(102);
	next = offloadmod_cg_get(100);
	preempt_enable();
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, cg);
	KUNIT_EXPECT_PTR_EQ(test, next, cg100);
	KUNIT_EXPECT_EQ(test, offloadmod_lost_read(OFFLOADMOD_LOST_OVERFLOW),
			overflow + 1);

	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, offloadmod_cg_lookup(101), cg101);
	KUNIT_EXPECT_NULL(test, offloadmod_cg_lookup(102));
	KUNIT_EXPECT_PTR_EQ(test, offloadmod_cg_next(0), cg100);
	KUNIT_EXPECT_PTR_EQ(test, offloadmod_cg_next(100), cg101);
	KUNIT_EXPECT_NULL(test, offloadmod_cg_next(101));
	KUNIT_EXPECT_PTR_EQ(test, offloadmod_cg_next(99), cg100);
	rcu_read_unlock();

	/* No cgroup behind the entry: an empty path. */
	memset(path, 'x', sizeof(path));
	KUNIT_EXPECT_EQ(test, offloadmod_cg_path(cg100, path, sizeof(path)),
			0);
	KUNIT_EXPECT_STREQ(test, path, "");

out:
	offloadmod_cgstats_exit();
	KUNIT_EXPECT_EQ(test, offloadmod_cg_tracked(), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&test_debugfs_removes), removes + 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&test_debugfs_adds), 0);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, offloadmod_cg_next(0));
	KUNIT_EXPECT_NULL(test, offloadmod_cg_lookup(100));
	rcu_read_unlock();
}

/* 5. A cgroup's per-CPU state summed into a snapshot, then reset. */
static void cgstats_snapshot_reset(struct kunit *test)
{
	struct offloadmod_cg_snapshot *want, *snap;
	struct offloadmod_cg *cg;
	unsigned int k = 0, d, s, j;
	int cpu;

	want = kunit_kzalloc(test, sizeof(*want), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);

	offloadmod_cgstats_init(4);
	cg = offloadmod_cg_insert(7, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(cg));
	if (IS_ERR_OR_NULL(cg))
		goto out;

	for_each_possible_cpu(cpu) {
		struct offloadmod_cg_pcpu *p = per_cpu_ptr(cg->pcpu, cpu);

		for (d = 0; d < OFFLOADMOD_DIR_COUNT; d++) {
			struct offloadmod_dir_counters *c = &p->dir[d];
			u64 base = (u64)(k + 1) << (32 + d);

			c->packets = base + 1;
			c->bytes = base * 1500 + 2;
			c->offload_packets = k + d + 3;
			c->offload_segments = (k + d + 3) * 45;
			want->dir[d].packets += c->packets;
			want->dir[d].bytes += c->bytes;
			want->dir[d].offload_packets += c->offload_packets;
			want->dir[d].offload_segments += c->offload_segments;
		}
		for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++) {
			u64 ns = 1000ULL * (s + 1) + 97 * k;

			/* Stage s gets s + 1 events on this CPU. */
			for (j = 0; j <= s; j++) {
				test_hist_put(&p->stage[s], ns * (j + 1));
				test_hist_put(&want->stage[s], ns * (j + 1));
			}
			p->stage[s].untimed = k + s;
			want->stage[s].untimed += k + s;
		}
		k++;
	}

	offloadmod_cg_snapshot_add(snap, cg);
	KUNIT_EXPECT_EQ(test, snap->cgroups, 1U);
	for (d = 0; d < OFFLOADMOD_DIR_COUNT; d++) {
		KUNIT_EXPECT_EQ_MSG(test, snap->dir[d].packets,
				    want->dir[d].packets, "dir %u", d);
		KUNIT_EXPECT_EQ_MSG(test, snap->dir[d].bytes,
				    want->dir[d].bytes, "dir %u", d);
		KUNIT_EXPECT_EQ_MSG(test, snap->dir[d].offload_packets,
				    want->dir[d].offload_packets, "dir %u", d);
		KUNIT_EXPECT_EQ_MSG(test, snap->dir[d].offload_segments,
				    want->dir[d].offload_segments, "dir %u", d);
	}
	for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++)
		test_expect_hist_eq(test, &snap->stage[s], &want->stage[s],
				    test_stage_names[s]);

	/* A second cgroup's worth adds up: a running sum. */
	offloadmod_cg_snapshot_add(snap, cg);
	KUNIT_EXPECT_EQ(test, snap->cgroups, 2U);
	KUNIT_EXPECT_EQ(test, snap->dir[OFFLOADMOD_DIR_TX].bytes,
			2 * want->dir[OFFLOADMOD_DIR_TX].bytes);
	KUNIT_EXPECT_EQ(test, snap->stage[OFFLOADMOD_STAGE_SCHED_WAIT].count,
			2 * want->stage[OFFLOADMOD_STAGE_SCHED_WAIT].count);

	offloadmod_cg_reset(cg);
	memset(snap, 0, sizeof(*snap));
	offloadmod_cg_snapshot_add(snap, cg);
	KUNIT_EXPECT_EQ(test, snap->cgroups, 1U);
	KUNIT_EXPECT_NULL(test, memchr_inv(snap->dir, 0, sizeof(snap->dir)));
	KUNIT_EXPECT_NULL(test, memchr_inv(snap->stage, 0,
					   sizeof(snap->stage)));
	/* Reset zeroes counters, it does not untrack. */
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, offloadmod_cg_lookup(7), cg);
	rcu_read_unlock();

out:
	offloadmod_cgstats_exit();
}

/* What a client parses the reply with, written from the YNL spec. */
static const struct nla_policy test_dir_policy[OFFLOADMOD_A_DIR_MAX + 1] = {
	[OFFLOADMOD_A_DIR_PAD] = { .type = NLA_BINARY },
	[OFFLOADMOD_A_DIR_PACKETS] = { .type = NLA_U64 },
	[OFFLOADMOD_A_DIR_BYTES] = { .type = NLA_U64 },
	[OFFLOADMOD_A_DIR_OFFLOAD_PACKETS] = { .type = NLA_U64 },
	[OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS] = { .type = NLA_U64 },
};

static const struct nla_policy
test_stage_policy[OFFLOADMOD_A_STAGE_MAX + 1] = {
	[OFFLOADMOD_A_STAGE_PAD] = { .type = NLA_BINARY },
	[OFFLOADMOD_A_STAGE_ID] = NLA_POLICY_MAX(NLA_U32,
						 OFFLOADMOD_STAGE_COUNT - 1),
	[OFFLOADMOD_A_STAGE_COUNT] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STAGE_SUM_NS] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STAGE_MIN_NS] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STAGE_MAX_NS] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STAGE_UNTIMED] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STAGE_BUCKET_FIRST] =
		NLA_POLICY_MAX(NLA_U32, OFFLOADMOD_HIST_BUCKETS - 1),
	[OFFLOADMOD_A_STAGE_BUCKETS] = { .type = NLA_BINARY },
};

static const struct nla_policy
test_stats_policy[OFFLOADMOD_A_STATS_MAX + 1] = {
	[OFFLOADMOD_A_STATS_PAD] = { .type = NLA_BINARY },
	[OFFLOADMOD_A_STATS_CGROUP_ID] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STATS_RECURSIVE] = { .type = NLA_FLAG },
	[OFFLOADMOD_A_STATS_PATH] = { .type = NLA_NUL_STRING },
	[OFFLOADMOD_A_STATS_CGROUPS] = { .type = NLA_U32 },
	[OFFLOADMOD_A_STATS_RX] = NLA_POLICY_NESTED(test_dir_policy),
	[OFFLOADMOD_A_STATS_TX] = NLA_POLICY_NESTED(test_dir_policy),
	[OFFLOADMOD_A_STATS_STAGE] = NLA_POLICY_NESTED(test_stage_policy),
};

/*
 * A snapshot with every kind of stage: buckets 20 and 300 (rx_stack), no
 * timed event (rx_wait), bucket 0 alone (tx_stack), the last bucket alone
 * (tx_qdisc), one bucket (sched_wait).
 */
static void test_make_snapshot(struct offloadmod_cg_snapshot *snap)
{
	struct offloadmod_hist *h;

	memset(snap, 0, sizeof(*snap));
	snap->id = BIT_ULL(35) + 42;
	snap->cgroups = 3;
	snap->dir[OFFLOADMOD_DIR_RX] = (struct offloadmod_dir_counters){
		.packets = 11, .bytes = BIT_ULL(33) + 1,
		.offload_packets = 4, .offload_segments = 40,
	};
	snap->dir[OFFLOADMOD_DIR_TX] = (struct offloadmod_dir_counters){
		.packets = 22, .bytes = 33000,
		.offload_packets = 5, .offload_segments = U64_MAX,
	};

	h = &snap->stage[OFFLOADMOD_STAGE_RX_STACK];
	h->buckets[20] = 3;
	h->buckets[300] = BIT_ULL(32) + 9;
	h->count = h->buckets[20] + h->buckets[300];
	h->min = offloadmod_hist_lower(20);
	h->max = offloadmod_hist_lower(300) + 1;
	h->sum = 123456789;
	h->untimed = 1;

	snap->stage[OFFLOADMOD_STAGE_RX_WAIT].untimed = 7;

	h = &snap->stage[OFFLOADMOD_STAGE_TX_STACK];
	h->buckets[0] = 2;
	h->count = 2;

	h = &snap->stage[OFFLOADMOD_STAGE_TX_QDISC];
	h->buckets[TEST_LAST_BUCKET] = 1;
	h->count = 1;
	h->min = U64_MAX;
	h->max = U64_MAX;
	h->sum = U64_MAX;

	h = &snap->stage[OFFLOADMOD_STAGE_SCHED_WAIT];
	h->buckets[100] = 6;
	h->count = 6;
	h->min = offloadmod_hist_lower(100);
	h->max = offloadmod_hist_lower(100);
	h->sum = 6 * h->min;
	h->untimed = BIT_ULL(40);
}

static void test_check_dir(struct kunit *test, const struct nlattr *nest,
			   const struct offloadmod_dir_counters *want)
{
	struct nlattr *tb[OFFLOADMOD_A_DIR_MAX + 1];
	int err, i;

	KUNIT_EXPECT_NOT_NULL(test, nest);
	if (!nest)
		return;
	KUNIT_EXPECT_TRUE(test, nest->nla_type & NLA_F_NESTED);
	err = nla_parse_nested(tb, OFFLOADMOD_A_DIR_MAX, nest, test_dir_policy,
			       NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (err)
		return;
	for (i = OFFLOADMOD_A_DIR_PACKETS; i <= OFFLOADMOD_A_DIR_MAX; i++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, tb[i], "dir attr %d", i);
	if (!tb[OFFLOADMOD_A_DIR_PACKETS] || !tb[OFFLOADMOD_A_DIR_BYTES] ||
	    !tb[OFFLOADMOD_A_DIR_OFFLOAD_PACKETS] ||
	    !tb[OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS])
		return;
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[OFFLOADMOD_A_DIR_PACKETS]),
			want->packets);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[OFFLOADMOD_A_DIR_BYTES]),
			want->bytes);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[OFFLOADMOD_A_DIR_OFFLOAD_PACKETS]),
			want->offload_packets);
	KUNIT_EXPECT_EQ(test,
			nla_get_u64(tb[OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS]),
			want->offload_segments);
}

static void test_check_stage(struct kunit *test, const struct nlattr *nest,
			     u32 id, const struct offloadmod_hist *want,
			     unsigned int first, unsigned int n)
{
	struct nlattr *tb[OFFLOADMOD_A_STAGE_MAX + 1];
	const u64 *buckets;
	unsigned int i;
	int err;

	KUNIT_EXPECT_TRUE(test, nest->nla_type & NLA_F_NESTED);
	err = nla_parse_nested(tb, OFFLOADMOD_A_STAGE_MAX, nest,
			       test_stage_policy, NULL);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "stage %u", id);
	if (err)
		return;
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_ID]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_COUNT]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_SUM_NS]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_UNTIMED]);
	if (!tb[OFFLOADMOD_A_STAGE_ID] || !tb[OFFLOADMOD_A_STAGE_COUNT] ||
	    !tb[OFFLOADMOD_A_STAGE_SUM_NS] || !tb[OFFLOADMOD_A_STAGE_UNTIMED])
		return;
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[OFFLOADMOD_A_STAGE_ID]), id);
	KUNIT_EXPECT_EQ_MSG(test, nla_get_u64(tb[OFFLOADMOD_A_STAGE_COUNT]),
			    want->count, "stage %u", id);
	KUNIT_EXPECT_EQ_MSG(test, nla_get_u64(tb[OFFLOADMOD_A_STAGE_SUM_NS]),
			    want->sum, "stage %u", id);
	KUNIT_EXPECT_EQ_MSG(test, nla_get_u64(tb[OFFLOADMOD_A_STAGE_UNTIMED]),
			    want->untimed, "stage %u", id);

	/* min and max mean nothing without a timed event. */
	if (!want->count) {
		KUNIT_EXPECT_NULL(test, tb[OFFLOADMOD_A_STAGE_MIN_NS]);
		KUNIT_EXPECT_NULL(test, tb[OFFLOADMOD_A_STAGE_MAX_NS]);
	} else {
		KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_MIN_NS]);
		KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_MAX_NS]);
		if (tb[OFFLOADMOD_A_STAGE_MIN_NS])
			KUNIT_EXPECT_EQ(test,
					nla_get_u64(tb[OFFLOADMOD_A_STAGE_MIN_NS]),
					want->min);
		if (tb[OFFLOADMOD_A_STAGE_MAX_NS])
			KUNIT_EXPECT_EQ(test,
					nla_get_u64(tb[OFFLOADMOD_A_STAGE_MAX_NS]),
					want->max);
	}

	if (!n) {
		KUNIT_EXPECT_NULL(test, tb[OFFLOADMOD_A_STAGE_BUCKET_FIRST]);
		KUNIT_EXPECT_NULL(test, tb[OFFLOADMOD_A_STAGE_BUCKETS]);
		return;
	}
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_BUCKET_FIRST]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STAGE_BUCKETS]);
	if (!tb[OFFLOADMOD_A_STAGE_BUCKET_FIRST] ||
	    !tb[OFFLOADMOD_A_STAGE_BUCKETS])
		return;
	KUNIT_EXPECT_EQ_MSG(test,
			    nla_get_u32(tb[OFFLOADMOD_A_STAGE_BUCKET_FIRST]),
			    first, "stage %u", id);
	KUNIT_EXPECT_EQ_MSG(test, nla_len(tb[OFFLOADMOD_A_STAGE_BUCKETS]),
			    (int)(n * sizeof(u64)), "stage %u", id);
	if (nla_len(tb[OFFLOADMOD_A_STAGE_BUCKETS]) != n * sizeof(u64))
		return;
	buckets = nla_data(tb[OFFLOADMOD_A_STAGE_BUCKETS]);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, buckets[i], want->buckets[first + i],
				    "stage %u bucket %u", id, first + i);
}

/* Parse a stats-get reply and compare it with what was encoded. */
static void test_check_stats(struct kunit *test, const struct nlattr *attrs,
			     int len, const struct offloadmod_cg_snapshot *snap,
			     const char *path, bool recursive)
{
	/* Buckets span of each stage of test_make_snapshot(). */
	static const unsigned int span[OFFLOADMOD_STAGE_COUNT][2] = {
		{ 20, 300 - 20 + 1 }, { 0, 0 }, { 0, 1 },
		{ TEST_LAST_BUCKET, 1 }, { 100, 1 },
	};
	struct nlattr *tb[OFFLOADMOD_A_STATS_MAX + 1];
	struct netlink_ext_ack extack = {};
	const struct nlattr *nla;
	unsigned int n = 0;
	int err, rem;

	err = nla_parse(tb, OFFLOADMOD_A_STATS_MAX, attrs, len,
			test_stats_policy, &extack);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "%s",
			    extack._msg ? extack._msg : "");
	if (err)
		return;

	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATS_CGROUP_ID]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATS_CGROUPS]);
	if (tb[OFFLOADMOD_A_STATS_CGROUP_ID])
		KUNIT_EXPECT_EQ(test,
				nla_get_u64(tb[OFFLOADMOD_A_STATS_CGROUP_ID]),
				snap->id);
	if (tb[OFFLOADMOD_A_STATS_CGROUPS])
		KUNIT_EXPECT_EQ(test,
				nla_get_u32(tb[OFFLOADMOD_A_STATS_CGROUPS]),
				snap->cgroups);
	KUNIT_EXPECT_EQ(test, nla_get_flag(tb[OFFLOADMOD_A_STATS_RECURSIVE]),
			recursive);
	if (path) {
		KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATS_PATH]);
		if (tb[OFFLOADMOD_A_STATS_PATH])
			KUNIT_EXPECT_STREQ(test,
					   (char *)nla_data(tb[OFFLOADMOD_A_STATS_PATH]),
					   path);
	} else {
		KUNIT_EXPECT_NULL(test, tb[OFFLOADMOD_A_STATS_PATH]);
	}
	test_check_dir(test, tb[OFFLOADMOD_A_STATS_RX],
		       &snap->dir[OFFLOADMOD_DIR_RX]);
	test_check_dir(test, tb[OFFLOADMOD_A_STATS_TX],
		       &snap->dir[OFFLOADMOD_DIR_TX]);

	/* Stages are a multi-attr: one each, in stage order. */
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) != OFFLOADMOD_A_STATS_STAGE)
			continue;
		if (n < OFFLOADMOD_STAGE_COUNT)
			test_check_stage(test, nla, n, &snap->stage[n],
					 span[n][0], span[n][1]);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)OFFLOADMOD_STAGE_COUNT);
}

/* 6. The stats-get reply, parsed back. */
static void stats_fill_round_trip(struct kunit *test)
{
	static const char path[] = "/system.slice/docker-0123abcd.scope";
	struct offloadmod_cg_snapshot *snap;
	unsigned int first, n;
	struct sk_buff *skb;
	int err;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	test_make_snapshot(snap);

	/* The span the encoding relies on, checked on its own. */
	KUNIT_EXPECT_TRUE(test, offloadmod_hist_bucket_span(&snap->stage[0],
							    &first, &n));
	KUNIT_EXPECT_EQ(test, first, 20U);
	KUNIT_EXPECT_EQ(test, n, 281U);
	KUNIT_EXPECT_FALSE(test, offloadmod_hist_bucket_span(&snap->stage[1],
							     &first, &n));
	KUNIT_EXPECT_EQ(test, first, 0U);
	KUNIT_EXPECT_EQ(test, n, 0U);

	skb = nlmsg_new(OFFLOADMOD_STATS_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	err = offloadmod_stats_fill(skb, snap, path, true);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		test_check_stats(test, (struct nlattr *)skb->data, skb->len,
				 snap, path, true);
	kfree_skb(skb);

	/* No path, not recursive: neither attribute. */
	skb = nlmsg_new(OFFLOADMOD_STATS_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	err = offloadmod_stats_fill(skb, snap, NULL, false);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		test_check_stats(test, (struct nlattr *)skb->data, skb->len,
				 snap, NULL, false);
	kfree_skb(skb);
}

/* Bytes a message under construction holds before the attributes. */
#define TEST_PREFIX	16

/* An skb with TEST_PREFIX bytes of data, then exactly @room of tailroom. */
static struct sk_buff *test_alloc_prefixed_skb(unsigned int room)
{
	struct sk_buff *skb = alloc_skb(TEST_PREFIX + room, GFP_KERNEL);

	if (skb) {
		skb_reserve(skb, skb_tailroom(skb) - TEST_PREFIX - room);
		memset(skb_put(skb, TEST_PREFIX), 0xa5, TEST_PREFIX);
	}
	return skb;
}

/* Out of room at any point: -EMSGSIZE, and the message as it was. */
static void stats_fill_too_small(struct kunit *test)
{
	struct offloadmod_cg_snapshot *snap;
	unsigned int size, room;
	struct sk_buff *skb;
	int err;

	snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	test_make_snapshot(snap);

	skb = nlmsg_new(OFFLOADMOD_STATS_MSG_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	err = offloadmod_stats_fill(skb, snap, "/a", true);
	size = skb->len;
	kfree_skb(skb);
	KUNIT_ASSERT_EQ(test, err, 0);
	/* 281 buckets alone take more than 2 KiB. */
	KUNIT_EXPECT_GT(test, size, 281U * 8);

	for (room = 0; room <= size; room++) {
		skb = test_alloc_prefixed_skb(room);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		err = offloadmod_stats_fill(skb, snap, "/a", true);
		if (room == size) {
			/* Exactly the room it took the first time. */
			KUNIT_EXPECT_EQ(test, err, 0);
			KUNIT_EXPECT_EQ(test, skb->len, TEST_PREFIX + size);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, err, -EMSGSIZE,
					    "room %u", room);
			KUNIT_EXPECT_EQ_MSG(test, skb->len, TEST_PREFIX,
					    "room %u", room);
		}
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(skb->data, 0xa5,
						       TEST_PREFIX),
				      "room %u", room);
		kfree_skb(skb);
	}
}

static struct kunit_case offloadmod_stats_test_cases[] = {
	KUNIT_CASE(hist_bucket_edges),
	KUNIT_CASE(hist_quantiles),
	KUNIT_CASE(hist_quantiles_last_bucket),
	KUNIT_CASE(hist_percpu_merge),
	KUNIT_CASE(cgstats_cap_overflow),
	KUNIT_CASE(cgstats_snapshot_reset),
	KUNIT_CASE(stats_fill_round_trip),
	KUNIT_CASE(stats_fill_too_small),
	{}
};

static struct kunit_suite offloadmod_stats_test_suite = {
	.name = "offloadmod_stats",
	.test_cases = offloadmod_stats_test_cases,
};

kunit_test_suite(offloadmod_stats_test_suite);
