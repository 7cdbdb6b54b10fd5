/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * offloadmod: the user/kernel contract of the "offloadmod" generic netlink
 * family. This header is the only place that defines wire numbers; the YNL
 * spec uapi/offloadmod.yaml describes the same contract and must be kept in
 * step with it. Usable from kernel, userspace (libnl, raw sockets) and BPF.
 */
#ifndef _UAPI_LINUX_OFFLOADMOD_H
#define _UAPI_LINUX_OFFLOADMOD_H

#define OFFLOADMOD_FAMILY_NAME		"offloadmod"
#define OFFLOADMOD_FAMILY_VERSION	1

/*
 * Longest hook name, in bytes including the NUL. Other strings (kernel
 * release, module version) are sent whole and have no fixed bound.
 */
#define OFFLOADMOD_NAME_MAX		64

/* Reply of OFFLOADMOD_CMD_GET_STATUS. Every attribute is output only. */
enum {
	OFFLOADMOD_A_STATUS_UNSPEC,
	OFFLOADMOD_A_STATUS_PAD,
	OFFLOADMOD_A_STATUS_MODULE_VERSION,	/* string */
	OFFLOADMOD_A_STATUS_UAPI_VERSION,	/* u32: OFFLOADMOD_FAMILY_VERSION */
	OFFLOADMOD_A_STATUS_KERNEL_RELEASE,	/* string: utsname release */
	OFFLOADMOD_A_STATUS_MAX_CGROUPS,	/* u32: module parameter */
	OFFLOADMOD_A_STATUS_HOOK,		/* nest, repeated: OFFLOADMOD_A_HOOK_* */
	OFFLOADMOD_A_STATUS_TRACKED_CGROUPS,	/* u32: cgroups with stats now */
	OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW,	/* u64: events of cgroups over the cap */
	OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX,	/* u64: RX events with no cgroup */
	OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX,	/* u64: TX events with no cgroup */
	OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED,	/* u64: wakeups before tracking */
	OFFLOADMOD_A_STATUS_ALLOC_FAILURES,	/* u64: cgroup state not allocated */
	OFFLOADMOD_A_STATUS_UNSUPPORTED,	/* string, repeated: a feature this
						 * kernel lacks: dev.gro-max-size
						 */

	__OFFLOADMOD_A_STATUS_MAX,
	OFFLOADMOD_A_STATUS_MAX = (__OFFLOADMOD_A_STATUS_MAX - 1)
};

/* One kernel hook point (a tracepoint) the module knows about. */
enum {
	OFFLOADMOD_A_HOOK_UNSPEC,
	OFFLOADMOD_A_HOOK_PAD,
	OFFLOADMOD_A_HOOK_NAME,		/* string: tracepoint name */
	OFFLOADMOD_A_HOOK_AVAILABLE,	/* u8: the running kernel has it */
	OFFLOADMOD_A_HOOK_ATTACHED,	/* u8: the module's probe is registered */
	OFFLOADMOD_A_HOOK_INVOCATIONS,	/* u64: probe calls since load */

	__OFFLOADMOD_A_HOOK_MAX,
	OFFLOADMOD_A_HOOK_MAX = (__OFFLOADMOD_A_HOOK_MAX - 1)
};

/*
 * Latency stages, in the order they are reported. The names (rx_stack, ...)
 * are part of the contract: offloadmod_stage_names below.
 */
enum offloadmod_stage {
	OFFLOADMOD_STAGE_RX_STACK,	/* stack entry -> transport delivery */
	OFFLOADMOD_STAGE_RX_WAIT,	/* RX software timestamp -> copy to app */
	OFFLOADMOD_STAGE_TX_STACK,	/* transport transmit -> qdisc enqueue */
	OFFLOADMOD_STAGE_TX_QDISC,	/* qdisc enqueue -> dequeue / driver */
	OFFLOADMOD_STAGE_SCHED_WAIT,	/* runnable -> running on a CPU */

	OFFLOADMOD_STAGE_COUNT
};

#define OFFLOADMOD_STAGE_NAMES { "rx_stack", "rx_wait", "tx_stack",	\
				 "tx_qdisc", "sched_wait" }

/*
 * Request and reply of OFFLOADMOD_CMD_STATS_GET, request of
 * OFFLOADMOD_CMD_STATS_RESET. One reply message per cgroup (or one for an
 * aggregated subtree).
 */
