// SPDX-License-Identifier: GPL-2.0
/*
 * Packet-path probes: per-cgroup packet counters and the rx_stack,
 * rx_wait, tx_stack and tx_qdisc stages.
 *
 * Where each stage's time comes from:
 * - tx_stack: TCP stamps every skb it transmits with its EDT transmit time
 *   (skb->tstamp on CLOCK_MONOTONIC); net_dev_queue closes the stage. Other
 *   protocols keep no send time in the skb: their tx_stack is untimed.
 * - tx_qdisc: net_dev_queue stamps the skb in a side table; qdisc_dequeue
 *   (or net_dev_start_xmit on a device without a qdisc) closes it.
 * - rx_stack: netif_receive_skb (or napi_gro_receive_entry, so GRO's hold
 *   time counts) stamps the skb in a per-CPU side table; the netfilter
 *   LOCAL_IN hook, last in line, closes it just before the transport
 *   protocol queues the packet on its socket.
 * - rx_wait: the kernel's own software receive timestamp (skb->tstamp on
 *   CLOCK_REALTIME, enabled with net_enable_timestamp(); what SO_TIMESTAMP
 *   reports) to the copy to the application. The kernel takes it when the
 *   packet enters the stack, or at IP local delivery when the packet
 *   carried a sender's delivery time (TCP over veth or loopback). TCP
 *   copies go through skb_copy_datagram_iovec; UDP copies a linear skb
 *   with plain copy_to_iter, so for UDP the stage ends when recvmsg
 *   consumes the skb (consume_skb, in the reading task).
 *
 * Attribution: a transmitted packet belongs to the cgroup of its socket,
 * counted on a device in the socket's network namespace; a received one
 * to the cgroup of the socket it is delivered to (found by the kernel's
 * early demux, or looked up here when early demux did not run: unconnected
 * UDP sockets, loopback); a copy to the task doing it.
 */
#include <linux/cgroup.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <linux/udp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/udp.h>

#include "cgstats.h"
#include "compat.h"
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
	u64 now, sent = 0;

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
	now = ktime_get_ns();
	offloadmod_count_packet(cg, OFFLOADMOD_DIR_TX, skb);
	if (offloadmod_skb_tstamp_is_mono(skb))
		sent = ktime_to_ns(skb->tstamp);
	offloadmod_stage_record(cg, OFFLOADMOD_STAGE_TX_STACK, sent, now);
	if (!offloadmod_tx_stamp_put(skb, now, cg->id))
		offloadmod_hist_untimed(&cg->pcpu->stage[OFFLOADMOD_STAGE_TX_QDISC]);
out:
	rcu_read_unlock();
}

/* Close tx_qdisc for @skb if net_dev_queue stamped it. */
static void offloadmod_tx_qdisc_done(const struct sk_buff *skb, u64 now)
{
	struct offloadmod_cg *cg;
	u64 queued, cgid;

	if (!offloadmod_tx_stamp_take(skb, &queued, &cgid))
		return;
	rcu_read_lock();
	cg = offloadmod_cg_lookup(cgid);
	if (cg)
		offloadmod_stage_record(cg, OFFLOADMOD_STAGE_TX_QDISC, queued,
					now);
	rcu_read_unlock();
}

notrace void offloadmod_probe_qdisc_dequeue(void *data, struct Qdisc *qdisc,
					    const struct netdev_queue *txq,
					    int packets, struct sk_buff *skb)
{
	u64 now;
	int i;

	offloadmod_hook_hit(OFFLOADMOD_HOOK_QDISC_DEQUEUE);
	if (!skb)
		return;
	now = ktime_get_ns();
	/* A bulk dequeue hands over a list linked through skb->next. */
	for (i = 0; skb && i < packets; i++, skb = skb->next)
		offloadmod_tx_qdisc_done(skb, now);
}

notrace void offloadmod_probe_net_dev_start_xmit(void *data,
						 const struct sk_buff *skb,
						 const struct net_device *dev)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_NET_DEV_START_XMIT);
	offloadmod_tx_qdisc_done(skb, ktime_get_ns());
}

notrace void offloadmod_probe_netif_receive_skb(void *data,
						struct sk_buff *skb)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_NETIF_RECEIVE_SKB);
	offloadmod_rx_stamp_put(skb, ktime_get_ns(), true);
}

