// SPDX-License-Identifier: GPL-2.0
/*
 * hist: percentiles, mean and standard deviation of histograms filled
 * from known samples, against a brute force over the samples themselves;
 * human-readable durations.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "hist.h"
#include "tap.h"

#define MAX_SAMPLES 20000

static uint64_t samples[MAX_SAMPLES];
static uint64_t rng = 88172645463325252ULL;

/* xorshift64: the same samples on every run. */
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * What the module sends: count, sum, min, max and the buckets from the
 * first to the last non-empty one.
 */
static void fill(struct hist *h, const uint64_t *v, size_t n)
{
	uint64_t b[OFFLOADMOD_HIST_BUCKETS] = { 0 };
	unsigned int lo = OFFLOADMOD_HIST_BUCKETS, hi = 0, idx;
	size_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < n; i++) {
		idx = offloadmod_hist_index(v[i]);
		b[idx]++;
		if (idx < lo)
			lo = idx;
		if (idx > hi)
			hi = idx;
		h->sum_ns += v[i];
		if (!i || v[i] < h->min_ns)
			h->min_ns = v[i];
		if (v[i] > h->max_ns)
			h->max_ns = v[i];
	}
	h->count = n;
	if (!n)
		return;
	h->first = lo;
	h->n = hi - lo + 1;
	h->counts = malloc(h->n * sizeof(*h->counts));
	memcpy(h->counts, b + lo, h->n * sizeof(*h->counts));
}

/* True quantile: the sample of rank ceil(q * n) in sorted order. */
static uint64_t true_quantile(const uint64_t *sorted, size_t n, uint32_t q)
{
	uint64_t rank = ((uint64_t)n * q + OFFLOADMOD_PPM - 1) / OFFLOADMOD_PPM;

	return sorted[rank ? rank - 1 : 0];
}

static void check_set(const char *name, size_t n)
{
	static const uint32_t qs[] = { HIST_P50, HIST_P90, HIST_P99, HIST_P999 };
	uint64_t *sorted = malloc(n * sizeof(*sorted));
	double mean = 0, var = 0, sd;
	struct hist_summary s;
	struct hist h;
	bool pass = true;
	uint64_t got[4], want;
	size_t i;

	memcpy(sorted, samples, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	fill(&h, samples, n);
	hist_summarize(&h, &s);

	got[0] = s.p50_ns;
	got[1] = s.p90_ns;
	got[2] = s.p99_ns;
	got[3] = s.p999_ns;
	for (i = 0; i < 4; i++) {
		want = true_quantile(sorted, n, qs[i]);
		/* Never below, at most 1/16 above (exact below 16 ns). */
		if (got[i] < want || got[i] > want + want / 16 ||
		    (want < 16 && got[i] != want)) {
			diag("%s q=%u: got %" PRIu64 ", true %" PRIu64, name,
			     qs[i], got[i], want);
			pass = false;
		}
	}
	ok(pass, "%s: percentiles within [true, true + 1/16]", name);

	for (i = 0; i < n; i++)
		mean += (double)samples[i];
	mean /= (double)n;
	ok(s.mean_ns == (uint64_t)llround(mean) || (s.mean_ns ==
	   (uint64_t)floor(mean) + 1 && mean - floor(mean) == 0.5),
	   "%s: mean is exact (%" PRIu64 " vs %.2f)", name, s.mean_ns, mean);
	ok(s.min_ns == sorted[0] && s.max_ns == sorted[n - 1],
	   "%s: min and max", name);

	for (i = 0; i < n; i++)
		var += ((double)samples[i] - mean) * ((double)samples[i] - mean);
	sd = sqrt(var / (double)n);
	/* Each value is off by at most 1/32 of itself, so is the stddev. */
	ok(fabs((double)s.stddev_ns - sd) <= (double)sorted[n - 1] / 32 + 1,
	   "%s: stddev from midpoints close to exact (%" PRIu64 " vs %.1f)",
	   name, s.stddev_ns, sd);
	ok(hist_total(&h) == n, "%s: buckets hold every sample", name);
	hist_free(&h);
	free(sorted);
}

static void test_distributions(void)
{
	size_t i;

	for (i = 0; i < 1000; i++)
		samples[i] = next() % 16;
	check_set("exact buckets 0..15 ns", 1000);

	/* Log-uniform from 10 ns to ~10 s. */
	for (i = 0; i < MAX_SAMPLES; i++)
		samples[i] = (uint64_t)(10.0 * pow(1e9, (double)(next() % 1000000) / 1e6));
	check_set("log-uniform 10ns..10s", MAX_SAMPLES);

	for (i = 0; i < 5000; i++)
		samples[i] = 20000 + next() % 1000;
	check_set("narrow 20..21us", 5000);

	/* Mostly fast, a slow tail: p99.9 lands in the tail. */
	for (i = 0; i < 10000; i++)
		samples[i] = i % 200 ? 3000 + next() % 500 :
			     5000000 + next() % 1000000;
	check_set("bimodal with a 0.5% tail", 10000);

	for (i = 0; i < 7; i++)
		samples[i] = 123456;
	check_set("constant", 7);

	samples[0] = 987654321;
	check_set("one sample", 1);

	for (i = 0; i < 100; i++)
		samples[i] = 40ULL * 1000000000 + i;	/* the open last bucket */
	check_set("beyond the last bucket edge", 100);
}

static void test_edges(void)
{
	struct hist h = { 0 };
	struct hist_summary s;
	uint64_t c[2] = { 3, 1 };

	hist_summarize(&h, &s);
	ok(!s.p50_ns && !s.p999_ns && !s.max_ns && !s.mean_ns && !s.stddev_ns,
	   "empty histogram: everything 0");

	/* count > 0 but no min/max from the kernel: bucket edges. */
	h.count = 4;
	h.sum_ns = 4 * 1100;
	h.first = offloadmod_hist_index(1024);
	h.n = 2;
	h.counts = c;
	ok(hist_min(&h) == 1024 && hist_max(&h) == 1151,
	   "min/max from bucket edges when the kernel sent none");
	ok(hist_quantile(&h, HIST_P50) == 1087 &&
	   hist_quantile(&h, HIST_P99) == 1151,
	   "quantile is the upper edge of its bucket");
	h.counts = NULL;

	h.max_ns = 50ULL * 1000000000;
	ok(hist_bucket_upper(&h, OFFLOADMOD_HIST_BUCKETS - 1) == h.max_ns + 1,
	   "last bucket ends above the max");
	ok(hist_bucket_upper(&h, 20) == offloadmod_hist_upper(20),
	   "other buckets end at their edge");
}

static void test_fmt(void)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} cases[] = {
		{ 0, "0ns" }, { 999, "999ns" }, { 1000, "1.00us" },
		{ 12345, "12.3us" }, { 123456, "123us" }, { 999499, "999us" },
		{ 999500, "1.00ms" }, { 1500000, "1.50ms" },
		{ 2100000000, "2.10s" }, { 123456789012ULL, "123s" },
		{ UINT64_MAX, "18446744074s" },
	};
	char buf[HIST_FMT_LEN], name[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "format %" PRIu64 " ns", cases[i].ns);
		ok_str(hist_fmt_ns(cases[i].ns, buf, sizeof(buf)), cases[i].want,
		       name);
	}
}

int main(void)
{
	test_distributions();
	test_edges();
	test_fmt();
	return tap_done();
}
