/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a UDP read ends, across the kernels offloadmod builds against.
 * Included by hooks.c only; kmod/compat.h has the rest of the compat layer.
 *
 * UDP's recvmsg() copies a linear datagram without the
 * skb_copy_datagram_iovec tracepoint, then hands the skb to
 * skb_consume_udp(). Up to 6.17 that frees it through
 * __consume_stateless_skb(), in the reading task: the consume_skb
 * tracepoint ends rx_wait there (net_hooks.c). 6.18 (commit 6471658dc66c,
 * "udp: use skb_attempt_defer_free()") frees an unshared skb without any
 * tracepoint, or later on the CPU that received it; only a shared skb
 * (a concurrent MSG_PEEK) still goes through __consume_stateless_skb().
 * No tracepoint is left in the reading task. The change itself shows in no
 * header; udp_drops_inc() in net/udp.h came with it, in the same series
 * merged for 6.18 ("udp: increase RX performance under stress", patches
 * 8 and 10 of 10): Kbuild probes for that, OFFLOADMOD_HAVE_UDP_DEFER_FREE.
 *
 * There the end of a UDP read is an ftrace function hook on the entry of
 * skb_consume_udp() (after the copy, in the reading task, skb alive): the
 * attach point of fentry BPF programs, a call from the function's
 * patched-in ftrace site, no trap, no return probe. It hands the probe
 * unshared skbs only, so that it and the consume_skb tracepoint see each
 * read once. It needs CONFIG_DYNAMIC_FTRACE_WITH_ARGS (Debian has it); a
 * kernel without it, or where the hook cannot be placed, cannot time UDP
 * reads or count datagrams to unconnected UDP sockets: get-status lists
 * hook.skb_consume_udp as unsupported.
 */
#ifndef _OFFLOADMOD_COMPAT_UDP_H
#define _OFFLOADMOD_COMPAT_UDP_H

#include <linux/errno.h>

#include "../probes.h"

#ifdef OFFLOADMOD_HAVE_UDP_DEFER_FREE
#define OFFLOADMOD_UDP_READ_HOOK	1
#else
#define OFFLOADMOD_UDP_READ_HOOK	0
#endif

#if OFFLOADMOD_UDP_READ_HOOK && IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_ARGS)
#include <linux/ftrace.h>
#include <linux/preempt.h>
#include <linux/skbuff.h>
#include <linux/string.h>

static void notrace offloadmod_udp_read_ftrace(unsigned long ip,
					       unsigned long parent_ip,
					       struct ftrace_ops *op,
					       struct ftrace_regs *fregs)
{
	/* skb_consume_udp(struct sock *sk, struct sk_buff *skb, int len) */
	struct sk_buff *skb =
		(struct sk_buff *)ftrace_regs_get_argument(fregs, 1);

	if (!skb || skb_shared(skb))
		return;
	preempt_disable_notrace();
	offloadmod_probe_udp_read(skb);
	preempt_enable_notrace();
}

/* Recursion-safe: ftrace keeps the callback from recursing into itself. */
static struct ftrace_ops offloadmod_udp_read_ops = {
	.func	= offloadmod_udp_read_ftrace,
	.flags	= FTRACE_OPS_FL_RECURSION,
};

/*
 * Attach the hook. Return: 0 (attached, or not needed on this kernel) or
 * a negative errno: then UDP reads go unmeasured.
 */
static inline int offloadmod_udp_read_hook_register(void)
{
	static unsigned char name[] = "skb_consume_udp";
	int err;

	err = ftrace_set_filter(&offloadmod_udp_read_ops, name,
				strlen(name), 1);
	if (!err)
		err = register_ftrace_function(&offloadmod_udp_read_ops);
	if (err)
		ftrace_free_filter(&offloadmod_udp_read_ops);
	return err;
}

/* Returns once the callback can no longer run. */
static inline void offloadmod_udp_read_hook_unregister(void)
{
	unregister_ftrace_function(&offloadmod_udp_read_ops);
	ftrace_free_filter(&offloadmod_udp_read_ops);
}
#elif OFFLOADMOD_UDP_READ_HOOK
static inline int offloadmod_udp_read_hook_register(void)
{
	return -EOPNOTSUPP;
}

static inline void offloadmod_udp_read_hook_unregister(void)
{
}
#else
static inline int offloadmod_udp_read_hook_register(void)
{
	return 0;
}

static inline void offloadmod_udp_read_hook_unregister(void)
{
}
#endif

#endif /* _OFFLOADMOD_COMPAT_UDP_H */
