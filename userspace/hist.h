/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl: a latency histogram as the module reports it, and what
 * is derived from it. The bucket geometry and the quantile function come
 * from linux/offloadmod_hist.h, shared with the module, so that both
 * sides agree on every bucket edge.
 */
#ifndef OFFLOADMOD_CTL_HIST_H
#define OFFLOADMOD_CTL_HIST_H

#include <stddef.h>
#include <stdint.h>

#include <linux/offloadmod_hist.h>

/* One stage of one cgroup. Buckets outside [first, first + n) are 0. */
struct hist {
	uint64_t count;		/* timed events */
	uint64_t sum_ns;
	uint64_t min_ns;	/* 0 if the kernel sent none */
	uint64_t max_ns;
	uint64_t untimed;	/* events that could not be timed */
	uint32_t first;		/* bucket index of counts[0] */
	uint32_t n;		/* first + n <= OFFLOADMOD_HIST_BUCKETS */
	uint64_t *counts;	/* malloc'd, n entries (NULL if n is 0) */
};

/* Everything "stats show" prints of a stage, in nanoseconds. */
struct hist_summary {
	uint64_t p50_ns, p90_ns, p99_ns, p999_ns;
	uint64_t min_ns, max_ns;
	uint64_t mean_ns;	/* sum / count, rounded: exact */
	uint64_t stddev_ns;	/* from bucket midpoints: approximate */
};

/* Quantiles "stats show" reports, in parts per million. */
#define HIST_P50	500000U
#define HIST_P90	900000U
#define HIST_P99	990000U
#define HIST_P999	999000U

/* Sum of the bucket counts. */
uint64_t hist_total(const struct hist *h);
/*
 * Lowest and highest value the histogram holds: min_ns / max_ns when the
 * kernel sent them, otherwise the edges of the outermost non-empty
 * buckets.
 */
uint64_t hist_min(const struct hist *h);
uint64_t hist_max(const struct hist *h);
/* Quantile q_ppm (1..1000000) via offloadmod_hist_quantile(); 0 if empty. */
uint64_t hist_quantile(const struct hist *h, uint32_t q_ppm);
/* All zero when count is 0. */
void hist_summarize(const struct hist *h, struct hist_summary *s);
/*
 * Exclusive upper edge of bucket idx for display: the last bucket has no
 * edge of its own, so it ends just above the largest value seen.
 */
uint64_t hist_bucket_upper(const struct hist *h, unsigned int idx);
void hist_free(struct hist *h);

/* "850ns", "12.3us", "1.50ms", "2.10s": three significant digits. */
#define HIST_FMT_LEN 32
const char *hist_fmt_ns(uint64_t ns, char *buf, size_t len);

#endif /* OFFLOADMOD_CTL_HIST_H */
