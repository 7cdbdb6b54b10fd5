// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel hook points. Each known tracepoint is found by name among the core
 * kernel's tracepoints (for_each_kernel_tracepoint(), as lttng-modules does,
 * since the kernel exports none of these tracepoint symbols) and gets a
 * probe of its own; the probes themselves live with their feature
 * (net_hooks.c, sched_hooks.c). The netfilter LOCAL_IN hooks are in the
 * same table, so users see every hook's invocation count in one place.
 * On kernels where UDP reads no longer pass consume_skb, its entry also
 * covers an ftrace hook on skb_consume_udp() (compat/udp.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/net.h>
#include <trace/events/qdisc.h>
#include <trace/events/sched.h>
#include <trace/events/skb.h>

#include "compat.h"
#include "compat/udp.h"
#include "hooks.h"
#include "probes.h"

struct offloadmod_hook {
	const char *name;
	void *probe;		/* NULL: a netfilter hook, not a tracepoint */
	/* Set during init, before any reader can exist; read-only after. */
	struct tracepoint *tp;	/* NULL: not in the running kernel */
	bool available;
	bool attached;
};

struct offloadmod_hook_pcpu __percpu *offloadmod_hook_pcpu;

/*
 * The consume_skb hook's second attach point, where the kernel needs one
 * (compat/udp.h): attached with it, and whether that failed.
 */
static bool offloadmod_udp_read_attached;
static bool offloadmod_udp_read_failed;

/*
 * tracepoint_probe_register() takes the probe as void *, so a prototype
 * mismatch would go unnoticed until a probe reads garbage. The kernel's
 * register_trace_<event>() takes the exact probe type: naming it inside
 * sizeof() type-checks the probe against the headers being built against
 * (incompatible-pointer-types is an error in kbuild) without emitting a
 * reference to the unexported tracepoint symbol.
 */
#define OFFLOADMOD_CHECK_PROBE(_event)					\
	static_assert(sizeof(register_trace_##_event(			\
			offloadmod_probe_##_event, NULL)) == sizeof(int))

OFFLOADMOD_CHECK_PROBE(net_dev_queue);
OFFLOADMOD_CHECK_PROBE(qdisc_dequeue);
OFFLOADMOD_CHECK_PROBE(net_dev_start_xmit);
OFFLOADMOD_CHECK_PROBE(netif_receive_skb);
OFFLOADMOD_CHECK_PROBE(napi_gro_receive_entry);
OFFLOADMOD_CHECK_PROBE(skb_copy_datagram_iovec);
OFFLOADMOD_CHECK_PROBE(consume_skb);
OFFLOADMOD_CHECK_PROBE(sched_switch);

#define OFFLOADMOD_TP_HOOK(_id, _event)					\
	[_id] = { .name = #_event, .probe = offloadmod_probe_##_event }
#define OFFLOADMOD_NF_HOOK(_id, _name)					\
	[_id] = { .name = _name }

static struct offloadmod_hook offloadmod_hooks[OFFLOADMOD_HOOK_COUNT] = {
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_NET_DEV_QUEUE, net_dev_queue),
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_QDISC_DEQUEUE, qdisc_dequeue),
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_NET_DEV_START_XMIT,
			   net_dev_start_xmit),
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_NETIF_RECEIVE_SKB,
			   netif_receive_skb),
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_NAPI_GRO_RECEIVE_ENTRY,
			   napi_gro_receive_entry),
	OFFLOADMOD_NF_HOOK(OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN,
			   "netfilter_ipv4_local_in"),
	OFFLOADMOD_NF_HOOK(OFFLOADMOD_HOOK_NF_IPV6_LOCAL_IN,
			   "netfilter_ipv6_local_in"),
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_SKB_COPY_DATAGRAM_IOVEC,
			   skb_copy_datagram_iovec),
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_CONSUME_SKB, consume_skb),
	OFFLOADMOD_TP_HOOK(OFFLOADMOD_HOOK_SCHED_SWITCH, sched_switch),
};

static void offloadmod_hooks_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < OFFLOADMOD_HOOK_COUNT; i++) {
		if (offloadmod_hooks[i].probe &&
		    !strcmp(tp->name, offloadmod_hooks[i].name)) {
			offloadmod_hooks[i].tp = tp;
			offloadmod_hooks[i].available = true;
		}
	}
}

/*
 * Which hooks to attach, from the "hooks" parameter. The two netfilter
 * hooks are registered together: naming either selects both.
 */
