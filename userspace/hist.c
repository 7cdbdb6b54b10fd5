// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl: percentiles, mean and standard deviation of a latency
 * histogram, see hist.h.
 *
 * Percentiles are taken over the bucket counts, not over the kernel's
 * count: the module sums per-CPU counters that an event may reach one
 * after the other, so the two can differ by events in flight, and the
 * buckets are what the ranks are counted in.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

uint64_t hist_total(const struct hist *h)
{
	uint64_t t = 0;
	uint32_t i;

	for (i = 0; i < h->n; i++)
		t += h->counts[i];
	return t;
}

/* Index of the first (dir 1) or last (dir -1) non-empty bucket, or -1. */
static long edge_bucket(const struct hist *h, int dir)
{
	uint32_t i;

	for (i = 0; i < h->n; i++) {
		uint32_t j = dir > 0 ? i : h->n - 1 - i;

		if (h->counts[j])
			return (long)(h->first + j);
	}
	return -1;
}

uint64_t hist_min(const struct hist *h)
{
	long b;

	if (h->min_ns || h->max_ns)
		return h->min_ns;
	b = edge_bucket(h, 1);
	return b < 0 ? 0 : offloadmod_hist_lower((unsigned int)b);
}

uint64_t hist_max(const struct hist *h)
{
	long b;

	if (h->max_ns)
		return h->max_ns;
	b = edge_bucket(h, -1);
	if (b < 0)
		return 0;
	if (b == OFFLOADMOD_HIST_BUCKETS - 1)
		return offloadmod_hist_lower((unsigned int)b);
	return offloadmod_hist_upper((unsigned int)b) - 1;
}

uint64_t hist_quantile(const struct hist *h, uint32_t q_ppm)
{
	/* The shared function wants buckets from index 0, as __u64. */
	__u64 b[OFFLOADMOD_HIST_BUCKETS] = { 0 };
	uint64_t total = hist_total(h);

	if (!total)
		return 0;
	memcpy(b + h->first, h->counts, h->n * sizeof(*b));
	return offloadmod_hist_quantile(b, h->first + h->n, total, hist_min(h),
					hist_max(h), q_ppm);
}

uint64_t hist_bucket_upper(const struct hist *h, unsigned int idx)
{
	uint64_t up = offloadmod_hist_upper(idx);

	if (idx == OFFLOADMOD_HIST_BUCKETS - 1 && h->max_ns >= up)
		up = h->max_ns + 1;
	return up;
}

/*
 * Every event of a bucket is taken to sit at the middle of the bucket
 * (clamped to [min, max]); a bucket is at most 1/16 of its lower edge
 * wide, so each value is off by at most 1/32 of itself.
 */
static double midpoint(const struct hist *h, unsigned int idx, double lo_clamp,
		       double hi_clamp)
{
	double lo = (double)offloadmod_hist_lower(idx);
	double hi = (double)hist_bucket_upper(h, idx) - 1;
	double mid = (lo + hi) / 2;

	if (mid < lo_clamp)
		mid = lo_clamp;
	if (mid > hi_clamp)
		mid = hi_clamp;
	return mid;
}

static uint64_t stddev(const struct hist *h)
{
	double lo = (double)hist_min(h), hi = (double)hist_max(h);
	double n = 0, mean = 0, var = 0, d;
	uint32_t i;

	/* Two passes: the mean first keeps the sum of squares small. */
	for (i = 0; i < h->n; i++) {
		if (!h->counts[i])
			continue;
		n += (double)h->counts[i];
		mean += (double)h->counts[i] *
			midpoint(h, h->first + i, lo, hi);
	}
	if (n == 0)
		return 0;
	mean /= n;
	for (i = 0; i < h->n; i++) {
		if (!h->counts[i])
			continue;
		d = midpoint(h, h->first + i, lo, hi) - mean;
		var += (double)h->counts[i] * d * d;
	}
	return (uint64_t)llround(sqrt(var / n));
}

void hist_summarize(const struct hist *h, struct hist_summary *s)
{
	uint64_t r;

	memset(s, 0, sizeof(*s));
	if (!h->count)
		return;
	s->p50_ns = hist_quantile(h, HIST_P50);
	s->p90_ns = hist_quantile(h, HIST_P90);
	s->p99_ns = hist_quantile(h, HIST_P99);
	s->p999_ns = hist_quantile(h, HIST_P999);
	s->min_ns = hist_min(h);
	s->max_ns = hist_max(h);
	/* Rounded to nearest; no overflow for any sum. */
	s->mean_ns = h->sum_ns / h->count;
	r = h->sum_ns % h->count;
	if (r >= h->count - r)
		s->mean_ns++;
	s->stddev_ns = stddev(h);
}

void hist_free(struct hist *h)
{
	free(h->counts);
	memset(h, 0, sizeof(*h));
}

const char *hist_fmt_ns(uint64_t ns, char *buf, size_t len)
{
	static const char *const units[] = { "us", "ms", "s" };
	double x = (double)ns;
	unsigned int u;

	if (ns < 1000) {
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
		return buf;
	}
	/* Move up while the value would round to 1000 or more. */
	for (u = 0; u < 2; u++) {
		x /= 1000;
		if (x < 999.5)
			break;
	}
	if (u == 2)
		x /= 1000;
	if (x < 9.995)
		snprintf(buf, len, "%.2f%s", x, units[u]);
	else if (x < 99.95)
		snprintf(buf, len, "%.1f%s", x, units[u]);
	else
		snprintf(buf, len, "%.0f%s", x, units[u]);
	return buf;
}
