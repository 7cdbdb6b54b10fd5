/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels offloadmod builds
 * against: Debian 12's 6.1 and 6.12 (and the debug 6.12 built from
 * linux-source-6.12). Everything else in kmod/ is written against the API
 * common to both; when an API drifts, wrap it here (a feature probe where
 * one exists, LINUX_VERSION_CODE otherwise) rather than in the callers.
 *
 * Checked and identical on 6.1 and 6.12, so nothing is wrapped yet:
 * - tracepoint prototypes of net_dev_queue, net_dev_xmit, netif_receive_skb,
 *   napi_gro_receive_entry, sched_wakeup, sched_wakeup_new and sched_switch
 *   (hooks.c also type-checks its probes against the headers at build time);
 * - struct genl_ops with per-op .policy/.maxattr, genl_family.resv_start_op;
 * - nla_policy.reject_message for NLA_REJECT;
 * - debugfs_remove() (recursive), sysfs_emit_at(),
 *   tracepoint_synchronize_unregister().
 */
#ifndef _OFFLOADMOD_COMPAT_H
#define _OFFLOADMOD_COMPAT_H

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

#endif /* _OFFLOADMOD_COMPAT_H */