static int offloadmod_hooks_parse(const char *only, bool *wanted)
{
	const char *p = only;
	int i;

	for (i = 0; i < OFFLOADMOD_HOOK_COUNT; i++)
		wanted[i] = !only || !*only;
	while (p && *p) {
		size_t len = strchrnul(p, ',') - p;

		for (i = 0; i < OFFLOADMOD_HOOK_COUNT; i++)
			if (strlen(offloadmod_hooks[i].name) == len &&
			    !strncmp(offloadmod_hooks[i].name, p, len))
				break;
		if (i == OFFLOADMOD_HOOK_COUNT) {
			pr_err("hooks=%s is invalid: unknown hook \"%.*s\"\n",
			       only, (int)len, p);
			return -EINVAL;
		}
		wanted[i] = true;
		p += len + (p[len] == ',');
	}
	if (wanted[OFFLOADMOD_HOOK_NF_IPV6_LOCAL_IN])
		wanted[OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN] = true;
	return 0;
}

static void offloadmod_hooks_detach(void)
{
	bool nf = offloadmod_hooks[OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN].attached;
	bool any = false;
	int i, err;

	if (nf)
		offloadmod_nf_hooks_exit();
	/* Returns once the ftrace callback cannot run any more. */
	if (offloadmod_udp_read_attached)
		offloadmod_udp_read_hook_unregister();
	offloadmod_udp_read_attached = false;
	for (i = 0; i < OFFLOADMOD_HOOK_COUNT; i++) {
		struct offloadmod_hook *hook = &offloadmod_hooks[i];

		if (!hook->attached)
			continue;
		hook->attached = false;
		if (!hook->probe)
			continue;
		err = tracepoint_probe_unregister(hook->tp, hook->probe, NULL);
		if (err)
			pr_warn("cannot detach from tracepoint %s: %d\n",
				hook->name, err);
		any = true;
	}
	/*
	 * No hook may still be running once what it uses (counters, side
	 * tables, cgroup state, the module's code) is freed, whatever subset
	 * is attached. A tracepoint probe can run until
	 * tracepoint_synchronize_unregister(). A netfilter hook runs under
	 * rcu_read_lock() and can run until a grace period after it was
	 * unregistered. unregister_pernet_subsys() already waits for that
	 * (its rcu_barrier() runs the call_rcu() that frees the old hook
	 * entries, in 6.12's source; nf_unload.sh found no call outliving
	 * the unload without the wait below), but it does not promise to:
	 * the wait is ours to say.
	 */
	if (any)
		tracepoint_synchronize_unregister();
	if (nf)
		synchronize_net();
}

/* The second attach point of the consume_skb hook (compat/udp.h). */
static void offloadmod_udp_read_attach(void)
{
	int err = offloadmod_udp_read_hook_register();

	if (err) {
		pr_warn("cannot hook skb_consume_udp: %d; UDP reads are not measured\n",
			err);
		offloadmod_udp_read_failed = true;
		return;
	}
	offloadmod_udp_read_attached = OFFLOADMOD_UDP_READ_HOOK;
}

/**
 * offloadmod_hooks_udp_reads_lost() - cannot see UDP reads on this kernel
 *
 * Return: true if the consume_skb hook is attached but the second attach
 * point this kernel needs for UDP reads could not be placed.
 */
bool offloadmod_hooks_udp_reads_lost(void)
{
	return offloadmod_udp_read_failed;
}

#ifdef OFFLOADMOD_TEST_HOOKS
/*
 * Test builds only (Kbuild: the module built with the KUnit suites for the
 * debug kernel; never a release or DKMS build). test_nf_delay_us widens
 * the window in which a netfilter hook call runs, so that a teardown that
 * frees hook state while a hook still runs shows up under KASAN
 * (selftests/nf_unload.sh): each call busy-waits that long, then touches
 * an object freed together with the hooks' counters.
 */
static unsigned int offloadmod_test_nf_delay_us;
module_param_named(test_nf_delay_us, offloadmod_test_nf_delay_us, uint, 0644);
MODULE_PARM_DESC(test_nf_delay_us,
		 "Test builds only: busy-wait this long (max 100000) in every netfilter hook call");

static atomic64_t *offloadmod_test_canary;

/**
 * offloadmod_test_nf_delay() - test builds: widen a netfilter hook call
 *
 * Busy-waits test_nf_delay_us, then increments an object that
 * offloadmod_hooks_exit() frees: KASAN reports a hook call that outlives
 * the teardown.
 *
 * Context: a netfilter hook (softirq or process, under rcu_read_lock()).
 */
void offloadmod_test_nf_delay(void)
{
	unsigned int us = min(READ_ONCE(offloadmod_test_nf_delay_us), 100000U);
	atomic64_t *canary = READ_ONCE(offloadmod_test_canary);

	if (!us || !canary)
		return;
	mdelay(us / 1000);
	udelay(us % 1000);
	/* A use after free if the hooks' state went meanwhile. */
	atomic64_inc(canary);
}

static int offloadmod_test_hooks_init(void)
{
	offloadmod_test_canary = kzalloc(sizeof(*offloadmod_test_canary),
					 GFP_KERNEL);
	return offloadmod_test_canary ? 0 : -ENOMEM;
}

