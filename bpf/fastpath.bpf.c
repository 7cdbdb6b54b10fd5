// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod container fast path: tc (clsact ingress) program for the
 * host-side veth of an enabled container. A frame whose destination MAC
 * is the container-side MAC of another enabled container on the same
 * bridge goes straight into that container (bpf_redirect_peer) or out
 * of its host-side veth (bpf_redirect), skipping the bridge; everything
 * else is TC_ACT_OK, i.e. exactly the normal path. Nothing is dropped.
 *
 * Built from UAPI headers, not vmlinux.h: it reads only the packet and
 * struct __sk_buff (which the verifier rewrites), so it carries no CO-RE
 * relocation and loads on kernels without BTF as well.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "fastpath.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load: which helper this kernel has. */
const volatile __u32 fp_mode = FP_MODE_PEER;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FP_MAX_IFACES);
	__type(key, struct fp_mac);
	__type(value, struct fp_dst);
} fp_dst SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct fp_src);
} fp_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, FP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct fp_stats);
} fp_stats SEC(".maps");

static __always_inline int pass(struct fp_stats *st)
{
	if (st)
		st->passed++;
	return TC_ACT_OK;
}

SEC("tc")
int fastpath_ingress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 ifindex = skb->ifindex;
	struct ethhdr *eth = data;
	struct fp_stats *st;
	struct fp_src *src;
	struct fp_dst *dst;
	struct fp_mac key = {};
	__u16 proto;
	long ret;

	st = bpf_map_lookup_elem(&fp_stats, &ifindex);
	if ((void *)(eth + 1) > data_end)
		return pass(st);
	/* Broadcast and multicast (ARP requests, ND, ...) go to the bridge. */
	if (eth->h_dest[0] & 1)
		return pass(st);
	proto = bpf_ntohs(eth->h_proto);
	/* Only IP: ARP, VLAN tags, LLDP, ... keep the bridge's semantics. */
	if (proto != ETH_P_IP && proto != ETH_P_IPV6)
		return pass(st);
	src = bpf_map_lookup_elem(&fp_src, &ifindex);
	if (!src)
		return pass(st);
	__builtin_memcpy(key.addr, eth->h_dest, 6);
	dst = bpf_map_lookup_elem(&fp_dst, &key);
	/* Unknown (host, bridge, other container) or not enabled. */
	if (!dst || dst->ifindex == ifindex)
		return pass(st);
	/* Another bridge: that is routing, not ours to shortcut. */
	if (dst->master != src->master)
		return pass(st);
	/*
	 * Too big for the destination and not a GSO packet: the bridge
	 * drops it; leave it that decision (and its counters).
	 */
	if (skb->len > dst->mtu + ETH_HLEN && !skb->gso_size)
		return pass(st);

	if (fp_mode == FP_MODE_PEER) {
		/*
		 * The frame was classified against the host veth's MAC
		 * (PACKET_OTHERHOST); it is for the container's own MAC, which
		 * is where the peer's stack now receives it.
		 */
		bpf_skb_change_type(skb, PACKET_HOST);
		ret = bpf_redirect_peer(dst->ifindex, 0);
	} else {
		ret = bpf_redirect(dst->ifindex, 0);
	}
	if (st)
		st->redirected++;
	return ret;
}
