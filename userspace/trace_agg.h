/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl trace: the pure part of the command. Folds what the eBPF
 * tracer's per-CPU maps hold into the struct stats_list "stats show"
 * prints, works out which stages a kernel lets the tracer measure from
 * which hooks attached, and prints both. No BPF, no system calls, so
 * tests/test_trace.c checks it all on synthetic values.
 */
#ifndef OFFLOADMOD_TRACE_AGG_H
#define OFFLOADMOD_TRACE_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "stats.h"
#include "trace_maps.h"

/* acc += one CPU's histogram (min over CPUs that timed anything). */
void trace_hist_sum(struct trace_hist *acc, const struct trace_hist *cpu);
/* acc += one CPU's packet counters. */
void trace_cg_sum(struct trace_cg *acc, const struct trace_cg *cpu);
/*
 * The summed histogram as "stats show" wants it: buckets trimmed to the
 * non-empty range. 0 or -ENOMEM.
 */
int trace_hist_to_hist(const struct trace_hist *sum, struct hist *out);
/* The entry of cgroup_id in list, added (path "") if missing; NULL: ENOMEM. */
struct stats_cgroup *trace_list_get(struct stats_list *list,
				    uint64_t cgroup_id);
/* Sort entries by cgroup id, as the module's dump returns them. */
void trace_list_sort(struct stats_list *list);
/*
 * Keep only entries whose path is one of prefixes[] or below one ("/" keeps
 * everything that has a path). Entries without a path (a cgroup removed
 * while tracing) are kept only when n_prefixes is 0.
 */
void trace_list_filter(struct stats_list *list, char *const *prefixes,
		       size_t n_prefixes);
/* Whether path is prefix or below it, both relative to the cgroup root. */
bool trace_path_under(const char *path, const char *prefix);

/*
 * The tracer's hooks: each a tracepoint, or a kernel function hooked by
 * fentry or else by its kprobe twin. In the order the loader attaches
 * them: the UDP reader before IP delivery, which defers to it.
 */
enum trace_hook {
	TRACE_HOOK_NET_DEV_QUEUE,
	TRACE_HOOK_QDISC_DEQUEUE,
	TRACE_HOOK_NET_DEV_START_XMIT,
	TRACE_HOOK_SCHED_WAKEUP,
	TRACE_HOOK_SCHED_WAKEUP_NEW,
	TRACE_HOOK_SCHED_SWITCH,
	TRACE_HOOK_COPY_DATAGRAM,
	TRACE_HOOK_CONSUME_UDP,
	TRACE_HOOK_NETIF_RECEIVE_SKB,
	TRACE_HOOK_GRO_RECEIVE,
	TRACE_HOOK_IP_DELIVER,
	TRACE_HOOK_IP6_DELIVER,
	TRACE_HOOK_COUNT
};

/*
 * What the tracer reports availability of: the five stages (indexed by
 * enum offloadmod_stage), then the rx and tx packet counters.
 */
enum {
	TRACE_UNIT_RX = OFFLOADMOD_STAGE_COUNT,
	TRACE_UNIT_TX,
	TRACE_UNIT_COUNT
};

#define TRACE_WHY_LEN		256
#define TRACE_REASON_LEN	1024

/* One hook as the loader left it. */
struct trace_hook_state {
	const char *name;	/* the tracepoint or function, for messages */
	bool attached;
	/*
	 * Every way tried that failed, and why ("fentry refused (EPERM),
	 * kprobe: no kprobes in this kernel ..."); when attached, the ways
	 * that failed before the one that worked; "" if none failed.
	 */
	char why[TRACE_WHY_LEN];
};

/* One stage or counter pair, as the hooks let the tracer measure it. */
struct trace_unit_state {
	bool available;
	/*
	 * Not available: why (the hooks it needs and why each failed).
	 * Available: "" when fully measured, else what it misses and why.
	 */
	char reason[TRACE_REASON_LEN];
};

/* Each unit's availability and reason from the hooks' states. */
void trace_avail_resolve(const struct trace_hook_state hooks[TRACE_HOOK_COUNT],
			 struct trace_unit_state units[TRACE_UNIT_COUNT]);
/* "rx_stack" ... "sched_wait", "rx counters", "tx counters". */
const char *trace_unit_name(unsigned int unit);
/*
 * "stats show" of list, with each stage's and each direction's
 * availability: the same text when everything is measured, and the same
 * JSON fields plus "available" and "reason". An unavailable one prints as
 * "unavailable: REASON" in text and with null values in JSON, not zeros.
 */
void trace_print_show(const struct stats_list *list,
		      const struct trace_unit_state units[TRACE_UNIT_COUNT]);

#endif /* OFFLOADMOD_TRACE_AGG_H */
