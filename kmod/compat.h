/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels offloadmod builds
 * against: Debian 11's 5.10, Debian 12's 6.1 and 6.12 (and the debug 6.12
 * built from linux-source-6.12), and sid's 7.2. Everything else in kmod/ is
 * written against these wrappers; when an API drifts, wrap it here or in a
 * compat/ header of its subsystem (cgroup.h, inet.h, netdev.h, sock.h),
 * selected by a Kbuild feature probe on the headers (OFFLOADMOD_HAVE_*),
 * not by LINUX_VERSION_CODE.
 *
 * Checked and identical on all of them, so not wrapped:
 * - tracepoint prototypes of net_dev_queue, net_dev_start_xmit,
 *   qdisc_dequeue, netif_receive_skb, napi_gro_receive_entry,
 *   skb_copy_datagram_iovec and inet_sock_set_state (hooks.c and
 *   sockpolicy.c type-check their probes against the headers at build
 *   time); consume_skb and sched_switch differ (below);
 * - net->ipv4.tcp_death_row.hashinfo (one table shared by every namespace
 *   on 5.10, per-netns tables possible since 6.1), inet_ehash_lockp();
 * - nf_register_net_hooks(), CSS_ONLINE on cgroup->self, cgroup_parent(),
 *   cgroup_path(), cgroup_id(), task_dfl_cgroup(), sock_cgroup_ptr(),
 *   local_clock(), sched_info.last_queued;
 * - struct genl_ops with per-op .policy/.maxattr and .start (5.10 has
 *   them), genl_dumpit_info() (its layout differs: below);
 * - nla_policy.reject_message for NLA_REJECT, NLA_POLICY_FULL_RANGE;
 * - debugfs_remove() (recursive), sysfs_emit_at(),
 *   tracepoint_synchronize_unregister(), sock_diag_save_cookie(),
 *   sk_setup_caps(), sk_gso_max_size, sk_gso_max_segs, sk_ll_usec.
 */
#ifndef _OFFLOADMOD_COMPAT_H
#define _OFFLOADMOD_COMPAT_H

#include <linux/ktime.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

/*
 * The parsed request attributes of a genetlink dump. 6.2 moved them into a
 * struct genl_info inside struct genl_dumpit_info (with genl_split_ops);
 * Kbuild defines OFFLOADMOD_HAVE_GENL_SPLIT_OPS when the header has those.
 */
static inline struct nlattr **
offloadmod_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef OFFLOADMOD_HAVE_GENL_SPLIT_OPS
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * genl_family.resv_start_op (6.1): commands from this one on have the
 * reserved byte of their genetlink header checked. 5.10 checks it for no
 * command and has no such field: nothing to set there.
 * (OFFLOADMOD_HAVE_GENL_RESV_START_OP from a Kbuild probe.)
 */
static inline void
offloadmod_genl_family_set_resv_start_op(struct genl_family *family, u8 op)
{
#ifdef OFFLOADMOD_HAVE_GENL_RESV_START_OP
	family->resv_start_op = op;
#endif
}

/*
 * Report a missing attribute (NLMSGERR_ATTR_MISS_TYPE/_NEST, 6.0). On 5.10
 * the kernel has no way to say it: the extack message the callers set next
 * names the attribute.
 */
static inline void offloadmod_extack_attr_miss(struct netlink_ext_ack *extack,
					       const struct nlattr *nest,
					       int type)
{
#ifdef NL_SET_ERR_ATTR_MISS
	NL_SET_ERR_ATTR_MISS(extack, nest, type);
#endif
}

/*
 * The per-CPU system workqueue, the one schedule_work() uses: system_wq up
 * to 6.16, system_percpu_wq since, and 7.x warns about work queued on
 * system_wq, which is to go. (OFFLOADMOD_HAVE_SYSTEM_PERCPU_WQ.)
 */
static inline struct workqueue_struct *offloadmod_system_wq(void)
{
#ifdef OFFLOADMOD_HAVE_SYSTEM_PERCPU_WQ
	return system_percpu_wq;
#else
	return system_wq;
#endif
}

/*
 * The clock of skb->tstamp, or none: what rx_wait and tx_stack compare it
 * with. TCP stamps the skbs it sends with their EDT departure time on
 * CLOCK_MONOTONIC; the receive path stamps with CLOCK_REALTIME
 * (net_enable_timestamp()).
 */
enum offloadmod_tstamp_clock {
	OFFLOADMOD_TSTAMP_NONE,		/* 0, or a clock we do not read */
	OFFLOADMOD_TSTAMP_MONO,		/* CLOCK_MONOTONIC */
	OFFLOADMOD_TSTAMP_REAL,		/* CLOCK_REALTIME */
};

