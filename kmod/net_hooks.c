// SPDX-License-Identifier: GPL-2.0
/*
 * Packet-path probes: per-cgroup packet counters and the rx_stack,
 * rx_wait, tx_stack and tx_qdisc stages.
 *
 * Clocks: the side-table stages (rx_stack, tx_qdisc) use local_clock(),
 * the scheduler clock, which is cheaper to read than ktime_get_ns() and
 * consistent across CPUs where the TSC is stable (a start later than the
 * end is counted untimed otherwise); the stages that compare with a
 * timestamp the kernel took read that timestamp's clock.
 *
 * Where each stage's time comes from:
 * - tx_stack: TCP stamps every skb it transmits with its EDT transmit time
 *   (skb->tstamp on CLOCK_MONOTONIC); net_dev_queue closes the stage. Other
 *   protocols keep no send time in the skb: their tx_stack is untimed.
 * - tx_qdisc: net_dev_queue stamps the skb in a side table; qdisc_dequeue
 *   (or net_dev_start_xmit on a device without a qdisc) closes it.
 * - rx_stack: netif_receive_skb in the namespace where the packet is
 *   delivered (or napi_gro_receive_entry before it, so GRO's hold time
 *   counts) stamps the skb in a per-CPU side table; the netfilter
 *   LOCAL_IN hook, last in line, closes it just before the transport
 *   protocol queues the packet on its socket.
 * - rx_wait: the kernel's own software receive timestamp (skb->tstamp on
 *   CLOCK_REALTIME, enabled with net_enable_timestamp(); what SO_TIMESTAMP
 *   reports) to the copy to the application. The kernel takes it when the
 *   packet enters the stack, or at IP local delivery when the packet
 *   carried a sender's delivery time (TCP over veth or loopback; 5.10
 *   keeps the sender's CLOCK_MONOTONIC stamp on loopback instead, and
 *   rx_wait then runs from the sender's transmit, on that clock). TCP
 *   copies go through skb_copy_datagram_iovec; UDP copies a linear skb
 *   with plain copy_to_iter, so for UDP the stage ends when recvmsg
 *   consumes the skb (consume_skb, in the reading task; on 6.18+, which
 *   frees it without that tracepoint, the entry of skb_consume_udp():
 *   compat/udp.h).
 *
 * Attribution: a transmitted packet belongs to the cgroup of its socket,
 * counted on a device in the socket's network namespace; a received one
 * to the cgroup of the socket it is delivered to (found by the kernel's
 * early demux, looked up here for loopback TCP which skips early demux, or
 * - for unconnected UDP sockets, which early demux does not find - counted
 * when the reader consumes the packet, rather than paying for a socket
 * lookup per packet); a copy to the task doing it.
 */
#include <linux/cgroup.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/sched/clock.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "cgstats.h"
#include "compat.h"
#include "compat/inet.h"
#include "hooks.h"
#include "probes.h"
#include "skbstamp.h"

/*
 * The cgroup a socket was created in. Kernel sockets (TCP's per-netns
 * control socket sending RSTs and TIME_WAIT ACKs, tunnels) belong to no
 * container, whoever created the namespace: unattributed.
 * Context: RCU read side.
 */
static struct offloadmod_cg *offloadmod_sock_cg(struct sock *sk)
{
	sk = sk_to_full_sk(sk);
	if (!sk || !sk_fullsock(sk) || sk->sk_kern_sock)
		return NULL;
	return offloadmod_cg_get(cgroup_id(sock_cgroup_ptr(&sk->sk_cgrp_data)));
}

static __always_inline void
offloadmod_count_packet(struct offloadmod_cg *cg, enum offloadmod_dir d,
			const struct sk_buff *skb)
{
	struct offloadmod_dir_counters __percpu *c = &cg->pcpu->dir[d];

	this_cpu_inc(c->packets);
	this_cpu_add(c->bytes, skb->len);
	if (skb_is_gso(skb)) {
		this_cpu_inc(c->offload_packets);
		this_cpu_add(c->offload_segments, skb_shinfo(skb)->gso_segs);
	}
}

