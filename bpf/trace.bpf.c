// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl trace: the module's per-cgroup stage histograms, measured
 * without the module. Each stage is timed between the same two kernel
 * events as kmod/net_hooks.c and kmod/sched_hooks.c define it, into the
 * same log-linear buckets (linux/offloadmod_hist.h, via trace_maps.h), so
 * "stats show" and "trace" print comparable tables.
 *
 * Hooks: BTF tracepoints (tp_btf) where the module uses a tracepoint; the
 * module's netfilter LOCAL_IN hook (last in line) becomes an fentry on
 * ip{,6}_protocol_deliver_rcu, which ip{,6}_local_deliver_finish calls
 * right after that hook; its consume_skb for UDP readers becomes an fentry
 * on skb_consume_udp, which recvmsg calls to consume the skb. Where a
 * kernel's BTF lacks one of those functions, or the kernel refuses fentry,
 * the loader uses the kprobe twin instead (entry only: never a kretprobe
 * on the packet path). Each program is loaded and attached on its own
 * terms: one that a kernel refuses leaves the stages that need it
 * unmeasured (reported as unavailable), never the others.
 *
 * Clocks: as the module, side-table stages use one clock at both ends
 * (bpf_ktime_get_ns, CLOCK_MONOTONIC), stages that compare with a kernel
 * timestamp read that timestamp's clock: TCP's send stamp is monotonic;
 * the RX software stamp is CLOCK_REALTIME, approximated as monotonic plus
 * real_off_ns, which userspace refreshes every second (which one a stamp
 * is: skb_tstamp_clock()); sched_wait starts at the tracer's own stamp at
 * wakeup (see there why not the kernel's).
 *
 * Kernels: the same object loads on 5.10 to 7.x. Where they differ (a
 * field added, renamed or missing) each variant is guarded by
 * bpf_core_field_exists(), which libbpf resolves to a constant: the
 * variants the running kernel lacks become dead code the verifier never
 * walks, their failed relocations with them. Tracepoint arguments are
 * read only where every kernel passes them.
 *
 * Every event that cannot be timed is counted: as its stage's untimed when
 * the cgroup is known, in lost[] otherwise.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "trace_maps.h"

char LICENSE[] SEC("license") = "GPL";

/* enum offloadmod_stage, without pulling the whole uapi header in. */
enum {
	STAGE_RX_STACK, STAGE_RX_WAIT, STAGE_TX_STACK, STAGE_TX_QDISC,
	STAGE_SCHED_WAIT,
};

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_UDPLITE_ 136
#define TCP_TIME_WAIT_	6
#define TCP_NEW_SYN_RECV_ 12

/* CLOCK_REALTIME - CLOCK_MONOTONIC, kept current by userspace. */
volatile __s64 real_off_ns;

/*
 * Set by userspace once the UDP reader's hook (skb_consume_udp) is
 * attached: without it a packet deferred to its reader would never be
 * closed, so local delivery counts it as unattributed instead.
 */
volatile bool udp_deferral;

/*
 * Not preallocated: a histogram is 4 KB per possible CPU, so preallocating
 * every entry would cost gigabytes on a large host; entries are allocated
 * (bpf_mem_alloc, fine in tracing programs since 6.1) when a cgroup shows
 * up, and memory follows the cgroups actually seen. Before 6.1 run-time
 * allocation is not safe from a tracing program: there the loader
 * preallocates both hash maps, the histograms within a memory budget
 * (userspace/trace_bpf.c: prealloc_hists()).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 2048);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct trace_hist_key);
	__type(value, struct trace_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct trace_cg);
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TRACE_LOST_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/*
 * Side tables, as the module's: a slot per hash of the skb address, a new
 * packet overwrites an older one (counted as evicted if it was still
 * open), closing needs the same address. Bounded, no leak when a packet
 * is dropped between the two ends. The RX entry table is per CPU (one
 * softirq run); the TX and UDP-deferral tables are global (the dequeue or
 * the reader may run on another CPU; a rare race on a slot makes at worst
 * one event untimed).
 */
struct stamp_slot {
	__u64 skb;
	__u64 val;
	__u64 aux;
};

#define TX_STAMP_BITS	12
#define RX_DEFER_BITS	12
#define RX_STAMP_BITS	6

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << TX_STAMP_BITS);
	__type(key, __u32);
	__type(value, struct stamp_slot);
} tx_stamps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << RX_DEFER_BITS);
	__type(key, __u32);
	__type(value, struct stamp_slot);
} rx_deferred SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1 << RX_STAMP_BITS);
	__type(key, __u32);
	__type(value, struct stamp_slot);
} rx_stamps SEC(".maps");

