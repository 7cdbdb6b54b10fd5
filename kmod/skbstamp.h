/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Side tables that carry a timestamp from one hook to a later one for the
 * same skb, where the kernel keeps no usable time in the skb itself:
 * - TX: qdisc enqueue -> dequeue (a qdisc may hold a packet on any CPU for
 *   as long as it likes, so the table is global and lock-free);
 * - RX: stack entry -> IP local delivery (one softirq run on one CPU, so
 *   the table is per CPU).
 * Both are bounded and direct-mapped by skb address: a newer packet evicts
 * an older one in the same slot (counted). An entry also records skb->head,
 * so that a freed skb whose address is reused for a different packet does
 * not match a stale entry.
 */
#ifndef _OFFLOADMOD_SKBSTAMP_H
#define _OFFLOADMOD_SKBSTAMP_H

#include <linux/types.h>

struct sk_buff;

int offloadmod_skbstamp_init(void);
void offloadmod_skbstamp_exit(void);

bool offloadmod_tx_stamp_put(const struct sk_buff *skb, u64 t_ns, u64 cgid);
bool offloadmod_tx_stamp_take(const struct sk_buff *skb, u64 *t_ns,
			      u64 *cgid);
void offloadmod_rx_stamp_put(const struct sk_buff *skb, u64 t_ns,
			     bool keep_older);
bool offloadmod_rx_stamp_take(const struct sk_buff *skb, u64 *t_ns);
u64 offloadmod_skbstamp_evictions(void);

#endif /* _OFFLOADMOD_SKBSTAMP_H */
