// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl trace: aggregation of the tracer's per-CPU map values
 * and the choice of cgroups to print; see trace_agg.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace_agg.h"

void trace_hist_sum(struct trace_hist *acc, const struct trace_hist *cpu)
{
	unsigned int i;

	if (cpu->count) {
		if (!acc->count || cpu->min_ns < acc->min_ns)
			acc->min_ns = cpu->min_ns;
		if (cpu->max_ns > acc->max_ns)
			acc->max_ns = cpu->max_ns;
	}
	acc->count += cpu->count;
	acc->sum_ns += cpu->sum_ns;
	acc->untimed += cpu->untimed;
	for (i = 0; i < TRACE_HIST_BUCKETS; i++)
		acc->buckets[i] += cpu->buckets[i];
}

static void dir_sum(struct trace_dir *acc, const struct trace_dir *cpu)
{
	acc->packets += cpu->packets;
	acc->bytes += cpu->bytes;
	acc->offload_packets += cpu->offload_packets;
	acc->offload_segments += cpu->offload_segments;
}

void trace_cg_sum(struct trace_cg *acc, const struct trace_cg *cpu)
{
	dir_sum(&acc->rx, &cpu->rx);
	dir_sum(&acc->tx, &cpu->tx);
}

int trace_hist_to_hist(const struct trace_hist *sum, struct hist *out)
{
	unsigned int first = TRACE_HIST_BUCKETS, last = 0, i;

	hist_free(out);
	memset(out, 0, sizeof(*out));
	out->count = sum->count;
	out->sum_ns = sum->sum_ns;
	out->untimed = sum->untimed;
	if (sum->count) {
		out->min_ns = sum->min_ns;
		out->max_ns = sum->max_ns;
	}
	for (i = 0; i < TRACE_HIST_BUCKETS; i++) {
		if (!sum->buckets[i])
			continue;
		if (first == TRACE_HIST_BUCKETS)
			first = i;
		last = i;
	}
	if (first == TRACE_HIST_BUCKETS)
		return 0;
	out->counts = malloc((last - first + 1) * sizeof(*out->counts));
	if (!out->counts)
		return -ENOMEM;
	out->first = first;
	out->n = last - first + 1;
	memcpy(out->counts, &sum->buckets[first],
	       out->n * sizeof(*out->counts));
	return 0;
}

struct stats_cgroup *trace_list_get(struct stats_list *list,
				    uint64_t cgroup_id)
{
	struct stats_cgroup *cg;
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->v[i].cgroup_id == cgroup_id)
			return &list->v[i];
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct stats_cgroup *v = realloc(list->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		list->v = v;
		list->cap = cap;
	}
	cg = &list->v[list->n];
	memset(cg, 0, sizeof(*cg));
	cg->path = strdup("");
	if (!cg->path)
		return NULL;
	cg->cgroup_id = cgroup_id;
	cg->cgroups = 1;
	list->n++;
	return cg;
}

static int cmp_cgroup(const void *a, const void *b)
{
	uint64_t x = ((const struct stats_cgroup *)a)->cgroup_id;
	uint64_t y = ((const struct stats_cgroup *)b)->cgroup_id;

	return x < y ? -1 : x > y;
}

void trace_list_sort(struct stats_list *list)
{
	if (list->n)
		qsort(list->v, list->n, sizeof(*list->v), cmp_cgroup);
}

bool trace_path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	/* Trailing slashes say nothing: "/a/" is "/a", "/" is the root. */
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (!*path)
		return false;
	if (n == 1 && prefix[0] == '/')
		return true;
	return !strncmp(path, prefix, n) && (!path[n] || path[n] == '/');
}

void trace_list_filter(struct stats_list *list, char *const *prefixes,
		       size_t n_prefixes)
{
	size_t i, j, kept = 0;
	bool keep;

	if (!n_prefixes)
		return;
	for (i = 0; i < list->n; i++) {
		keep = false;
		for (j = 0; j < n_prefixes && !keep; j++)
			keep = trace_path_under(list->v[i].path, prefixes[j]);
		if (keep) {
			list->v[kept++] = list->v[i];
			continue;
		}
		free(list->v[i].path);
		for (j = 0; j < OFFLOADMOD_STAGE_COUNT; j++)
			hist_free(&list->v[i].stage[j]);
	}
	list->n = kept;
}

unsigned int trace_hist_prealloc_entries(unsigned int ncpu, unsigned int max)
{
	uint64_t per_entry = (uint64_t)(ncpu ? ncpu : 1) *
			     ((sizeof(struct trace_hist) + 7) & ~(size_t)7);
	uint64_t n = TRACE_PREALLOC_BUDGET / per_entry;

	n -= n % TRACE_STAGES;
	if (n < TRACE_PREALLOC_MIN_CGROUPS * TRACE_STAGES)
		n = TRACE_PREALLOC_MIN_CGROUPS * TRACE_STAGES;
	return n < max ? (unsigned int)n : max;
}