static void offloadmod_test_hooks_exit(void)
{
	kfree(offloadmod_test_canary);
	offloadmod_test_canary = NULL;
}
#else
static int offloadmod_test_hooks_init(void)
{
	return 0;
}

static void offloadmod_test_hooks_exit(void)
{
}
#endif

/**
 * offloadmod_hooks_init() - find the known tracepoints, attach probes
 * @attach: attach probes (module parameter attach_hooks); if false, only
 *	report which tracepoints exist
 * @only: NULL or "" for every hook, else a comma-separated list of hook
 *	names to attach (module parameter hooks)
 *
 * A tracepoint the kernel lacks, or a probe that fails to register, is
 * reported as not attached; it does not fail the load.
 *
 * Return: 0, -EINVAL for an unknown name in @only (logged), or -ENOMEM if
 * the counters cannot be allocated.
 */
int offloadmod_hooks_init(bool attach, const char *only)
{
	bool wanted[OFFLOADMOD_HOOK_COUNT];
	int i, err;

	err = offloadmod_hooks_parse(only, wanted);
	if (err)
		return err;
	offloadmod_hook_pcpu = alloc_percpu(struct offloadmod_hook_pcpu);
	if (!offloadmod_hook_pcpu)
		return -ENOMEM;
	err = offloadmod_test_hooks_init();
	if (err) {
		free_percpu(offloadmod_hook_pcpu);
		offloadmod_hook_pcpu = NULL;
		return err;
	}

	for_each_kernel_tracepoint(offloadmod_hooks_lookup, NULL);
	offloadmod_hooks[OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN].available = true;
	offloadmod_hooks[OFFLOADMOD_HOOK_NF_IPV6_LOCAL_IN].available =
		IS_ENABLED(CONFIG_IPV6);

	if (attach && wanted[OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN]) {
		err = offloadmod_nf_hooks_init();
		if (err)
			pr_warn("cannot register netfilter hooks: %d\n", err);
		for (i = OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN;
		     !err && i <= OFFLOADMOD_HOOK_NF_IPV6_LOCAL_IN; i++)
			offloadmod_hooks[i].attached =
				offloadmod_hooks[i].available;
	}

	for (i = 0; i < OFFLOADMOD_HOOK_COUNT; i++) {
		struct offloadmod_hook *hook = &offloadmod_hooks[i];

		if (!hook->probe)
			continue;
		if (!hook->tp) {
			pr_info("tracepoint %s not found in this kernel\n",
				hook->name);
			continue;
		}
		if (!attach || !wanted[i])
			continue;
		err = tracepoint_probe_register(hook->tp, hook->probe, NULL);
		if (err) {
			pr_warn("cannot attach to tracepoint %s: %d\n",
				hook->name, err);
			continue;
		}
		hook->attached = true;
		if (i == OFFLOADMOD_HOOK_CONSUME_SKB)
			offloadmod_udp_read_attach();
	}
	return 0;
}

/**
 * offloadmod_hooks_exit() - detach all probes and free their counters
 *
 * Safe after a partial offloadmod_hooks_init().
 */
void offloadmod_hooks_exit(void)
{
	offloadmod_hooks_detach();
	offloadmod_test_hooks_exit();
	free_percpu(offloadmod_hook_pcpu);
	offloadmod_hook_pcpu = NULL;
}

/**
 * offloadmod_hook_name() - tracepoint name of a hook
 * @id: the hook
 *
 * Return: the name, static storage.
 */
const char *offloadmod_hook_name(enum offloadmod_hook_id id)
{
	return offloadmod_hooks[id].name;
}

/**
 * offloadmod_hook_get_status() - snapshot of one hook
 * @id: the hook
 * @st: filled with name, availability, attachment and total invocations
 */
void offloadmod_hook_get_status(enum offloadmod_hook_id id,
				struct offloadmod_hook_status *st)
{
	const struct offloadmod_hook *hook = &offloadmod_hooks[id];

	st->name = hook->name;
	st->available = hook->available;
	st->attached = hook->attached;
	st->invocations =
		offloadmod_pcpu_sum(&offloadmod_hook_pcpu->invocations[id]);
}

/**
 * offloadmod_hook_cpu_invocations() - probe calls of one hook on one CPU
 * @id: the hook
 * @cpu: a possible CPU
 *
 * Return: the count since load.
 */
u64 offloadmod_hook_cpu_invocations(enum offloadmod_hook_id id, int cpu)
{
	return READ_ONCE(per_cpu_ptr(offloadmod_hook_pcpu, cpu)->invocations[id]);
}

/**
 * offloadmod_hooks_attached() - number of hooks with a probe attached
 *
 * Return: the number.
 */
unsigned int offloadmod_hooks_attached(void)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < OFFLOADMOD_HOOK_COUNT; i++)
		n += offloadmod_hooks[i].attached;
	return n;
}
