/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl stats: the decoded stats-get reply of one cgroup (or of
 * a subtree) and how it is printed. Split from the commands so decoding
 * and printing can be tested on synthetic replies.
 */
#ifndef OFFLOADMOD_STATS_H
#define OFFLOADMOD_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/offloadmod.h>
#include <netlink/msg.h>

#include "hist.h"

/* Stage names as the uapi spells them, indexed by enum offloadmod_stage. */
extern const char *const stats_stage_names[OFFLOADMOD_STAGE_COUNT + 1];

struct stats_dir {
	uint64_t packets;
	uint64_t bytes;
	uint64_t offload_packets;
	uint64_t offload_segments;
};

struct stats_cgroup {
	uint64_t cgroup_id;
	char *path;		/* "" if the kernel sent none */
	bool recursive;		/* the sum over the subtree */
	uint32_t cgroups;	/* tracked cgroups summed */
	struct stats_dir rx, tx;
	/* A stage the reply left out is all zero. */
	struct hist stage[OFFLOADMOD_STAGE_COUNT];
};

/* The replies of one request (one for a "do", one per cgroup for a dump). */
struct stats_list {
	struct stats_cgroup *v;
	size_t n, cap;
};

/*
 * Decode one stats-get reply into a new entry of list. 0 or a negative
 * errno, reported on stderr: -EINVAL for a malformed reply (wrong width,
 * missing cgroup-id or stage id, a stage twice, buckets not a whole
 * number of u64 or beyond OFFLOADMOD_HIST_BUCKETS), -ENOMEM.
 */
int stats_parse(struct nl_msg *msg, struct stats_list *list);
void stats_list_free(struct stats_list *list);

/*
 * How much of a stage, or of a direction's packet counters, the source of
 * a stats_list measured. The module measures everything; the eBPF tracer
 * ("trace") only what the kernel lets it hook.
 */
enum stats_avail_state {
	STATS_AVAILABLE,	/* all of it */
	STATS_PARTIAL,		/* some: the reason says what is missing */
	STATS_UNAVAILABLE,	/* nothing: the values are unknown, reason why */
};

struct stats_avail {
	enum stats_avail_state state;
	const char *reason;	/* NULL or "" for none; STATS_AVAILABLE: unused */
};

/* An array of struct stats_avail: the stages (enum offloadmod_stage), rx, tx. */
enum {
	STATS_AVAIL_RX = OFFLOADMOD_STAGE_COUNT,
	STATS_AVAIL_TX,
	STATS_AVAIL_COUNT
};

/*
 * "stats show": a JSON array with one object per entry; text: a block
 * per cgroup. avail: NULL when everything was measured (what "stats show"
 * passes), and nothing is said about it; else STATS_AVAIL_COUNT entries
 * that hold for every cgroup of list, and every stage and direction also
 * gets JSON "available" and "reason" (null when fully measured). An
 * unavailable one has null values, never zeros, and "unavailable: REASON"
 * in place of its text; a partial one its values and a "partial: REASON"
 * line below them.
 */
void stats_print_show(const struct stats_list *list,
		      const struct stats_avail *avail);
/* "stats hist": the non-empty buckets of one stage of one entry. */
void stats_print_hist(const struct stats_cgroup *cg, unsigned int stage);

/* One line of "stats top". */
struct stats_top_row {
	const struct stats_cgroup *cg;
	uint64_t p99_ns[OFFLOADMOD_STAGE_COUNT];
	uint64_t worst_p99_ns;
	bool has_rate;		/* false on the first refresh, after a reset */
	uint64_t rx_pps, tx_pps;
};

/* Sort rows by worst p99, descending; ties by cgroup id. */
void stats_top_sort(struct stats_top_row *rows, size_t n);
/* One refresh: a JSON array, or a text table. */
void stats_print_top(const struct stats_top_row *rows, size_t n);

/* The commands' shared parts (stats.c, stats_top.c). */
struct omnl;

#define STATS_TOP_SYNOPSIS "stats top [ interval SECONDS ] [ count N ]"

/*
 * Dump every tracked cgroup into list, doing the dump again if cgroups
 * coming or going interrupted it. 0 or a negative errno (reported).
 */
int stats_fetch_all(struct omnl *nl, struct stats_list *list);
/* "stats top ARGS": a CTL_EXIT_* status. */
int stats_top(int argc, char **argv);

#endif /* OFFLOADMOD_STATS_H */