static __always_inline void
offloadmod_stage_record(struct offloadmod_cg *cg, enum offloadmod_stage s,
			u64 start, u64 end)
{
	if (start && start <= end)
		offloadmod_hist_record(&cg->pcpu->stage[s], end - start);
	else
		offloadmod_hist_untimed(&cg->pcpu->stage[s]);
}

notrace void offloadmod_probe_net_dev_queue(void *data, struct sk_buff *skb)
{
	struct offloadmod_cg *cg;
	u64 now = 0, sent = 0;

	offloadmod_hook_hit(OFFLOADMOD_HOOK_NET_DEV_QUEUE);
	if (!skb->sk) {
		offloadmod_lost_inc(OFFLOADMOD_LOST_UNATTRIBUTED_TX);
		return;
	}
	/*
	 * A packet keeps its socket across a veth into another namespace, so
	 * a bridge on the host transmits it again: only the egress in the
	 * socket's own namespace is the container's.
	 */
	if (!net_eq(sock_net(skb->sk), dev_net(skb->dev)))
		return;
	rcu_read_lock();
	cg = offloadmod_sock_cg(skb->sk);
	if (!cg) {
		offloadmod_lost_inc(OFFLOADMOD_LOST_UNATTRIBUTED_TX);
		goto out;
	}
	offloadmod_count_packet(cg, OFFLOADMOD_DIR_TX, skb);
	/* TCP's send stamp is on CLOCK_MONOTONIC: compare on that clock. */
	if (offloadmod_skb_tstamp_clock(skb) == OFFLOADMOD_TSTAMP_MONO) {
		sent = ktime_to_ns(skb->tstamp);
		now = ktime_get_ns();
	}
	offloadmod_stage_record(cg, OFFLOADMOD_STAGE_TX_STACK, sent, now);
	if (offloadmod_stamp_put(&offloadmod_tx_stamps, skb, local_clock(),
				 cg->id) == OFFLOADMOD_STAMP_BUSY)
		offloadmod_hist_untimed(&cg->pcpu->stage[OFFLOADMOD_STAGE_TX_QDISC]);
out:
	rcu_read_unlock();
}

/*
 * Close tx_qdisc for @skb if net_dev_queue stamped it. The clock is read
 * only on a hit: after a qdisc dequeue, net_dev_start_xmit always misses.
 */
static void offloadmod_tx_qdisc_done(const struct sk_buff *skb)
{
	struct offloadmod_cg *cg;
	u64 queued, cgid;

	if (!offloadmod_stamp_take(&offloadmod_tx_stamps, skb, &queued, &cgid))
		return;
	rcu_read_lock();
	cg = offloadmod_cg_lookup(cgid);
	if (cg)
		offloadmod_stage_record(cg, OFFLOADMOD_STAGE_TX_QDISC, queued,
					local_clock());
	rcu_read_unlock();
}

notrace void offloadmod_probe_qdisc_dequeue(void *data, struct Qdisc *qdisc,
					    const struct netdev_queue *txq,
					    int packets, struct sk_buff *skb)
{
	int i;

	offloadmod_hook_hit(OFFLOADMOD_HOOK_QDISC_DEQUEUE);
	/* A bulk dequeue hands over a list linked through skb->next. */
	for (i = 0; skb && i < packets; i++, skb = skb->next)
		offloadmod_tx_qdisc_done(skb);
}

notrace void offloadmod_probe_net_dev_start_xmit(void *data,
						 const struct sk_buff *skb,
						 const struct net_device *dev)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_NET_DEV_START_XMIT);
	offloadmod_tx_qdisc_done(skb);
}

notrace void offloadmod_probe_netif_receive_skb(void *data,
						struct sk_buff *skb)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_NETIF_RECEIVE_SKB);
	offloadmod_rx_stamp_put(skb, local_clock(), false);
}

