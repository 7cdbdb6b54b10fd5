/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The container fast path: what bpf/fastpath.bpf.c and
 * userspace/fastpath.c share (map keys and values, pin names).
 *
 * fp_dst:   container-side MAC -> host-side veth of an enabled container
 * fp_src:   host-side ifindex of an enabled container -> its bridge
 * fp_stats: host-side ifindex -> per-CPU counters of the program there
 */
#ifndef OFFLOADMOD_FASTPATH_H
#define OFFLOADMOD_FASTPATH_H

#define FP_PIN_DIR	"/sys/fs/bpf/offloadmod/fastpath"
#define FP_MAX_IFACES	4096

/* How the program redirects (rodata, chosen by probing). */
enum fp_mode {
	FP_MODE_PEER	 = 0,	/* bpf_redirect_peer(): straight into the peer netns */
	FP_MODE_REDIRECT = 1,	/* bpf_redirect(): egress of the peer's host veth */
};

struct fp_mac {
	unsigned char addr[6];
	unsigned short pad;	/* zero */
};

struct fp_dst {
	unsigned int ifindex;	/* host-side veth of the destination */
	unsigned int master;	/* its bridge */
	unsigned int mtu;	/* MTU of the container-side veth */
	unsigned int pad;
};

struct fp_src {
	unsigned int master;	/* bridge of this host-side veth */
	unsigned int pad;
	unsigned char mac[6];	/* its container-side MAC (its fp_dst key) */
	unsigned short pad2;
};

struct fp_stats {
	unsigned long long redirected;	/* sent straight to the peer */
	unsigned long long passed;	/* left to the normal path */
};

#endif /* OFFLOADMOD_FASTPATH_H */
