/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl trace: which stages and packet counters a kernel lets the
 * eBPF tracer measure, worked out from which of its hooks attached and
 * why the others did not. No BPF, no system calls, so tests/test_trace.c
 * checks it on synthetic hook states.
 */
#ifndef OFFLOADMOD_TRACE_AVAIL_H
#define OFFLOADMOD_TRACE_AVAIL_H

#include <stdbool.h>

#include "stats.h"

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
 * enum offloadmod_stage), then the rx and tx packet counters, as
 * stats_print_show() takes them.
 */
enum {
	TRACE_UNIT_RX = STATS_AVAIL_RX,
	TRACE_UNIT_TX = STATS_AVAIL_TX,
	TRACE_UNIT_COUNT = STATS_AVAIL_COUNT
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
 * units as stats_print_show() takes them; out[] points into units[], which
 * must outlive it.
 */
void trace_avail_to_stats(const struct trace_unit_state units[TRACE_UNIT_COUNT],
			  struct stats_avail out[STATS_AVAIL_COUNT]);

#endif /* OFFLOADMOD_TRACE_AVAIL_H */