notrace void offloadmod_probe_napi_gro_receive_entry(void *data,
						     const struct sk_buff *skb)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_NAPI_GRO_RECEIVE_ENTRY);
	offloadmod_rx_stamp_put(skb, local_clock(), true);
}

/* The transport protocol of a received IP packet (no extension headers). */
static u8 offloadmod_l4_proto(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return ip_hdr(skb)->protocol;
	if (skb->protocol == htons(ETH_P_IPV6))
		return ipv6_hdr(skb)->nexthdr;
	return 0;
}

/*
 * The established TCP socket a packet is about to be delivered to, when
 * early demux did not attach it: packets that kept their route (loopback)
 * skip early demux. A SYN to a listener is nobody's yet. Returns a
 * referenced socket (put it with sock_gen_put()) or NULL.
 */
static struct sock *offloadmod_tcp_lookup(struct sk_buff *skb, bool ipv6)
{
	struct net *net = dev_net(skb->dev);
	int dif = skb->dev->ifindex;
	__be16 _ports[2];
	const __be16 *ports;

	ports = skb_header_pointer(skb, skb_transport_offset(skb),
				   sizeof(_ports), &_ports);
	if (!ports)
		return NULL;
#if IS_ENABLED(CONFIG_IPV6)
	if (ipv6)
		return offloadmod_tcp6_lookup_established(net,
							  &ipv6_hdr(skb)->saddr,
							  ports[0],
							  &ipv6_hdr(skb)->daddr,
							  ntohs(ports[1]), dif);
#endif
	return offloadmod_tcp_lookup_established(net, ip_hdr(skb)->saddr,
						 ports[0], ip_hdr(skb)->daddr,
						 ntohs(ports[1]), dif);
}

/*
 * What a deferred packet carries to its reader: its rx_stack (if timed)
 * in the value, and in aux whether it was timed, GSO, its segments and
 * its length at IP local delivery (so rx bytes mean the same on both
 * paths).
 */
#define OFFLOADMOD_DEFER_TIMED		BIT_ULL(0)
#define OFFLOADMOD_DEFER_GSO		BIT_ULL(1)
#define OFFLOADMOD_DEFER_SEGS_SHIFT	16
#define OFFLOADMOD_DEFER_LEN_SHIFT	32

static void offloadmod_rx_defer(const struct sk_buff *skb, u64 entered,
				u64 now)
{
	u64 aux = (u64)skb->len << OFFLOADMOD_DEFER_LEN_SHIFT;

	if (entered && entered <= now)
		aux |= OFFLOADMOD_DEFER_TIMED;
	if (skb_is_gso(skb))
		aux |= OFFLOADMOD_DEFER_GSO |
		       (u64)(skb_shinfo(skb)->gso_segs & 0xffff)
		       << OFFLOADMOD_DEFER_SEGS_SHIFT;
	switch (offloadmod_stamp_put(&offloadmod_rx_deferred, skb,
				     now - entered, aux)) {
	case OFFLOADMOD_STAMP_STORED:
		break;
	case OFFLOADMOD_STAMP_EVICTED:	/* the evicted packet is now lost */
	case OFFLOADMOD_STAMP_BUSY:	/* this one is */
		offloadmod_lost_inc(OFFLOADMOD_LOST_UNATTRIBUTED_RX);
		break;
	}
}