enum {
	OFFLOADMOD_A_STATS_UNSPEC,
	OFFLOADMOD_A_STATS_PAD,
	OFFLOADMOD_A_STATS_CGROUP_ID,	/* u64: cgroup v2 id (inode number) */
	OFFLOADMOD_A_STATS_RECURSIVE,	/* flag: include all descendants */
	OFFLOADMOD_A_STATS_PATH,	/* string: path below the cgroup2 root */
	OFFLOADMOD_A_STATS_CGROUPS,	/* u32: tracked cgroups summed here */
	OFFLOADMOD_A_STATS_RX,		/* nest: OFFLOADMOD_A_DIR_* */
	OFFLOADMOD_A_STATS_TX,		/* nest: OFFLOADMOD_A_DIR_* */
	OFFLOADMOD_A_STATS_STAGE,	/* nest, repeated: OFFLOADMOD_A_STAGE_* */

	__OFFLOADMOD_A_STATS_MAX,
	OFFLOADMOD_A_STATS_MAX = (__OFFLOADMOD_A_STATS_MAX - 1)
};

/* Packet counters of one direction of one cgroup. */
enum {
	OFFLOADMOD_A_DIR_UNSPEC,
	OFFLOADMOD_A_DIR_PAD,
	OFFLOADMOD_A_DIR_PACKETS,	/* u64: skbs (a super-packet counts 1) */
	OFFLOADMOD_A_DIR_BYTES,		/* u64: skb->len summed */
	OFFLOADMOD_A_DIR_OFFLOAD_PACKETS,	/* u64: GSO (TX) / GRO (RX) skbs */
	OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS,	/* u64: segments they carried */

	__OFFLOADMOD_A_DIR_MAX,
	OFFLOADMOD_A_DIR_MAX = (__OFFLOADMOD_A_DIR_MAX - 1)
};

/*
 * Latency of one stage of one cgroup. BUCKETS holds the counts of buckets
 * BUCKET_FIRST, BUCKET_FIRST + 1, ... as native-endian u64; buckets outside
 * it are zero. Bucket geometry: linux/offloadmod_hist.h.
 */
enum {
	OFFLOADMOD_A_STAGE_UNSPEC,
	OFFLOADMOD_A_STAGE_PAD,
	OFFLOADMOD_A_STAGE_ID,		/* u32: enum offloadmod_stage */
	OFFLOADMOD_A_STAGE_COUNT,	/* u64: timed events */
	OFFLOADMOD_A_STAGE_SUM_NS,	/* u64 */
	OFFLOADMOD_A_STAGE_MIN_NS,	/* u64, only if COUNT > 0 */
	OFFLOADMOD_A_STAGE_MAX_NS,	/* u64, only if COUNT > 0 */
	OFFLOADMOD_A_STAGE_UNTIMED,	/* u64: events that could not be timed */
	OFFLOADMOD_A_STAGE_BUCKET_FIRST,	/* u32 */
	OFFLOADMOD_A_STAGE_BUCKETS,	/* binary: u64[] */

	__OFFLOADMOD_A_STAGE_MAX,
	OFFLOADMOD_A_STAGE_MAX = (__OFFLOADMOD_A_STAGE_MAX - 1)
};

/* Mode of a cgroup policy. */
enum offloadmod_policy_mode {
	OFFLOADMOD_POLICY_MODE_ENFORCE,	/* change the sockets */
	OFFLOADMOD_POLICY_MODE_AUDIT,	/* count what enforce would change */
};

/*
 * Bounds of the cgroup policy values. 0 in a set request removes that part
 * of the policy (the kernel's own value applies again).
 */
#define OFFLOADMOD_POLICY_GSO_MAX_SIZE_MIN	2048
#define OFFLOADMOD_POLICY_GSO_MAX_SIZE_MAX	524288	/* GSO_MAX_SIZE */
#define OFFLOADMOD_POLICY_GSO_MAX_SEGS_MAX	65535	/* GSO_MAX_SEGS */
#define OFFLOADMOD_POLICY_BUSY_POLL_MAX		1000000	/* microseconds */

/*
 * A cgroup policy: request of POLICY_SET / POLICY_GET / POLICY_DEL, reply
 * of POLICY_GET, and the monitor notifications POLICY_NTF / POLICY_DEL_NTF.
 * A set merges the attributes it carries into the cgroup's policy (creating
 * it); the policy applies to the cgroup and its descendants down to the
 * next cgroup with a policy of its own.
 */
enum {
	OFFLOADMOD_A_POLICY_UNSPEC,
	OFFLOADMOD_A_POLICY_PAD,
	OFFLOADMOD_A_POLICY_CGROUP_ID,	/* u64: cgroup v2 id */
	OFFLOADMOD_A_POLICY_PATH,	/* string, output: path of the cgroup */
	OFFLOADMOD_A_POLICY_MODE,	/* u32: enum offloadmod_policy_mode */
	OFFLOADMOD_A_POLICY_GSO,	/* u8: 0 = no GSO/TSO, 1 = kernel's */
	OFFLOADMOD_A_POLICY_GSO_MAX_SIZE,	/* u32: bytes per super-packet */
	OFFLOADMOD_A_POLICY_GSO_MAX_SEGS,	/* u32: segments per super-packet */
	OFFLOADMOD_A_POLICY_BUSY_POLL,	/* u32: microseconds (SO_BUSY_POLL) */
	OFFLOADMOD_A_POLICY_SOCKETS,	/* u32, output: sockets it holds now */
	OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED,	/* u64, output: total */
	OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST,	/* u64, output: total */
	OFFLOADMOD_A_POLICY_ERRORS,	/* u64, output: could not apply */