/* Empty histogram to insert; too big for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct trace_hist);
} zero_hist SEC(".maps");

/*
 * The address of an skb as a plain number: the verifier forbids arithmetic
 * on a BTF pointer, so launder it through a copy.
 */
static __always_inline __u64 skb_addr(const void *skb)
{
	__u64 p = (__u64)skb, a = 0;

	bpf_probe_read_kernel(&a, sizeof(a), &p);
	return a;
}

static __always_inline __u32 slot_of(__u64 addr, unsigned int bits)
{
	/* skbs are slab objects 256 bytes apart: hash the address. */
	return (__u32)((addr * 0x61C8864680B583EBULL) >> (64 - bits));
}

/*
 * A field of a kernel object: a plain load where the verifier knows the
 * pointer's BTF type (tp_btf, fentry: much cheaper than a helper call), a
 * probed read from a kprobe (probed is a constant: one branch survives).
 */
#define RD(probed, src, field) \
	((probed) ? BPF_CORE_READ(src, field) : (src)->field)
#define RD_BITS(probed, src, field) \
	((probed) ? BPF_CORE_READ_BITFIELD_PROBED(src, field) : \
		    BPF_CORE_READ_BITFIELD(src, field))

static __always_inline void lost_inc(__u32 why)
{
	__u64 *v = bpf_map_lookup_elem(&lost, &why);

	if (v)
		(*v)++;
}

static __always_inline struct trace_hist *hist_get(__u64 cgid, __u32 stage)
{
	struct trace_hist_key k = { .cgroup_id = cgid, .stage = stage };
	struct trace_hist *h;
	__u32 zero = 0;

	h = bpf_map_lookup_elem(&hists, &k);
	if (h)
		return h;
	h = bpf_map_lookup_elem(&zero_hist, &zero);
	if (!h)
		return NULL;
	/* -EEXIST: another CPU inserted it first; fine. */
	bpf_map_update_elem(&hists, &k, h, BPF_NOEXIST);
	h = bpf_map_lookup_elem(&hists, &k);
	if (!h)
		lost_inc(TRACE_LOST_HIST_FULL);
	return h;
}

static __always_inline struct trace_cg *cg_get(__u64 cgid)
{
	struct trace_cg *c, zero = {};

	c = bpf_map_lookup_elem(&cgroups, &cgid);
	if (c)
		return c;
	bpf_map_update_elem(&cgroups, &cgid, &zero, BPF_NOEXIST);
	c = bpf_map_lookup_elem(&cgroups, &cgid);
	if (!c)
		lost_inc(TRACE_LOST_CG_FULL);
	return c;
}

/*
 * One event of a stage of a cgroup: timed if start is set and not after
 * end, untimed otherwise (as offloadmod_stage_record()). Per-CPU values:
 * only a nested program on the same CPU can race, costing a count at worst.
 */
static __always_inline void stage_record(__u64 cgid, __u32 stage, __u64 start,
					 __u64 end)
{
	struct trace_hist *h = hist_get(cgid, stage);
	__u64 d, i;

	if (!h)
		return;
	if (!start || start > end) {
		h->untimed++;
		return;
	}
	d = end - start;
	/*
	 * A 64-bit index, checked after a barrier, so that the bound the
	 * verifier sees is on the register that indexes: 6.1's verifier
	 * loses it through the 32-bit copy clang makes otherwise.
	 */
	i = trace_hist_index(d);
	barrier_var(i);
	if (i >= TRACE_HIST_BUCKETS)
		i = TRACE_HIST_BUCKETS - 1;
	h->buckets[i]++;
	if (!h->count || d < h->min_ns)
		h->min_ns = d;
	if (d > h->max_ns)
		h->max_ns = d;
	h->count++;
	h->sum_ns += d;
}

/* A timed stage length recorded later (the UDP reader), or untimed. */
static __always_inline void stage_record_len(__u64 cgid, __u32 stage,
					     bool timed, __u64 len)
{
	if (timed)
		stage_record(cgid, stage, 1, len + 1);
	else
		stage_record(cgid, stage, 0, 0);
}