notrace void offloadmod_probe_napi_gro_receive_entry(void *data,
						     const struct sk_buff *skb)
{
	offloadmod_hook_hit(OFFLOADMOD_HOOK_NAPI_GRO_RECEIVE_ENTRY);
	offloadmod_rx_stamp_put(skb, ktime_get_ns(), false);
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
 * The socket a packet is about to be delivered to, when the kernel's early
 * demux did not already attach it to the skb: unconnected UDP sockets, and
 * packets that kept a route (loopback), which early demux skips. TCP: only
 * established sockets (a SYN to a listener is nobody's yet). Returns a
 * referenced socket (put it with sock_gen_put()) or NULL.
 */
static struct sock *offloadmod_sock_lookup(struct sk_buff *skb, bool ipv6)
{
	struct net *net = dev_net(skb->dev);
	struct inet_hashinfo *tcp_hash = net->ipv4.tcp_death_row.hashinfo;
	int dif = skb->dev->ifindex;
	u8 proto = offloadmod_l4_proto(skb);
	__be16 _ports[2];
	const __be16 *ports;

	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return NULL;
	/* Source and destination port lead both the UDP and the TCP header. */
	ports = skb_header_pointer(skb, skb_transport_offset(skb),
				   sizeof(_ports), &_ports);
	if (!ports)
		return NULL;
#if IS_ENABLED(CONFIG_IPV6)
	if (ipv6) {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if (proto == IPPROTO_TCP)
			return __inet6_lookup_established(net, tcp_hash,
							  &ip6->saddr, ports[0],
							  &ip6->daddr,
							  ntohs(ports[1]), dif,
							  0);
#if OFFLOADMOD_HAVE_UDP6_LOOKUP
		return udp6_lib_lookup(net, &ip6->saddr, ports[0], &ip6->daddr,
				       ports[1], dif);
#else
		return NULL;
#endif
	}
#endif
	if (proto == IPPROTO_TCP)
		return __inet_lookup_established(net, tcp_hash,
						 ip_hdr(skb)->saddr, ports[0],
						 ip_hdr(skb)->daddr,
						 ntohs(ports[1]), dif, 0);
#if OFFLOADMOD_HAVE_UDP4_LOOKUP
	return udp4_lib_lookup(net, ip_hdr(skb)->saddr, ports[0],
			       ip_hdr(skb)->daddr, ports[1], dif);
#else
	return NULL;
#endif
}

static unsigned int offloadmod_local_in(struct sk_buff *skb, bool ipv6)
{
	struct sock *looked_up = NULL;
	struct offloadmod_cg *cg = NULL;
	u64 entered = 0, now = ktime_get_ns();

	offloadmod_hook_hit(ipv6 ? OFFLOADMOD_HOOK_NF_IPV6_LOCAL_IN :
			    OFFLOADMOD_HOOK_NF_IPV4_LOCAL_IN);
	offloadmod_rx_stamp_take(skb, &entered);
	if (!skb->sk && skb->dev)
		looked_up = offloadmod_sock_lookup(skb, ipv6);

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

/* Close rx_wait for a received @skb the current task is reading. */
static void offloadmod_rx_wait_done(const struct sk_buff *skb)
{
	struct offloadmod_cg *cg;
	u64 received = 0;

	rcu_read_lock();
	cg = offloadmod_cg_get(cgroup_id(task_dfl_cgroup(current)));
	if (cg) {
		if (!offloadmod_skb_tstamp_is_mono(skb))
			received = ktime_to_ns(skb->tstamp);
		offloadmod_stage_record(cg, OFFLOADMOD_STAGE_RX_WAIT, received,
					ktime_get_real_ns());
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
		offloadmod_rx_wait_done(skb);
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
		offloadmod_rx_wait_done(skb);
}

#ifdef OFFLOADMOD_HAVE_CONSUME_SKB_LOCATION
notrace void offloadmod_probe_consume_skb(void *data, struct sk_buff *skb,
					  void *location)
{
	offloadmod_consume_skb(skb);
}
#else
notrace void offloadmod_probe_consume_skb(void *data, struct sk_buff *skb)
{
	offloadmod_consume_skb(skb);
}
#endif

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
