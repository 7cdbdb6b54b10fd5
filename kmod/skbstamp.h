/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Side tables that carry a timestamp from one hook to a later one for the
 * same skb, where the kernel keeps no usable time in the skb itself:
 * - TX: qdisc enqueue -> dequeue (a qdisc may hold a packet on any CPU for
 *   as long as it likes, so the table is global and lock-free);
 * - RX: stack entry -> IP local delivery (one softirq run on one CPU, so
 *   the table is per CPU);
 * - RX deferred: IP local delivery -> the reader, for packets whose socket
 *   early demux did not find (global, like TX): looking the socket up for
 *   every such packet would cost more than the rest of the probes.
 * All are bounded and direct-mapped by skb address: a newer packet evicts
 * an older one in the same slot (counted in the global tables). An entry also records skb->head,
 * so that a freed skb whose address is reused for a different packet does
 * not match a stale entry.
 */
#ifndef _OFFLOADMOD_SKBSTAMP_H
#define _OFFLOADMOD_SKBSTAMP_H

#include <linux/types.h>

struct sk_buff;

/* A global, lock-free table: any CPU may put, any CPU may take. */
struct offloadmod_stamp_slot;
struct offloadmod_stamp_table {
	struct offloadmod_stamp_slot *slot;
	unsigned int bits;
};

enum offloadmod_stamp_put {
	OFFLOADMOD_STAMP_STORED,
	OFFLOADMOD_STAMP_EVICTED,	/* stored over another packet's entry */
	OFFLOADMOD_STAMP_BUSY,		/* not stored: another CPU was writing */
};

/*
 * TX: qdisc enqueue time and cgroup id. RX deferred: rx_stack of a packet
 * whose socket was not known at IP local delivery (an unconnected UDP
 * socket), until the reader consumes it.
 */
extern struct offloadmod_stamp_table offloadmod_tx_stamps;
extern struct offloadmod_stamp_table offloadmod_rx_deferred;

int offloadmod_skbstamp_init(void);
void offloadmod_skbstamp_exit(void);

enum offloadmod_stamp_put
offloadmod_stamp_put(struct offloadmod_stamp_table *tab,
		     const struct sk_buff *skb, u64 val, u64 aux);
bool offloadmod_stamp_take(struct offloadmod_stamp_table *tab,
			   const struct sk_buff *skb, u64 *val, u64 *aux);
void offloadmod_rx_stamp_put(const struct sk_buff *skb, u64 t_ns, bool gro);
bool offloadmod_rx_stamp_take(const struct sk_buff *skb, u64 *t_ns);
u64 offloadmod_skbstamp_evictions(void);

#endif /* _OFFLOADMOD_SKBSTAMP_H */
