/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel hook points: the tracepoints offloadmod knows about, whether the
 * running kernel has them, whether a probe is attached, and how often each
 * probe ran (per-CPU counters, summed only when read).
 */
#ifndef _OFFLOADMOD_HOOKS_H
#define _OFFLOADMOD_HOOKS_H

#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/types.h>

/*
 * Index into the hook table; also the order hooks are reported in. All
 * but the netfilter ones are tracepoints of the same name.
 */
enum offloadmod_hook_id {
	OFFLOADMOD_HOOK_NET_DEV_QUEUE,		/* tx: packets, tx_stack, enqueue */
	OFFLOADMOD_HOOK_QDISC_DEQUEUE,		/* tx_qdisc end */
	OFFLOADMOD_HOOK_NET_DEV_START_XMIT,	/* tx_qdisc end without a qdisc */
	OFFLOADMOD_HOOK_NETIF_RECEIVE_SKB,	/* rx_stack start */
	OFFLOADMOD_HOOK_NAPI_GRO_RECEIVE_ENTRY,	/* rx_stack start before GRO */
	OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN,	/* rx: packets, rx_stack end */
	OFFLOADMOD_HOOK_NF_IPV6_LOCAL_IN,
	OFFLOADMOD_HOOK_SKB_COPY_DATAGRAM_IOVEC,	/* rx_wait end, TCP */
	OFFLOADMOD_HOOK_CONSUME_SKB,		/* rx_wait end, UDP */
	OFFLOADMOD_HOOK_SCHED_SWITCH,		/* sched_wait */

	OFFLOADMOD_HOOK_COUNT
};

/* A consistent-enough copy of one hook's state, for reporting. */
struct offloadmod_hook_status {
	const char *name;	/* tracepoint name, static storage */
	bool available;		/* the running kernel has the tracepoint */
	bool attached;		/* our probe is registered on it */
	u64 invocations;	/* probe calls since load, all CPUs */
};

/*
 * All hot-path state of the hooks, one per CPU: probes only ever touch
 * their own CPU's copy, so they need neither locks nor atomics.
 */
struct offloadmod_hook_pcpu {
	u64 invocations[OFFLOADMOD_HOOK_COUNT];
};

/**
 * offloadmod_pcpu_sum() - sum a per-CPU u64 counter over possible CPUs
 * @counter: the per-CPU counter
 *
 * Possible rather than online CPUs: a CPU that went offline keeps what it
 * counted. Readers race with writers by design; each per-CPU value is read
 * once and untorn (the module targets 64-bit kernels).
 *
 * Return: the sum.
 */
static inline u64 offloadmod_pcpu_sum(const u64 __percpu *counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(counter, cpu));
	return sum;
}

/* Allocated before the first probe is registered, freed after the last. */
extern struct offloadmod_hook_pcpu __percpu *offloadmod_hook_pcpu;

/* Count one probe call; the self-reported overhead users see. */
static __always_inline void offloadmod_hook_hit(enum offloadmod_hook_id id)
{
	this_cpu_inc(offloadmod_hook_pcpu->invocations[id]);
}

/*
 * Test builds only (hooks.c): a delay in each netfilter hook call, set by
 * the test_nf_delay_us parameter. Nothing at all in other builds.
 */
#ifdef OFFLOADMOD_TEST_HOOKS
void offloadmod_test_nf_delay(void);
#else
static inline void offloadmod_test_nf_delay(void)
{
}
#endif

int offloadmod_hooks_init(bool attach, const char *only);
void offloadmod_hooks_exit(void);
const char *offloadmod_hook_name(enum offloadmod_hook_id id);
void offloadmod_hook_get_status(enum offloadmod_hook_id id,
				struct offloadmod_hook_status *st);
u64 offloadmod_hook_cpu_invocations(enum offloadmod_hook_id id, int cpu);
unsigned int offloadmod_hooks_attached(void);
bool offloadmod_hooks_udp_reads_lost(void);

#endif /* _OFFLOADMOD_HOOKS_H */
