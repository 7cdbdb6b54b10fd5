/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels offloadmod builds
 * against: Debian 12's 6.1 and 6.12 (and the debug 6.12 built from
 * linux-source-6.12). Everything else in kmod/ is written against the API
 * common to both; when an API drifts, wrap it here (a feature probe where
 * one exists, LINUX_VERSION_CODE otherwise) rather than in the callers.
 *
 * Checked and identical on 6.1 and 6.12, so not wrapped:
 * - tracepoint prototypes of net_dev_queue, net_dev_start_xmit,
 *   qdisc_dequeue, netif_receive_skb, napi_gro_receive_entry,
 *   skb_copy_datagram_iovec and sched_switch (hooks.c also type-checks its
 *   probes against the headers at build time); consume_skb gained a
 *   location argument in 6.2: probes.h declares the probe either way
 *   (OFFLOADMOD_HAVE_CONSUME_SKB_LOCATION from a Kbuild probe);
 * - __inet_lookup_established(), __inet6_lookup_established() and
 *   net->ipv4.tcp_death_row.hashinfo (per-netns since 6.1);
 * - nf_register_net_hook(),
 *   cgroup_get_from_id(), CSS_ONLINE on cgroup->self, cgroup_parent(),
 *   task_dfl_cgroup(), sock_cgroup_ptr(), local_clock();
 * - struct genl_ops with per-op .policy/.maxattr, genl_family.resv_start_op;
 * - nla_policy.reject_message for NLA_REJECT;
 * - debugfs_remove() (recursive), sysfs_emit_at(),
 *   tracepoint_synchronize_unregister().
 */
#ifndef _OFFLOADMOD_COMPAT_H
#define _OFFLOADMOD_COMPAT_H

#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>

/*
 * The floor is 6.1: genl_family.resv_start_op and the sched_switch
 * prototype with prev_state appeared during 6.0/6.1 development, and an
 * older kernel fails to build on exactly those. Add wrappers below when a
 * newer kernel changes an API, e.g.:
 *
 *	#include <linux/version.h>
 *	#if LINUX_VERSION_CODE >= KERNEL_VERSION(x, y, 0)
 *	...
 */

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
 * Does skb->tstamp hold a delivery time on CLOCK_MONOTONIC (TCP's EDT
 * transmit time) rather than a CLOCK_REALTIME receive timestamp? 6.1 has a
 * mono_delivery_time bit; 6.11 replaced it by skb->tstamp_type. Kbuild
 * probes skbuff.h and defines OFFLOADMOD_HAVE_SKB_TSTAMP_TYPE.
 */
static inline bool offloadmod_skb_tstamp_is_mono(const struct sk_buff *skb)
{
#ifdef OFFLOADMOD_HAVE_SKB_TSTAMP_TYPE
	return skb->tstamp_type == SKB_CLOCK_MONOTONIC;
#else
	return skb->mono_delivery_time;
#endif
}

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
