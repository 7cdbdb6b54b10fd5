/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency histograms. The hot path records into the current CPU's copy
 * with this_cpu operations (each one instruction on x86, so a probe that
 * interrupts another probe on the same CPU loses nothing but, at worst, a
 * min/max update); readers sum the per-CPU copies. Bucket geometry and
 * quantiles: uapi linux/offloadmod_hist.h.
 */
#ifndef _OFFLOADMOD_HIST_H
#define _OFFLOADMOD_HIST_H

#include <linux/offloadmod_hist.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct offloadmod_hist {
	u64 count;	/* timed events */
	u64 sum;	/* their total, ns */
	u64 min;	/* valid when count != 0 */
	u64 max;
	u64 untimed;	/* events that could not be timed */
	u64 buckets[OFFLOADMOD_HIST_BUCKETS];
};

/* Record one latency into this CPU's copy; preemption must be off. */
static __always_inline void
offloadmod_hist_record(struct offloadmod_hist __percpu *h, u64 ns)
{
	u64 min = __this_cpu_read(h->min);

	this_cpu_inc(h->buckets[offloadmod_hist_index(ns)]);
	if (ns < min || !__this_cpu_read(h->count))
		__this_cpu_write(h->min, ns);
	if (ns > __this_cpu_read(h->max))
		__this_cpu_write(h->max, ns);
	this_cpu_add(h->sum, ns);
	this_cpu_inc(h->count);
}

static __always_inline void
offloadmod_hist_untimed(struct offloadmod_hist __percpu *h)
{
	this_cpu_inc(h->untimed);
}

void offloadmod_hist_add(struct offloadmod_hist *sum,
			 const struct offloadmod_hist *part);
void offloadmod_hist_sum_cpus(struct offloadmod_hist *sum,
			      const struct offloadmod_hist __percpu *h);
void offloadmod_hist_reset_cpus(struct offloadmod_hist __percpu *h);
u64 offloadmod_hist_value_at(const struct offloadmod_hist *h, u32 q_ppm);
bool offloadmod_hist_bucket_span(const struct offloadmod_hist *h,
				 unsigned int *first, unsigned int *n);

#endif /* _OFFLOADMOD_HIST_H */
