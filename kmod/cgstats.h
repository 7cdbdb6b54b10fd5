/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-cgroup stats: the table of tracked cgroups, keyed by cgroup v2 id.
 *
 * The hot path looks a cgroup up under RCU and never allocates: the first
 * event of an untracked cgroup only asks for it to be tracked (a per-CPU
 * request slot and an irq_work, which is safe even under the scheduler's
 * run-queue lock), and a work item allocates its state with GFP_KERNEL.
 * Events until then are counted as unattributed. A cap (module parameter
 * max_cgroups) bounds the table; events of cgroups beyond it are counted
 * as overflow. State of removed cgroups is freed by a periodic sweep.
 */
#ifndef _OFFLOADMOD_CGSTATS_H
#define _OFFLOADMOD_CGSTATS_H

#include <linux/list.h>
#include <linux/offloadmod.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "hist.h"

struct cgroup;
struct dentry;

enum offloadmod_dir {
	OFFLOADMOD_DIR_RX,
	OFFLOADMOD_DIR_TX,

	OFFLOADMOD_DIR_COUNT
};

struct offloadmod_dir_counters {
	u64 packets;
	u64 bytes;
	u64 offload_packets;	/* GSO (tx) / GRO (rx) super-packets */
	u64 offload_segments;	/* segments they carried */
};

/* What one CPU recorded for one cgroup. */
struct offloadmod_cg_pcpu {
	struct offloadmod_dir_counters dir[OFFLOADMOD_DIR_COUNT];
	struct offloadmod_hist stage[OFFLOADMOD_STAGE_COUNT];
};

/* A tracked cgroup. Freed after an RCU grace period. */
struct offloadmod_cg {
	struct hlist_node hnode;	/* table bucket, RCU */
	u64 id;
	struct cgroup *cgrp;		/* reference held; NULL in KUnit */
	struct offloadmod_cg_pcpu __percpu *pcpu;
	struct dentry *debugfs;
	struct rcu_head rcu;
};

/* Counters of events the table could not attribute. */
enum offloadmod_lost {
	OFFLOADMOD_LOST_UNATTRIBUTED_RX,
	OFFLOADMOD_LOST_UNATTRIBUTED_TX,
	OFFLOADMOD_LOST_UNATTRIBUTED_SCHED,
	OFFLOADMOD_LOST_OVERFLOW,	/* cgroup not tracked: cap reached */
	OFFLOADMOD_LOST_ALLOC,		/* cgroup state allocation failed */

	OFFLOADMOD_LOST_COUNT
};

/* Sum of a cgroup's (or a subtree's) per-CPU state. Large: kmalloc it. */
struct offloadmod_cg_snapshot {
	u64 id;
	unsigned int cgroups;
	struct offloadmod_dir_counters dir[OFFLOADMOD_DIR_COUNT];
	struct offloadmod_hist stage[OFFLOADMOD_STAGE_COUNT];
};

int offloadmod_cgstats_init(unsigned int max_cgroups);
struct cgroup *offloadmod_cgroup_get_by_id(u64 id);
bool offloadmod_cgroup_removed(const struct cgroup *cgrp);
void offloadmod_cgstats_exit(void);

struct offloadmod_cg *offloadmod_cg_lookup(u64 id);
struct offloadmod_cg *offloadmod_cg_get(u64 id);
struct offloadmod_cg *offloadmod_cg_insert(u64 id, struct cgroup *cgrp);
void offloadmod_lost_inc(enum offloadmod_lost what);
u64 offloadmod_lost_read(enum offloadmod_lost what);
unsigned int offloadmod_cg_tracked(void);
unsigned int offloadmod_cg_generation(void);

void offloadmod_cg_snapshot_add(struct offloadmod_cg_snapshot *snap,
				const struct offloadmod_cg *cg);
bool offloadmod_cg_in_subtree(const struct offloadmod_cg *cg, u64 root_id);
struct offloadmod_cg *offloadmod_cg_next(u64 after_id);
void offloadmod_cg_reset(struct offloadmod_cg *cg);
int offloadmod_cg_path(const struct offloadmod_cg *cg, char *buf,
		       size_t len);

/* Internal to cgstats.c and debugfs.c. */
void offloadmod_debugfs_cg_add(struct offloadmod_cg *cg);
void offloadmod_debugfs_cg_remove(struct offloadmod_cg *cg);

#endif /* _OFFLOADMOD_CGSTATS_H */