	__OFFLOADMOD_A_POLICY_MAX,
	OFFLOADMOD_A_POLICY_MAX = (__OFFLOADMOD_A_POLICY_MAX - 1)
};

/* Longest interface name pattern (glob), in bytes including the NUL. */
#define OFFLOADMOD_DEV_PATTERN_MAX	64

/*
 * An interface policy, keyed by network namespace and name pattern:
 * request of DEV_SET / DEV_GET / DEV_DEL, reply of DEV_GET, and the
 * notifications DEV_NTF / DEV_DEL_NTF. Feature attributes are u8 0/1 and
 * change what `ethtool -K` changes; an absent attribute is left alone.
 */
enum {
	OFFLOADMOD_A_DEV_UNSPEC,
	OFFLOADMOD_A_DEV_PAD,
	OFFLOADMOD_A_DEV_NETNS_FD,	/* u32, input: default the caller's */
	OFFLOADMOD_A_DEV_NETNS_INUM,	/* u32, output: inode of the netns */
	OFFLOADMOD_A_DEV_PATTERN,	/* string: glob on interface names */
	OFFLOADMOD_A_DEV_TSO,		/* u8: tcp-segmentation-offload */
	OFFLOADMOD_A_DEV_GSO,		/* u8: generic-segmentation-offload */
	OFFLOADMOD_A_DEV_GRO,		/* u8: generic-receive-offload */
	OFFLOADMOD_A_DEV_LRO,		/* u8: large-receive-offload */
	OFFLOADMOD_A_DEV_RX_GRO_HW,	/* u8: rx-gro-hw */
	OFFLOADMOD_A_DEV_TX_CSUM,	/* u8: tx-checksumming */
	OFFLOADMOD_A_DEV_GSO_MAX_SIZE,	/* u32: bytes */
	OFFLOADMOD_A_DEV_GRO_MAX_SIZE,	/* u32: bytes */
	OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT,	/* u32: nanoseconds */
	OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS,	/* u32 */
	OFFLOADMOD_A_DEV_IFACE,		/* string, output, repeated: applied to */
	OFFLOADMOD_A_DEV_IFACES_ADJUSTED,	/* u64, output: total */
	OFFLOADMOD_A_DEV_ERRORS,	/* u64, output: could not apply */

	__OFFLOADMOD_A_DEV_MAX,
	OFFLOADMOD_A_DEV_MAX = (__OFFLOADMOD_A_DEV_MAX - 1)
};

#define OFFLOADMOD_DEV_GSO_MAX_SIZE_MAX		524288	/* GSO_MAX_SIZE */
#define OFFLOADMOD_DEV_GRO_MAX_SIZE_MAX		524288	/* GRO_MAX_SIZE */
#define OFFLOADMOD_DEV_NAPI_DEFER_HARD_IRQS_MAX	2147483647	/* S32_MAX */

/* Multicast group of the notifications (every policy change). */
#define OFFLOADMOD_MCGRP_MONITOR	"monitor"

enum {
	OFFLOADMOD_CMD_UNSPEC,
	OFFLOADMOD_CMD_GET_STATUS,
	OFFLOADMOD_CMD_STATS_GET,	/* do: one cgroup; dump: every cgroup */
	OFFLOADMOD_CMD_STATS_RESET,	/* admin; no CGROUP_ID: all cgroups */
	OFFLOADMOD_CMD_POLICY_SET,	/* admin */
	OFFLOADMOD_CMD_POLICY_GET,	/* do: one cgroup; dump: every policy */
	OFFLOADMOD_CMD_POLICY_DEL,	/* admin */
	OFFLOADMOD_CMD_DEV_SET,		/* admin */
	OFFLOADMOD_CMD_DEV_GET,		/* do: one pattern; dump: every one */
	OFFLOADMOD_CMD_DEV_DEL,		/* admin */
	OFFLOADMOD_CMD_POLICY_NTF,	/* notification: policy set */
	OFFLOADMOD_CMD_POLICY_DEL_NTF,	/* notification: policy deleted */
	OFFLOADMOD_CMD_DEV_NTF,		/* notification: interface policy set */
	OFFLOADMOD_CMD_DEV_DEL_NTF,	/* notification: ... deleted */

	__OFFLOADMOD_CMD_MAX,
	OFFLOADMOD_CMD_MAX = (__OFFLOADMOD_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_OFFLOADMOD_H */