static __always_inline void count_packet(__u64 cgid, bool tx,
					 const struct sk_buff *skb, bool probed)
{
	struct trace_cg *c = cg_get(cgid);
	struct trace_dir *d;
	unsigned char *head;
	unsigned int end;
	__u16 gso_size, segs;

	if (!c)
		return;
	d = tx ? &c->tx : &c->rx;
	d->packets++;
	d->bytes += RD(probed, skb, len);
	/* skb_is_gso(): the shared info at skb->end says it. */
	head = RD(probed, skb, head);
	end = RD(probed, skb, end);
	gso_size = BPF_CORE_READ((struct skb_shared_info *)(head + end),
				 gso_size);
	if (gso_size) {
		segs = BPF_CORE_READ((struct skb_shared_info *)(head + end),
				     gso_segs);
		d->offload_packets++;
		d->offload_segments += segs;
	}
}

/*
 * Which clock skb->tstamp is on (kmod/compat.h: offloadmod_skb_tstamp_clock):
 * TCP stamps what it sends with its EDT departure time on CLOCK_MONOTONIC
 * (skb_mstamp_ns shares the field), the receive path with CLOCK_REALTIME.
 * 6.11+ says which in skb->tstamp_type (which adds TAI, a clock the tracer
 * does not read), 5.18 to 6.10 in the mono_delivery_time bit; 5.10 has
 * neither, and there the clock is the one whose current time the stamp is
 * nearer to (the module's heuristic; docs/LATENCY.md has its error). Each
 * branch is CO-RE-guarded: libbpf resolves the others' relocations to dead
 * code on a kernel that lacks their field.
 */
enum { TS_NONE, TS_MONO, TS_REAL };

struct sk_buff___mono_bit {
	__u8 mono_delivery_time:1;
} __attribute__((preserve_access_index));

static __always_inline __s64 abs64(__s64 v)
{
	return v < 0 ? -v : v;
}

static __always_inline int skb_tstamp_clock(const struct sk_buff *skb,
					    __u64 tstamp, __u64 mono_now,
					    bool probed)
{
	const struct sk_buff___mono_bit *old = (const void *)skb;
	__s64 to_mono;
	int type;

	if (!tstamp)
		return TS_NONE;
	if (bpf_core_field_exists(skb->tstamp_type)) {
		type = RD_BITS(probed, skb, tstamp_type);
		if (type == bpf_core_enum_value(enum skb_tstamp_type,
						SKB_CLOCK_MONOTONIC))
			return TS_MONO;
		if (type == bpf_core_enum_value(enum skb_tstamp_type,
						SKB_CLOCK_REALTIME))
			return TS_REAL;
		return TS_NONE;
	}
	if (bpf_core_field_exists(old->mono_delivery_time))
		return RD_BITS(probed, old, mono_delivery_time) ? TS_MONO :
								 TS_REAL;
	to_mono = (__s64)(tstamp - mono_now);
	return abs64(to_mono) < abs64(to_mono - real_off_ns) ? TS_MONO :
							       TS_REAL;
}

/*
 * The cgroup a socket was created in, or 0: kernel sockets (RST and
 * TIME_WAIT ACK senders, ICMP replies) belong to no container; request
 * sockets to their listener (sk_to_full_sk()); TIME_WAIT ones to nobody.
 */
static __always_inline __u64 full_sock_cgroup_id(struct sock *sk, bool probed)
{
	__u8 state = RD(probed, sk, __sk_common.skc_state);
	struct cgroup *cg;

	if (state == TCP_TIME_WAIT_ || state == TCP_NEW_SYN_RECV_)
		return 0;
	if (RD_BITS(probed, sk, sk_kern_sock))
		return 0;
	cg = RD(probed, sk, sk_cgrp_data.cgroup);
	if (!cg)
		return 0;
	return probed ? BPF_CORE_READ(cg, kn, id) : cg->kn->id;
}

static __always_inline __u64 sock_cgroup_id(struct sock *sk, bool probed)
{
	if (!sk)
		return 0;
	if (RD(probed, sk, __sk_common.skc_state) == TCP_NEW_SYN_RECV_) {
		/* In a union with a scalar: the verifier cannot type it. */
		sk = BPF_CORE_READ(sk, __sk_common.skc_listener);
		return sk ? full_sock_cgroup_id(sk, true) : 0;
	}
	return full_sock_cgroup_id(sk, probed);
}