/* The reader of a deferred packet: count it, and its rx_stack, for @cg. */
static void offloadmod_rx_deferred_done(struct offloadmod_cg *cg,
					const struct sk_buff *skb)
{
	struct offloadmod_dir_counters __percpu *c =
		&cg->pcpu->dir[OFFLOADMOD_DIR_RX];
	struct offloadmod_hist __percpu *h =
		&cg->pcpu->stage[OFFLOADMOD_STAGE_RX_STACK];
	u64 stack_ns, aux;

	if (!offloadmod_stamp_take(&offloadmod_rx_deferred, skb, &stack_ns,
				   &aux))
		return;
	this_cpu_inc(c->packets);
	this_cpu_add(c->bytes, aux >> OFFLOADMOD_DEFER_LEN_SHIFT);
	if (aux & OFFLOADMOD_DEFER_GSO) {
		this_cpu_inc(c->offload_packets);
		this_cpu_add(c->offload_segments,
			     (aux >> OFFLOADMOD_DEFER_SEGS_SHIFT) & 0xffff);
	}
	if (aux & OFFLOADMOD_DEFER_TIMED)
		offloadmod_hist_record(h, stack_ns);
	else
		offloadmod_hist_untimed(h);
}

/*
 * IP local delivery: rx_stack ends, the packet is counted for the socket's
 * cgroup. Early demux has attached the socket for connected TCP and UDP
 * sockets; loopback TCP is looked up; a packet for an unconnected UDP
 * socket is deferred to its reader (offloadmod_rx_deferred).
 */
static unsigned int offloadmod_local_in(struct sk_buff *skb, bool ipv6)
{
	struct sock *looked_up = NULL;
	struct offloadmod_cg *cg = NULL;
	u64 entered = 0, now = local_clock();
	u8 proto;

	offloadmod_test_nf_delay();	/* test builds only: hooks.h */
	offloadmod_hook_hit(ipv6 ? OFFLOADMOD_HOOK_NF_IPV6_LOCAL_IN :
			    OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN);
	offloadmod_rx_stamp_take(skb, &entered);
	if (!skb->sk && skb->dev) {
		proto = offloadmod_l4_proto(skb);
		if (proto == IPPROTO_UDP || proto == IPPROTO_UDPLITE) {
			offloadmod_rx_defer(skb, entered, now);
			return NF_ACCEPT;
		}
		if (proto == IPPROTO_TCP)
			looked_up = offloadmod_tcp_lookup(skb, ipv6);
	}

	rcu_read_lock();
	if (skb->sk || looked_up)
		cg = offloadmod_sock_cg(skb->sk ?: looked_up);
	if (cg) {
		offloadmod_count_packet(cg, OFFLOADMOD_DIR_RX, skb);
		offloadmod_stage_record(cg, OFFLOADMOD_STAGE_RX_STACK, entered,
					now);
	} else {
		offloadmod_lost_inc(OFFLOADMOD_LOST_UNATTRIBUTED_RX);
	}
	rcu_read_unlock();
	if (looked_up)
		sock_gen_put(looked_up);
	return NF_ACCEPT;
}

static unsigned int offloadmod_nf_ipv4_local_in(void *priv,
						struct sk_buff *skb,
						const struct nf_hook_state *st)
{
	return offloadmod_local_in(skb, false);
}

static unsigned int offloadmod_nf_ipv6_local_in(void *priv,
						struct sk_buff *skb,
						const struct nf_hook_state *st)
{
	return offloadmod_local_in(skb, true);
}

/*
 * Close rx_wait for a received @skb the current task is reading; for UDP
 * (@deferred), also count a packet IP local delivery deferred to it.
 */
static void offloadmod_rx_wait_done(const struct sk_buff *skb, bool deferred)
{
	struct offloadmod_cg *cg;
	u64 received = 0, now = 0;

	rcu_read_lock();
	cg = offloadmod_cg_get(cgroup_id(task_dfl_cgroup(current)));
	if (cg) {
		if (deferred)
			offloadmod_rx_deferred_done(cg, skb);
		/*
		 * CLOCK_MONOTONIC only where the stack kept the sender's TCP
		 * stamp (5.10, same namespace: loopback); compat.h.
		 */
		switch (offloadmod_skb_tstamp_clock(skb)) {
		case OFFLOADMOD_TSTAMP_REAL:
			received = ktime_to_ns(skb->tstamp);
			now = ktime_get_real_ns();
			break;
		case OFFLOADMOD_TSTAMP_MONO:
			received = ktime_to_ns(skb->tstamp);
			now = ktime_get_ns();
			break;
		case OFFLOADMOD_TSTAMP_NONE:
			break;
		}
		offloadmod_stage_record(cg, OFFLOADMOD_STAGE_RX_WAIT, received,
					now);
	} else {
		offloadmod_lost_inc(OFFLOADMOD_LOST_UNATTRIBUTED_RX);
	}
	rcu_read_unlock();
}

