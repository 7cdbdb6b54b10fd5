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

enum {
	OFFLOADMOD_CMD_UNSPEC,
	OFFLOADMOD_CMD_GET_STATUS,
	OFFLOADMOD_CMD_STATS_GET,	/* do: one cgroup; dump: every cgroup */
	OFFLOADMOD_CMD_STATS_RESET,	/* admin; no CGROUP_ID: all cgroups */

	__OFFLOADMOD_CMD_MAX,
	OFFLOADMOD_CMD_MAX = (__OFFLOADMOD_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_OFFLOADMOD_H */