/* The transport protocol of a received IP packet (no extension headers). */
static __always_inline __u8 skb_l4_proto(const struct sk_buff *skb)
{
	__u16 proto = bpf_ntohs(skb->protocol);
	unsigned char *nh = skb->head + skb->network_header;
	__u8 p = 0;

	if (proto == ETH_P_IP)
		bpf_probe_read_kernel(&p, 1, nh + 9);	/* iphdr.protocol */
	else if (proto == ETH_P_IPV6)
		bpf_probe_read_kernel(&p, 1, nh + 6);	/* ipv6hdr.nexthdr */
	return p;
}

/* ---- TX: tx_stack and tx_qdisc ---------------------------------------- */

SEC("tp_btf/net_dev_queue")
int BPF_PROG(om_net_dev_queue, struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	__u64 cgid, now, sent = 0, a;
	struct stamp_slot *s;
	__u32 idx;

	if (!sk) {
		lost_inc(TRACE_LOST_UNATTRIBUTED_TX);
		return 0;
	}
	/* Only the egress in the socket's own namespace is the container's. */
	if (sk->__sk_common.skc_net.net != skb->dev->nd_net.net)
		return 0;
	cgid = sock_cgroup_id(sk, false);
	if (!cgid) {
		lost_inc(TRACE_LOST_UNATTRIBUTED_TX);
		return 0;
	}
	count_packet(cgid, true, skb, false);
	/* TCP's send stamp is on CLOCK_MONOTONIC: compare on that clock. */
	now = bpf_ktime_get_ns();
	if (skb_tstamp_clock(skb, skb->tstamp, now, false) == TS_MONO)
		sent = skb->tstamp;
	stage_record(cgid, STAGE_TX_STACK, sent, now);

	a = skb_addr(skb);
	idx = slot_of(a, TX_STAMP_BITS);
	s = bpf_map_lookup_elem(&tx_stamps, &idx);
	if (!s)
		return 0;
	if (s->skb && s->skb != a)
		lost_inc(TRACE_LOST_STAMP_EVICTED);
	s->skb = a;
	s->val = bpf_ktime_get_ns();
	s->aux = cgid;
	return 0;
}

/* Close tx_qdisc for skb if net_dev_queue stamped it. */
static __always_inline void tx_qdisc_done(const struct sk_buff *skb)
{
	__u64 a = skb_addr(skb);
	__u32 idx = slot_of(a, TX_STAMP_BITS);
	struct stamp_slot *s = bpf_map_lookup_elem(&tx_stamps, &idx);
	__u64 queued, cgid;

	if (!s || s->skb != a)
		return;
	queued = s->val;
	cgid = s->aux;
	s->skb = 0;
	stage_record(cgid, STAGE_TX_QDISC, queued, bpf_ktime_get_ns());
}

#define DEQUEUE_MAX 64	/* bound of a bulk dequeue walked */

SEC("tp_btf/qdisc_dequeue")
int BPF_PROG(om_qdisc_dequeue, struct Qdisc *q, const struct netdev_queue *txq,
	     int packets, struct sk_buff *skb)
{
	int i;

	/* A bulk dequeue hands over a list linked through skb->next. */
	for (i = 0; i < DEQUEUE_MAX && skb && i < packets; i++) {
		tx_qdisc_done(skb);
		skb = skb->next;
	}
	return 0;
}

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(om_net_dev_start_xmit, const struct sk_buff *skb)
{
	tx_qdisc_done(skb);
	return 0;
}

/* ---- RX: rx_stack and rx_wait ---------------------------------------- */

/*
 * Stamp a packet entering the stack. A GRO stamp is kept when the same skb
 * reaches netif_receive_skb, so GRO's hold time counts.
 */