/* TCP: each copy out of the receive queue. */
notrace void offloadmod_probe_skb_copy_datagram_iovec(void *data,
						      const struct sk_buff *skb,
						      int len)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_SKB_COPY_DATAGRAM_IOVEC);
	/* Unix, netlink, raw and UDP sockets use the same copy. */
	if (in_task() && offloadmod_l4_proto(skb) == IPPROTO_TCP)
		offloadmod_rx_wait_done(skb, false);
}

/*
 * UDP: recvmsg consumes the skb it copied, in the reading task. Every
 * other consumed skb is filtered out cheaply: not in a task, still owned
 * by a socket (a transmitted one), without a receive timestamp, not UDP.
 */
static void offloadmod_consume_skb(const struct sk_buff *skb)
{
	u8 proto;

	offloadmod_hook_hit(OFFLOADMOD_HOOK_CONSUME_SKB);
	if (!in_task() || skb->sk || !skb->tstamp)
		return;
	proto = offloadmod_l4_proto(skb);
	if (proto == IPPROTO_UDP || proto == IPPROTO_UDPLITE)
		offloadmod_rx_wait_done(skb, true);
}

notrace void offloadmod_probe_consume_skb(void *data,
					  OFFLOADMOD_CONSUME_SKB_PROTO)
{
	offloadmod_consume_skb(skb);
}

/*
 * UDP on 6.18+, where recvmsg frees an unshared skb without consume_skb:
 * the entry of skb_consume_udp(), in the reading task, preemption off
 * (compat/udp.h). Counted as the consume_skb hook, whose job it takes.
 */
notrace void offloadmod_probe_udp_read(struct sk_buff *skb)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_CONSUME_SKB);
	if (skb->tstamp)
		offloadmod_rx_wait_done(skb, true);
}

/* Last in line, after every filter that could still drop the packet. */
static const struct nf_hook_ops offloadmod_nf_ops[] = {
	{
		.hook		= offloadmod_nf_ipv4_local_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_LAST,
	},
#if IS_ENABLED(CONFIG_IPV6)
	{
		.hook		= offloadmod_nf_ipv6_local_in,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_LAST,
	},
#endif
};

static int __net_init offloadmod_nf_net_init(struct net *net)
{
	return nf_register_net_hooks(net, offloadmod_nf_ops,
				     ARRAY_SIZE(offloadmod_nf_ops));
}

static void __net_exit offloadmod_nf_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, offloadmod_nf_ops,
				ARRAY_SIZE(offloadmod_nf_ops));
}

static struct pernet_operations offloadmod_nf_net_ops = {
	.init = offloadmod_nf_net_init,
	.exit = offloadmod_nf_net_exit,
};

/* Register the LOCAL_IN hooks in every namespace, now and future ones. */
int offloadmod_nf_hooks_init(void)
{
	return register_pernet_subsys(&offloadmod_nf_net_ops);
}

void offloadmod_nf_hooks_exit(void)
{
	unregister_pernet_subsys(&offloadmod_nf_net_ops);
}

/* Before the probes attach: the timestamps they read must exist. */
int offloadmod_net_hooks_init(void)
{
	int err = offloadmod_skbstamp_init();

	if (err)
		return err;
	net_enable_timestamp();
	return 0;
}

/* After the probes are detached. */
void offloadmod_net_hooks_exit(void)
{
	net_disable_timestamp();
	offloadmod_skbstamp_exit();
}
