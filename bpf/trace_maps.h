/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl trace: what trace.bpf.c and its loader (userspace/) share.
 * Plain fixed-width types only, so it compiles against vmlinux.h (BPF) and
 * against the uapi headers (userspace) alike.
 */
#ifndef OFFLOADMOD_TRACE_MAPS_H
#define OFFLOADMOD_TRACE_MAPS_H

/* The same geometry as the module's histograms (linux/offloadmod_hist.h). */
#define TRACE_HIST_BUCKETS	496	/* OFFLOADMOD_HIST_BUCKETS */
#define TRACE_STAGES		5	/* OFFLOADMOD_STAGE_COUNT */

/* Key of the per-CPU histogram map: one histogram per cgroup and stage. */
struct trace_hist_key {
	__u64 cgroup_id;
	__u32 stage;		/* enum offloadmod_stage */
	__u32 pad;
};

/* One CPU's share of a histogram; userspace sums the CPUs. */
struct trace_hist {
	__u64 count;		/* timed events */
	__u64 sum_ns;
	__u64 min_ns;		/* valid if count */
	__u64 max_ns;
	__u64 untimed;		/* events of this stage that could not be timed */
	__u64 buckets[TRACE_HIST_BUCKETS];
};

/* Packet counters of one direction, as "stats show" prints them. */
struct trace_dir {
	__u64 packets;
	__u64 bytes;
	__u64 offload_packets;
	__u64 offload_segments;
};

/* Value of the per-CPU counter map, keyed by cgroup id. */
struct trace_cg {
	struct trace_dir rx, tx;
};

/*
 * Events counted in no histogram: the total "lost" the tracer reports,
 * per reason (index of the per-CPU lost array).
 */
enum trace_lost {
	TRACE_LOST_HIST_FULL,		/* no room for a new cgroup's histogram */
	TRACE_LOST_CG_FULL,		/* no room for a new cgroup's counters */
	TRACE_LOST_UNATTRIBUTED_TX,	/* packet of no container socket */
	TRACE_LOST_UNATTRIBUTED_RX,
	TRACE_LOST_STAMP_EVICTED,	/* side-table slot reused before closed */
	TRACE_LOST_COUNT
};

#define TRACE_LOST_NAMES { "hist_map_full", "cgroup_map_full", \
	"unattributed_tx", "unattributed_rx", "stamp_evicted" }

/*
 * offloadmod_hist_index() of linux/offloadmod_hist.h, without
 * __builtin_clzll(), which clang 14 cannot compile for BPF (it crashes).
 * Same buckets: userspace/tests/test_trace.c compares the two over every edge.
 */
static inline unsigned int trace_fls64(__u64 v)
{
	unsigned int n = 0;

	if (!v)
		return 0;
	if (v >> 32) { n += 32; v >>= 32; }
	if (v >> 16) { n += 16; v >>= 16; }
	if (v >> 8) { n += 8; v >>= 8; }
	if (v >> 4) { n += 4; v >>= 4; }
	if (v >> 2) { n += 2; v >>= 2; }
	if (v >> 1) { n += 1; v >>= 1; }
	return n + 1;
}

#define TRACE_HIST_SUB_BITS	4	/* OFFLOADMOD_HIST_SUB_BITS */
#define TRACE_HIST_MAX_EXP	33	/* OFFLOADMOD_HIST_MAX_EXP */

static inline unsigned int trace_hist_index(__u64 ns)
{
	unsigned int e;

	if (ns < (1U << TRACE_HIST_SUB_BITS))
		return (unsigned int)ns;
	e = trace_fls64(ns) - 1;
	if (e > TRACE_HIST_MAX_EXP)
		return TRACE_HIST_BUCKETS - 1;
	return ((e - TRACE_HIST_SUB_BITS + 1) << TRACE_HIST_SUB_BITS) +
	       (unsigned int)((ns >> (e - TRACE_HIST_SUB_BITS)) &
			      ((1U << TRACE_HIST_SUB_BITS) - 1));
}

#endif /* OFFLOADMOD_TRACE_MAPS_H */
