/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probes attached to tracepoints (hooks.c registers them), written in
 * net_hooks.c and sched_hooks.c. Each takes (void *data, <TP_PROTO of the
 * tracepoint>); hooks.c checks every prototype against the kernel headers
 * at build time.
 */
#ifndef _OFFLOADMOD_PROBES_H
#define _OFFLOADMOD_PROBES_H

#include <linux/types.h>

#include "compat.h"

struct Qdisc;
struct net_device;
struct netdev_queue;
struct sk_buff;
struct task_struct;

void offloadmod_probe_net_dev_queue(void *data, struct sk_buff *skb);
void offloadmod_probe_qdisc_dequeue(void *data, struct Qdisc *qdisc,
				    const struct netdev_queue *txq,
				    int packets, struct sk_buff *skb);
void offloadmod_probe_net_dev_start_xmit(void *data,
					 const struct sk_buff *skb,
					 const struct net_device *dev);
void offloadmod_probe_netif_receive_skb(void *data, struct sk_buff *skb);
void offloadmod_probe_napi_gro_receive_entry(void *data,
					     const struct sk_buff *skb);
void offloadmod_probe_skb_copy_datagram_iovec(void *data,
					      const struct sk_buff *skb,
					      int len);
/*
 * offloadmod_probe_consume_skb() and offloadmod_probe_sched_switch(), whose
 * prototypes differ between kernels, are declared in compat.h.
 */
/* The end of a UDP read where consume_skb no longer is (compat/udp.h). */
void offloadmod_probe_udp_read(struct sk_buff *skb);

/* net_hooks.c: netfilter LOCAL_IN hooks in every network namespace. */
int offloadmod_nf_hooks_init(void);
void offloadmod_nf_hooks_exit(void);

/* net_hooks.c / sched_hooks.c: global state of the probes. */
int offloadmod_net_hooks_init(void);
void offloadmod_net_hooks_exit(void);

#endif /* _OFFLOADMOD_PROBES_H */
