// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histograms: merging per-CPU copies and sums of several cgroups,
 * resetting, and the quantiles debugfs prints. Pure functions over memory
 * the caller owns, so KUnit tests them directly.
 */
#include <linux/cpumask.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "hist.h"

/**
 * offloadmod_hist_add() - add one histogram into a running sum
 * @sum: the sum; start from a zeroed struct
 * @part: the histogram to add (a CPU's copy, or another cgroup's sum)
 */
void offloadmod_hist_add(struct offloadmod_hist *sum,
			 const struct offloadmod_hist *part)
{
	u64 count = READ_ONCE(part->count);
	unsigned int i;

	if (count) {
		u64 min = READ_ONCE(part->min), max = READ_ONCE(part->max);

		sum->min = sum->count ? min(sum->min, min) : min;
		sum->max = max(sum->max, max);
	}
	sum->count += count;
	sum->sum += READ_ONCE(part->sum);
	sum->untimed += READ_ONCE(part->untimed);
	for (i = 0; i < OFFLOADMOD_HIST_BUCKETS; i++)
		sum->buckets[i] += READ_ONCE(part->buckets[i]);
}

/**
 * offloadmod_hist_sum_cpus() - add every possible CPU's copy into @sum
 * @sum: the sum
 * @h: per-CPU histogram
 *
 * Writers keep running: the result is a sum of per-CPU snapshots, each
 * field untorn, not an atomic snapshot (count and buckets may differ by the
 * events recorded while summing).
 */
void offloadmod_hist_sum_cpus(struct offloadmod_hist *sum,
			      const struct offloadmod_hist __percpu *h)
{
	int cpu;

	for_each_possible_cpu(cpu)
		offloadmod_hist_add(sum, per_cpu_ptr(h, cpu));
}

/**
 * offloadmod_hist_reset_cpus() - zero every CPU's copy
 * @h: per-CPU histogram
 *
 * Events recorded concurrently on other CPUs may survive partly (a bucket
 * incremented after it was zeroed, with count zeroed after): reset is for
 * starting a measurement, not a synchronisation point.
 */
void offloadmod_hist_reset_cpus(struct offloadmod_hist __percpu *h)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(h, cpu), 0, sizeof(struct offloadmod_hist));
}

/**
 * offloadmod_hist_value_at() - quantile of a summed histogram
 * @h: the histogram
 * @q_ppm: quantile in parts per million (p99.9 is 999000)
 *
 * Return: never below the true quantile, at most 1/16 above it; 0 when
 * the histogram is empty.
 */
u64 offloadmod_hist_value_at(const struct offloadmod_hist *h, u32 q_ppm)
{
	return offloadmod_hist_quantile(h->buckets, OFFLOADMOD_HIST_BUCKETS,
					h->count, h->min, h->max, q_ppm);
}

/**
 * offloadmod_hist_bucket_span() - the range of buckets that are not zero
 * @h: the histogram
 * @first: set to the first non-zero bucket
 * @n: set to the number of buckets from @first to the last non-zero one
 *
 * Return: false if every bucket is zero (@first and @n are then 0).
 */
bool offloadmod_hist_bucket_span(const struct offloadmod_hist *h,
				 unsigned int *first, unsigned int *n)
{
	unsigned int lo = 0, hi = OFFLOADMOD_HIST_BUCKETS;

	while (lo < hi && !h->buckets[lo])
		lo++;
	while (hi > lo && !h->buckets[hi - 1])
		hi--;
	*first = lo < hi ? lo : 0;
	*n = hi - lo;
	return lo < hi;
}
