// SPDX-License-Identifier: GPL-2.0
/*
 * Per-skb timestamp side tables (see skbstamp.h for why they exist).
 *
 * TX slots are claimed with cmpxchg on their key: 0 is free, 1 is being
 * written, anything else is the skb address the slot holds. A writer that
 * finds a slot being written gives up (the packet is untimed) rather than
 * wait: the hot path never spins.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "skbstamp.h"

#define OFFLOADMOD_TX_STAMP_BITS	12	/* 4096 packets in qdiscs */
#define OFFLOADMOD_RX_STAMP_BITS	6	/* 64 per CPU in one softirq */
#define OFFLOADMOD_STAMP_BUSY		1UL

struct offloadmod_tx_slot {
	unsigned long key;
	unsigned long head;
	u64 t_ns;
	u64 cgid;
};

struct offloadmod_rx_slot {
	unsigned long key;
	unsigned long head;
	u64 t_ns;
};

struct offloadmod_rx_table {
	struct offloadmod_rx_slot slot[1 << OFFLOADMOD_RX_STAMP_BITS];
};

static struct offloadmod_tx_slot *offloadmod_tx_table;
static struct offloadmod_rx_table __percpu *offloadmod_rx_table;
static atomic64_t offloadmod_stamp_evictions = ATOMIC64_INIT(0);

u64 offloadmod_skbstamp_evictions(void)
{
	return atomic64_read(&offloadmod_stamp_evictions);
}

/**
 * offloadmod_tx_stamp_put() - remember when @skb was queued, and for whom
 * @skb: the packet
 * @t_ns: the time
 * @cgid: the cgroup it is attributed to
 *
 * Return: false if the slot was being written by another CPU.
 */
bool offloadmod_tx_stamp_put(const struct sk_buff *skb, u64 t_ns, u64 cgid)
{
	struct offloadmod_tx_slot *slot =
		&offloadmod_tx_table[hash_ptr(skb, OFFLOADMOD_TX_STAMP_BITS)];
	unsigned long old = READ_ONCE(slot->key);

	if (old == OFFLOADMOD_STAMP_BUSY ||
	    cmpxchg(&slot->key, old, OFFLOADMOD_STAMP_BUSY) != old)
		return false;
	if (old && old != (unsigned long)skb)
		atomic64_inc(&offloadmod_stamp_evictions);
	slot->head = (unsigned long)skb->head;
	slot->t_ns = t_ns;
	slot->cgid = cgid;
	/* Publish the fields before the key that makes them findable. */
	smp_store_release(&slot->key, (unsigned long)skb);
	return true;
}

/**
 * offloadmod_tx_stamp_take() - fetch and forget @skb's enqueue stamp
 * @skb: the packet
 * @t_ns: set to the stored time
 * @cgid: set to the stored cgroup id
 *
 * Return: true if the table held a stamp for this very packet.
 */
bool offloadmod_tx_stamp_take(const struct sk_buff *skb, u64 *t_ns,
			      u64 *cgid)
{
	struct offloadmod_tx_slot *slot =
		&offloadmod_tx_table[hash_ptr(skb, OFFLOADMOD_TX_STAMP_BITS)];
	/* Pairs with the release in offloadmod_tx_stamp_put(). */
	unsigned long key = smp_load_acquire(&slot->key);
	unsigned long head;

	if (key != (unsigned long)skb)
		return false;
	head = READ_ONCE(slot->head);
	*t_ns = READ_ONCE(slot->t_ns);
	*cgid = READ_ONCE(slot->cgid);
	/* Lost a race with a writer reusing the slot: the fields may mix. */
	if (cmpxchg(&slot->key, key, 0) != key)
		return false;
	return head == (unsigned long)skb->head;
}

/* This CPU's RX slot for @skb. */
static struct offloadmod_rx_slot *offloadmod_rx_slot(const struct sk_buff *skb)
{
	struct offloadmod_rx_table *t = this_cpu_ptr(offloadmod_rx_table);

	return &t->slot[hash_ptr(skb, OFFLOADMOD_RX_STAMP_BITS)];
}

/**
 * offloadmod_rx_stamp_put() - remember when @skb entered the stack
 * @skb: the packet
 * @t_ns: the time
 * @keep_older: keep a stamp this packet already has (GRO entry comes
 *	before netif_receive_skb of the merged packet)
 *
 * Context: softirq or preemption off; uses this CPU's table.
 */
void offloadmod_rx_stamp_put(const struct sk_buff *skb, u64 t_ns,
			     bool keep_older)
{
	struct offloadmod_rx_slot *slot = offloadmod_rx_slot(skb);

	if (slot->key == (unsigned long)skb &&
	    slot->head == (unsigned long)skb->head) {
		if (keep_older)
			return;
	} else if (slot->key) {
		atomic64_inc(&offloadmod_stamp_evictions);
	}
	slot->key = (unsigned long)skb;
	slot->head = (unsigned long)skb->head;
	slot->t_ns = t_ns;
}

/**
 * offloadmod_rx_stamp_take() - fetch and forget @skb's stack entry stamp
 * @skb: the packet
 * @t_ns: set to the stored time
 *
 * Context: as offloadmod_rx_stamp_put(), on the CPU that stamped it.
 * Return: true if this CPU's table held a stamp for this very packet.
 */
bool offloadmod_rx_stamp_take(const struct sk_buff *skb, u64 *t_ns)
{
	struct offloadmod_rx_slot *slot = offloadmod_rx_slot(skb);

	if (slot->key != (unsigned long)skb ||
	    slot->head != (unsigned long)skb->head)
		return false;
	*t_ns = slot->t_ns;
	slot->key = 0;
	return true;
}

int offloadmod_skbstamp_init(void)
{
	offloadmod_tx_table = kvcalloc(1 << OFFLOADMOD_TX_STAMP_BITS,
				       sizeof(*offloadmod_tx_table),
				       GFP_KERNEL);
	if (!offloadmod_tx_table)
		return -ENOMEM;
	offloadmod_rx_table = alloc_percpu(struct offloadmod_rx_table);
	if (!offloadmod_rx_table) {
		kvfree(offloadmod_tx_table);
		return -ENOMEM;
	}
	return 0;
}

/* Call once no probe can run any more. */
void offloadmod_skbstamp_exit(void)
{
	free_percpu(offloadmod_rx_table);
	kvfree(offloadmod_tx_table);
}
