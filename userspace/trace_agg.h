/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl trace: folds what the eBPF tracer's per-CPU maps hold
 * into the struct stats_list "stats show" prints, and picks the cgroups
 * to print. No BPF, no system calls, so tests/test_trace.c checks it on
 * synthetic values.
 */
#ifndef OFFLOADMOD_TRACE_AGG_H
#define OFFLOADMOD_TRACE_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "stats.h"
#include "trace_maps.h"

/* acc += one CPU's histogram (min over CPUs that timed anything). */
void trace_hist_sum(struct trace_hist *acc, const struct trace_hist *cpu);
/* acc += one CPU's packet counters. */
void trace_cg_sum(struct trace_cg *acc, const struct trace_cg *cpu);
/*
 * The summed histogram as "stats show" wants it: buckets trimmed to the
 * non-empty range. 0 or -ENOMEM.
 */
int trace_hist_to_hist(const struct trace_hist *sum, struct hist *out);
/* The entry of cgroup_id in list, added (path "") if missing; NULL: ENOMEM. */
struct stats_cgroup *trace_list_get(struct stats_list *list,
				    uint64_t cgroup_id);
/* Sort entries by cgroup id, as the module's dump returns them. */
void trace_list_sort(struct stats_list *list);
/*
 * Keep only entries whose path is one of prefixes[] or below one ("/" keeps
 * everything that has a path). Entries without a path (a cgroup removed
 * while tracing) are kept only when n_prefixes is 0.
 */
void trace_list_filter(struct stats_list *list, char *const *prefixes,
		       size_t n_prefixes);
/* Whether path is prefix or below it, both relative to the cgroup root. */
bool trace_path_under(const char *path, const char *prefix);

/*
 * Kernels before 6.1 (no bpf_mem_alloc) cannot allocate hash map entries
 * safely from a tracing program, so there the histogram map is
 * preallocated: every entry on every possible CPU, up front. Its size:
 * max entries, fewer when that would take more than this budget, never
 * fewer than TRACE_PREALLOC_MIN_CGROUPS cgroups' worth (a multiple of the
 * stages); beyond it new cgroups' histograms count as hist_map_full.
 */
#define TRACE_PREALLOC_BUDGET		(32u << 20)
#define TRACE_PREALLOC_MIN_CGROUPS	16u
unsigned int trace_hist_prealloc_entries(unsigned int ncpu, unsigned int max);

#endif /* OFFLOADMOD_TRACE_AGG_H */
