// SPDX-License-Identifier: GPL-2.0
/*
 * Per-skb timestamp side tables (see skbstamp.h for why they exist).
 *
 * Global slots are claimed with cmpxchg on their key: 0 is free, 1 is being
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
#define OFFLOADMOD_RX_DEFER_BITS	12	/* 4096 in UDP socket queues */
#define OFFLOADMOD_RX_STAMP_BITS	6	/* 64 per CPU in one softirq */
#define OFFLOADMOD_STAMP_BUSY		1UL

struct offloadmod_stamp_slot {
	unsigned long key;
	unsigned long head;
	u64 val;
	u64 aux;
};

struct offloadmod_rx_slot {
	unsigned long key;
	unsigned long head;
	u64 t_ns;
	bool gro;
};

struct offloadmod_rx_table {
	struct offloadmod_rx_slot slot[1 << OFFLOADMOD_RX_STAMP_BITS];
};

struct offloadmod_stamp_table offloadmod_tx_stamps = {
	.bits = OFFLOADMOD_TX_STAMP_BITS,
};

struct offloadmod_stamp_table offloadmod_rx_deferred = {
	.bits = OFFLOADMOD_RX_DEFER_BITS,
};

static struct offloadmod_rx_table __percpu *offloadmod_rx_table;
static atomic64_t offloadmod_stamp_evictions = ATOMIC64_INIT(0);

u64 offloadmod_skbstamp_evictions(void)
{
	return atomic64_read(&offloadmod_stamp_evictions);
}

/**
 * offloadmod_stamp_put() - remember a value for @skb
 * @tab: the table
 * @skb: the packet
 * @val: the value (a time, a duration)
 * @aux: a second value (a cgroup id, flags)
 *
 * Return: whether it was stored, and whether it evicted another packet's
 * entry (whose owner then finds nothing: the caller counts it).
 */
enum offloadmod_stamp_put
offloadmod_stamp_put(struct offloadmod_stamp_table *tab,
		     const struct sk_buff *skb, u64 val, u64 aux)
{
	struct offloadmod_stamp_slot *slot =
		&tab->slot[hash_ptr(skb, tab->bits)];
	unsigned long old = READ_ONCE(slot->key);

	if (old == OFFLOADMOD_STAMP_BUSY ||
	    cmpxchg(&slot->key, old, OFFLOADMOD_STAMP_BUSY) != old)
		return OFFLOADMOD_STAMP_BUSY;
	slot->head = (unsigned long)skb->head;
	slot->val = val;
	slot->aux = aux;
	/* Publish the fields before the key that makes them findable. */
	smp_store_release(&slot->key, (unsigned long)skb);
	if (old && old != (unsigned long)skb) {
		atomic64_inc(&offloadmod_stamp_evictions);
		return OFFLOADMOD_STAMP_EVICTED;
	}
	return OFFLOADMOD_STAMP_STORED;
}

/**
 * offloadmod_stamp_take() - fetch and forget @skb's entry
 * @tab: the table
 * @skb: the packet
 * @val: set to the stored value
 * @aux: set to the stored second value
 *
 * Return: true if the table held an entry for this very packet.
 */
bool offloadmod_stamp_take(struct offloadmod_stamp_table *tab,
			   const struct sk_buff *skb, u64 *val, u64 *aux)
{
	struct offloadmod_stamp_slot *slot =
		&tab->slot[hash_ptr(skb, tab->bits)];
	/* Pairs with the release in offloadmod_stamp_put(). */
	unsigned long key = smp_load_acquire(&slot->key);
	unsigned long head;

	if (key != (unsigned long)skb)
		return false;
	head = READ_ONCE(slot->head);
	*val = READ_ONCE(slot->val);
	*aux = READ_ONCE(slot->aux);
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

/*
 * How long a GRO entry stamp may wait for the merged packet's
 * netif_receive_skb: GRO holds packets until the end of a NAPI poll (or
 * gro_flush_timeout, microseconds). Older matches are a recycled skb.
 */
#define OFFLOADMOD_GRO_HOLD_MAX_NS	(100 * NSEC_PER_MSEC)

/**
 * offloadmod_rx_stamp_put() - remember when @skb entered the stack
 * @skb: the packet
 * @t_ns: the time
 * @gro: stamped at GRO entry. netif_receive_skb of the packet GRO built
 *	from it then keeps that earlier stamp; any other stamp it replaces.
 *
 * Entries of packets that never reach IP local delivery (ARP, forwarded,
 * dropped) stay behind; the next packet in the slot replaces them, and a
 * recycled skb at the same address never inherits one (only a recent GRO
 * stamp is kept).
 *
 * Context: softirq or preemption off; uses this CPU's table.
 */
void offloadmod_rx_stamp_put(const struct sk_buff *skb, u64 t_ns, bool gro)
{
	struct offloadmod_rx_slot *slot = offloadmod_rx_slot(skb);

	if (!gro && slot->gro && slot->key == (unsigned long)skb &&
	    slot->head == (unsigned long)skb->head &&
	    t_ns - slot->t_ns < OFFLOADMOD_GRO_HOLD_MAX_NS) {
		slot->gro = false;
		return;
	}
	slot->key = (unsigned long)skb;
	slot->head = (unsigned long)skb->head;
	slot->t_ns = t_ns;
	slot->gro = gro;
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

static int offloadmod_stamp_table_alloc(struct offloadmod_stamp_table *tab)
{
	tab->slot = kvcalloc(1U << tab->bits, sizeof(*tab->slot), GFP_KERNEL);
	return tab->slot ? 0 : -ENOMEM;
}

int offloadmod_skbstamp_init(void)
{
	if (offloadmod_stamp_table_alloc(&offloadmod_tx_stamps) ||
	    offloadmod_stamp_table_alloc(&offloadmod_rx_deferred))
		goto err;
	offloadmod_rx_table = alloc_percpu(struct offloadmod_rx_table);
	if (!offloadmod_rx_table)
		goto err;
	return 0;
err:
	offloadmod_skbstamp_exit();
	return -ENOMEM;
}

/* Call once no probe can run any more. */
void offloadmod_skbstamp_exit(void)
{
	free_percpu(offloadmod_rx_table);
	offloadmod_rx_table = NULL;
	kvfree(offloadmod_tx_stamps.slot);
	offloadmod_tx_stamps.slot = NULL;
	kvfree(offloadmod_rx_deferred.slot);
	offloadmod_rx_deferred.slot = NULL;
}