#if defined(OFFLOADMOD_HAVE_SKB_TSTAMP_TYPE)
/* 6.11 replaced mono_delivery_time by skb->tstamp_type, which adds TAI. */
static inline enum offloadmod_tstamp_clock
offloadmod_skb_tstamp_clock(const struct sk_buff *skb)
{
	if (!skb->tstamp)
		return OFFLOADMOD_TSTAMP_NONE;
	switch (skb->tstamp_type) {
	case SKB_CLOCK_MONOTONIC:
		return OFFLOADMOD_TSTAMP_MONO;
	case SKB_CLOCK_REALTIME:
		return OFFLOADMOD_TSTAMP_REAL;
	default:
		return OFFLOADMOD_TSTAMP_NONE;
	}
}
#elif defined(OFFLOADMOD_HAVE_SKB_MONO_DELIVERY_TIME)
/* 5.18 to 6.10: one bit says "CLOCK_MONOTONIC delivery time". */
static inline enum offloadmod_tstamp_clock
offloadmod_skb_tstamp_clock(const struct sk_buff *skb)
{
	if (!skb->tstamp)
		return OFFLOADMOD_TSTAMP_NONE;
	return skb->mono_delivery_time ? OFFLOADMOD_TSTAMP_MONO :
					 OFFLOADMOD_TSTAMP_REAL;
}
#else
/*
 * 5.10: nothing in the skb says which clock skb->tstamp is on (TCP's
 * skb_mstamp_ns shares the field). A heuristic: the clock whose current
 * time the stamp is nearer to. The two clocks differ by the wall-clock
 * time of boot (offs_real, decades on a host whose clock is set), while a
 * stamp is at most seconds from its own clock's now, so the answer is
 * exact unless a stamp is further from its own clock's now than half the
 * distance between the clocks - possible only with a wall clock set near
 * 1970 (no RTC, before NTP). A misjudged stamp is then off by that
 * distance, which is less than twice the stamp's own age.
 * docs/LATENCY.md has the details.
 */
static inline enum offloadmod_tstamp_clock
offloadmod_skb_tstamp_clock(const struct sk_buff *skb)
{
	s64 t = ktime_to_ns(skb->tstamp), offs, to_mono;

	if (!t)
		return OFFLOADMOD_TSTAMP_NONE;
	offs = ktime_to_ns(ktime_mono_to_real(0));	/* REALTIME - MONOTONIC */
	to_mono = t - ktime_get_ns();
	return abs(to_mono) < abs(to_mono - offs) ? OFFLOADMOD_TSTAMP_MONO :
						    OFFLOADMOD_TSTAMP_REAL;
}
#endif

/*
 * The probes on tracepoints whose prototype changed (probes.h has the
 * others): their declarations, and their parameter lists after the
 * probe's own void *data (TP_PROTO) for the definitions. The probes use
 * only the arguments every version has.
 * - consume_skb: 6.2 added the caller's address (5.10 and 6.1 have only
 *   the skb);
 * - sched_switch: 5.18 added prev_state.
 * Kbuild reads both from the tracepoint's own TRACE_EVENT.
 */
#ifdef OFFLOADMOD_HAVE_CONSUME_SKB_LOCATION
#define OFFLOADMOD_CONSUME_SKB_PROTO	struct sk_buff *skb, void *location
void offloadmod_probe_consume_skb(void *data, struct sk_buff *skb,
				  void *location);
#else
#define OFFLOADMOD_CONSUME_SKB_PROTO	struct sk_buff *skb
void offloadmod_probe_consume_skb(void *data, struct sk_buff *skb);
#endif

#ifdef OFFLOADMOD_HAVE_SCHED_SWITCH_PREV_STATE
#define OFFLOADMOD_SCHED_SWITCH_PROTO					\
	bool preempt, struct task_struct *prev, struct task_struct *next, \
	unsigned int prev_state
void offloadmod_probe_sched_switch(void *data, bool preempt,
				   struct task_struct *prev,
				   struct task_struct *next,
				   unsigned int prev_state);
#else
#define OFFLOADMOD_SCHED_SWITCH_PROTO					\
	bool preempt, struct task_struct *prev, struct task_struct *next
void offloadmod_probe_sched_switch(void *data, bool preempt,
				   struct task_struct *prev,
				   struct task_struct *next);
#endif

/*
 * When @p was last queued on a run queue and has not run since, on the
 * clock of local_clock() (the scheduler's rq clock), or 0. This is the
 * scheduler's own sched_info accounting (run_delay in /proc/PID/schedstat);
 * without CONFIG_SCHED_INFO there is nothing to read and sched_wait cannot
 * be measured (OFFLOADMOD_HAVE_SCHED_INFO tells the callers).
 */
#ifdef CONFIG_SCHED_INFO
#define OFFLOADMOD_HAVE_SCHED_INFO	1
static inline u64 offloadmod_task_queued_since(const struct task_struct *p)
{
	return READ_ONCE(p->sched_info.last_queued);
}
#else
#define OFFLOADMOD_HAVE_SCHED_INFO	0
static inline u64 offloadmod_task_queued_since(const struct task_struct *p)
{
	return 0;
}
#endif

#endif /* _OFFLOADMOD_COMPAT_H */
