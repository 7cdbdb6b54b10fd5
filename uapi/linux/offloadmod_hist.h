/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * offloadmod: geometry of the latency histograms, and the percentile math
 * over them. Shared by the module (which fills and prints histograms), its
 * KUnit tests and offloadmod-ctl (which decodes them), so that all three
 * agree on every bucket edge.
 *
 * Log-linear buckets of nanoseconds: values below 16 ns get a bucket each;
 * above, every power of two [2^e, 2^(e+1)) is split into 16 equal buckets,
 * so a bucket is at most 1/16 of its lower edge wide. The last bucket,
 * starting at 31 * 2^29 ns (about 16.6 s), also takes everything larger.
 */
#ifndef _UAPI_LINUX_OFFLOADMOD_HIST_H
#define _UAPI_LINUX_OFFLOADMOD_HIST_H

#include <linux/types.h>

#define OFFLOADMOD_HIST_SUB_BITS	4
#define OFFLOADMOD_HIST_SUB		16U	/* 1 << OFFLOADMOD_HIST_SUB_BITS */
/* Octaves 2^4 .. 2^33, plus the 16 exact buckets below 16 ns. */
#define OFFLOADMOD_HIST_MAX_EXP		33
#define OFFLOADMOD_HIST_BUCKETS \
	((OFFLOADMOD_HIST_MAX_EXP - OFFLOADMOD_HIST_SUB_BITS + 2) * \
	 OFFLOADMOD_HIST_SUB)

/* Quantiles are given in parts per million: p99.9 is 999000. */
#define OFFLOADMOD_PPM			1000000U

/* Number of the highest set bit, 1-based; 0 for 0. GCC and clang. */
static inline unsigned int offloadmod_hist_fls64(__u64 v)
{
	return v ? 64 - (unsigned int)__builtin_clzll(v) : 0;
}

/* Bucket of a value in nanoseconds. */
static inline unsigned int offloadmod_hist_index(__u64 ns)
{
	unsigned int e;

	if (ns < OFFLOADMOD_HIST_SUB)
		return (unsigned int)ns;
	e = offloadmod_hist_fls64(ns) - 1;
	if (e > OFFLOADMOD_HIST_MAX_EXP)
		return OFFLOADMOD_HIST_BUCKETS - 1;
	return ((e - OFFLOADMOD_HIST_SUB_BITS + 1) << OFFLOADMOD_HIST_SUB_BITS) +
	       (unsigned int)((ns >> (e - OFFLOADMOD_HIST_SUB_BITS)) &
			      (OFFLOADMOD_HIST_SUB - 1));
}

/* Smallest value of a bucket, in nanoseconds. */
static inline __u64 offloadmod_hist_lower(unsigned int idx)
{
	unsigned int e;

	if (idx < OFFLOADMOD_HIST_SUB)
		return idx;
	e = (idx >> OFFLOADMOD_HIST_SUB_BITS) + OFFLOADMOD_HIST_SUB_BITS - 1;
	return (__u64)(OFFLOADMOD_HIST_SUB + (idx & (OFFLOADMOD_HIST_SUB - 1)))
	       << (e - OFFLOADMOD_HIST_SUB_BITS);
}

/*
 * First value above a bucket (exclusive upper edge). The last bucket has no
 * upper edge; it reports the edge it would have, callers clamp to the max.
 */
static inline __u64 offloadmod_hist_upper(unsigned int idx)
{
	return offloadmod_hist_lower(idx + 1);
}

/*
 * Value at quantile q (parts per million, 1..1000000) of a histogram of
 * count events, reported as the upper edge of the bucket holding the event
 * of rank ceil(q * count), clamped to [min, max]. So the result is never
 * below the true quantile and at most 1/16 above it (exact below 16 ns);
 * a quantile in the open last bucket (from about 16.6 s) is reported as
 * the max. Returns 0 for an empty histogram.
 */
static inline __u64 offloadmod_hist_quantile(const __u64 *buckets,
					     unsigned int n_buckets,
					     __u64 count, __u64 min_ns,
					     __u64 max_ns, __u32 q_ppm)
{
	__u64 rank, seen = 0, v;
	unsigned int i;

	if (!count)
		return 0;
	if (q_ppm > OFFLOADMOD_PPM)
		q_ppm = OFFLOADMOD_PPM;
	/* ceil(count * q / 1e6) without overflowing 64 bits. */
	rank = (count / OFFLOADMOD_PPM) * q_ppm +
	       ((count % OFFLOADMOD_PPM) * q_ppm + OFFLOADMOD_PPM - 1) /
	       OFFLOADMOD_PPM;
	if (!rank)
		rank = 1;
	for (i = 0; i < n_buckets; i++) {
		seen += buckets[i];
		if (seen >= rank)
			break;
	}
	/* The last bucket is open-ended: only the max bounds it. */
	if (i >= OFFLOADMOD_HIST_BUCKETS - 1)
		return max_ns;
	v = offloadmod_hist_upper(i) - 1;
	if (v > max_ns)
		v = max_ns;
	if (v < min_ns)
		v = min_ns;
	return v;
}

#endif /* _UAPI_LINUX_OFFLOADMOD_HIST_H */