static __always_inline void rx_stamp_put(const struct sk_buff *skb, bool gro)
{
	__u64 a = skb_addr(skb);
	__u32 idx = slot_of(a, RX_STAMP_BITS);
	struct stamp_slot *s = bpf_map_lookup_elem(&rx_stamps, &idx);

	if (!s)
		return;
	if (!gro && s->skb == a && s->aux)
		return;
	s->skb = a;
	s->val = bpf_ktime_get_ns();
	s->aux = gro;
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(om_netif_receive_skb, struct sk_buff *skb)
{
	rx_stamp_put(skb, false);
	return 0;
}

SEC("tp_btf/napi_gro_receive_entry")
int BPF_PROG(om_napi_gro_receive_entry, const struct sk_buff *skb)
{
	rx_stamp_put(skb, true);
	return 0;
}

#define DEFER_TIMED	1ULL
#define DEFER_LEN_SHIFT	32

/*
 * IP local delivery, where the module's LOCAL_IN hook runs: rx_stack ends.
 * A packet early demux attached to a socket is that socket's cgroup's; one
 * for an unconnected UDP socket is deferred to its reader (if the reader's
 * hook is attached); anything else (raw and ICMP sockets, loopback TCP,
 * which the module looks up) counts as unattributed.
 */
static __always_inline void local_deliver(struct sk_buff *skb, int proto,
					  bool probed)
{
	__u64 a = skb_addr(skb);
	__u32 idx = slot_of(a, RX_STAMP_BITS);
	struct stamp_slot *s = bpf_map_lookup_elem(&rx_stamps, &idx);
	struct stamp_slot *d;
	__u64 entered = 0, now = bpf_ktime_get_ns(), cgid;
	struct sock *sk;

	if (s && s->skb == a) {
		entered = s->val;
		s->skb = 0;
	}
	sk = RD(probed, skb, sk);
	if (!sk && udp_deferral &&
	    (proto == IPPROTO_UDP_ || proto == IPPROTO_UDPLITE_)) {
		idx = slot_of(a, RX_DEFER_BITS);
		d = bpf_map_lookup_elem(&rx_deferred, &idx);
		if (!d)
			return;
		if (d->skb && d->skb != a)
			lost_inc(TRACE_LOST_STAMP_EVICTED);
		d->skb = a;
		d->val = now - entered;
		d->aux = (__u64)RD(probed, skb, len) << DEFER_LEN_SHIFT;
		if (entered && entered <= now)
			d->aux |= DEFER_TIMED;
		return;
	}
	cgid = sock_cgroup_id(sk, probed);
	if (!cgid) {
		lost_inc(TRACE_LOST_UNATTRIBUTED_RX);
		return;
	}
	count_packet(cgid, false, skb, probed);
	stage_record(cgid, STAGE_RX_STACK, entered, now);
}

SEC("fentry/ip_protocol_deliver_rcu")
int BPF_PROG(om_ip_deliver, struct net *net, struct sk_buff *skb, int proto)
{
	local_deliver(skb, proto, false);
	return 0;
}

SEC("fentry/ip6_protocol_deliver_rcu")
int BPF_PROG(om_ip6_deliver, struct net *net, struct sk_buff *skb, int nexthdr)
{
	local_deliver(skb, nexthdr, false);
	return 0;
}

/* The kprobe twins, for a kernel whose BTF lacks the functions. */
SEC("kprobe/ip_protocol_deliver_rcu")
int BPF_KPROBE(om_ip_deliver_kp, struct net *net, struct sk_buff *skb,
	       int proto)
{
	local_deliver(skb, proto, true);
	return 0;
}

SEC("kprobe/ip6_protocol_deliver_rcu")
int BPF_KPROBE(om_ip6_deliver_kp, struct net *net, struct sk_buff *skb,
	       int nexthdr)
{
	local_deliver(skb, nexthdr, true);
	return 0;
}

/*
 * rx_wait ends in the reading task. It starts at the RX software stamp
 * (realtime); where the stack kept a sender's TCP stamp instead (5.10,
 * same namespace: loopback), at that, on its clock, as the module does.
 */
static __always_inline void rx_wait_done(__u64 cgid, const struct sk_buff *skb,
					 bool probed)
{
	__u64 received = RD(probed, skb, tstamp), now = bpf_ktime_get_ns();

	switch (skb_tstamp_clock(skb, received, now, probed)) {
	case TS_REAL:
		now += real_off_ns;
		break;
	case TS_MONO:
		break;
	default:
		received = 0;
		break;
	}
	stage_record(cgid, STAGE_RX_WAIT, received, now);
}

/* TCP: each copy out of the receive queue, by the reading task. */
SEC("tp_btf/skb_copy_datagram_iovec")
int BPF_PROG(om_skb_copy_datagram_iovec, const struct sk_buff *skb, int len)
{
	if (skb_l4_proto(skb) != IPPROTO_TCP_)
		return 0;
	rx_wait_done(bpf_get_current_cgroup_id(), skb, false);
	return 0;
}

/*
 * UDP: recvmsg consumes the skb it copied. Also where a packet deferred at
 * local delivery is counted, with its rx_stack, for the reader's cgroup.
 */
static __always_inline void udp_consumed(struct sk_buff *skb, bool probed)
{
	__u64 cgid = bpf_get_current_cgroup_id(), aux, len;
	__u64 a = skb_addr(skb);
	__u32 idx = slot_of(a, RX_DEFER_BITS);
	struct stamp_slot *d = bpf_map_lookup_elem(&rx_deferred, &idx);
	struct trace_cg *c;

	if (d && d->skb == a) {
		len = d->val;
		aux = d->aux;
		d->skb = 0;
		c = cg_get(cgid);
		if (c) {
			c->rx.packets++;
			c->rx.bytes += aux >> DEFER_LEN_SHIFT;
		}
		stage_record_len(cgid, STAGE_RX_STACK, aux & DEFER_TIMED, len);
	}
	rx_wait_done(cgid, skb, probed);
}

SEC("fentry/skb_consume_udp")
int BPF_PROG(om_skb_consume_udp, struct sock *sk, struct sk_buff *skb, int len)
{
	udp_consumed(skb, false);
	return 0;
}

SEC("kprobe/skb_consume_udp")
int BPF_KPROBE(om_skb_consume_udp_kp, struct sock *sk, struct sk_buff *skb,
	       int len)
{
	udp_consumed(skb, true);
	return 0;
}

/* ---- sched_wait -------------------------------------------------------- */

/*
 * When each runnable task was queued, on the tracer's clock. The module
 * reads the scheduler's own stamp (sched_info.last_queued, rq clock) and
 * compares it with local_clock(); BPF can read neither local_clock() nor a
 * fresh rq clock (rq->clock may not have moved since the enqueue when the
 * scheduler skips a clock update), so the tracer takes its own stamps at
 * the same moments: wakeup, new task, preemption of a still runnable one.
 * last_queued still decides whether the kernel counts the task as queued.
 */
struct queued_slot {
	__u32 pid;
	__u32 pad;
	__u64 at;
};

/*
 * A slot per pid modulo 2^15, like the packet side tables: no lock and no
 * hashing on the scheduler's hot path (a hash map update costs about as
 * much as the rest of the program). Two runnable tasks whose pids differ
 * by a multiple of 2^15 share a slot: the later stamp wins, the other
 * task's wait is untimed.
 */
#define QUEUED_BITS 15

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << QUEUED_BITS);
	__type(key, __u32);
	__type(value, struct queued_slot);
} queued_at SEC(".maps");

static __always_inline void task_queued(struct task_struct *p)
{
	__u32 pid = p->pid, idx = pid & ((1 << QUEUED_BITS) - 1);
	struct queued_slot *q = bpf_map_lookup_elem(&queued_at, &idx);

	if (q && pid) {
		q->pid = pid;
		q->at = bpf_ktime_get_ns();
	}
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(om_sched_wakeup, struct task_struct *p)
{
	task_queued(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(om_sched_wakeup_new, struct task_struct *p)
{
	task_queued(p);
	return 0;
}

/*
 * Whether a task switched out stays runnable (TASK_RUNNING): preempted, or
 * its sleep cancelled by a pending signal. What the scheduler's own
 * sched_info accounting asks at this switch (task_is_running(), whence
 * last_queued). Read from the task rather than from the tracepoint's
 * prev_state argument, which only 5.18 and later pass; 5.14 renamed the
 * field state to __state.
 */
struct task_struct___state_long {
	long state;
} __attribute__((preserve_access_index));

static __always_inline bool task_still_runnable(const struct task_struct *p)
{
	const struct task_struct___state_long *old = (const void *)p;

	if (bpf_core_field_exists(p->__state))
		return p->__state == 0;
	return old->state == 0;
}

/*
 * The next task's wait on the run queue, for the next task's cgroup
 * (task->cgroups->dfl_cgrp): the woken task's, never the waker's. Only
 * the arguments every kernel passes (5.10 has no prev_state).
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(om_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	struct queued_slot *q;
	__u64 queued = 0, cgid;
	__u32 pid, idx;

	/* Preempted while runnable: queued again from now. */
	if (task_still_runnable(prev))
		task_queued(prev);
	pid = next->pid;
	if (!pid)				/* the idle task */
		return 0;
	cgid = next->cgroups->dfl_cgrp->kn->id;
	idx = pid & ((1 << QUEUED_BITS) - 1);
	q = bpf_map_lookup_elem(&queued_at, &idx);
	if (q && q->pid == pid) {
		queued = q->at;
		q->pid = 0;
	}
	if (!next->sched_info.last_queued)
		queued = 0;			/* the kernel says: not queued */
	if (cgid)
		stage_record(cgid, STAGE_SCHED_WAIT, queued,
			     bpf_ktime_get_ns());
	return 0;
}
