// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl stats: print decoded replies through the output layer,
 * see stats.h. Text shows latencies in human units, JSON in integer
 * nanoseconds under keys ending in _ns. "stats show" and "trace" print
 * through the same stats_print_show(); trace adds what it could measure.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "stats.h"

/* Width of the bars of "stats hist", in characters. */
#define HIST_BAR_WIDTH 40

/* One latency: JSON key = ns; text a column in human units, "-" if none. */
static void print_ns(const char *key, uint64_t ns, bool none, int width)
{
	char buf[HIST_FMT_LEN];

	print_u64(PRINT_JSON, key, NULL, ns);
	print_fp(" %*s", width, none ? "-" : hist_fmt_ns(ns, buf, sizeof(buf)));
}

/*
 * A stage's or direction's availability, when the caller gave any: JSON
 * "available" and "reason" (null when there is none); text: the reason,
 * through fmt.
 */
static void print_avail(const struct stats_avail *a, const char *fmt)
{
	print_bool(PRINT_JSON, "available", NULL, a->state != STATS_UNAVAILABLE);
	if (a->state != STATS_AVAILABLE && a->reason && *a->reason)
		print_string(PRINT_ANY, "reason", fmt, a->reason);
	else
		print_null(PRINT_JSON, "reason", NULL);
}

/* a: NULL when the caller says nothing of availability. */
static bool is_unavailable(const struct stats_avail *a)
{
	return a && a->state == STATS_UNAVAILABLE;
}

/*
 * A unit that was not measured: every value (keys) null, never a zero that
 * was not seen; text: the reason after its name.
 */
static void print_unavailable(const char *const *keys,
			      const struct stats_avail *a)
{
	for (; *keys; keys++)
		print_null(PRINT_JSON, *keys, NULL);
	print_avail(a, " unavailable: %s");
	print_nl();
}

/* After a measured unit's line: what it misses, if anything. */
static void print_partial(const struct stats_avail *a)
{
	if (a)
		print_avail(a, "    partial: %s\n");
}

/* The JSON keys of a direction and of a stage, in order. */
static const char *const dir_keys[] = {
	"packets", "bytes", "offload_packets", "offload_segments", NULL
};

static const char *const stage_keys[] = {
	"count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns", "min_ns",
	"mean_ns", "stddev_ns", "untimed", NULL
};

static void print_dir(const char *key, const struct stats_dir *d,
		      const struct stats_avail *a)
{
	open_json_object(key);
	print_fp("  %s", key);
	if (is_unavailable(a)) {
		print_unavailable(dir_keys, a);
	} else {
		print_u64(PRINT_ANY, "packets", " packets %" PRIu64, d->packets);
		print_u64(PRINT_ANY, "bytes", "  bytes %" PRIu64, d->bytes);
		print_u64(PRINT_ANY, "offload_packets",
			  "  offload_packets %" PRIu64, d->offload_packets);
		print_u64(PRINT_ANY, "offload_segments",
			  "  offload_segments %" PRIu64, d->offload_segments);
		print_nl();
		print_partial(a);
	}
	close_json_object();
}

static void print_stage_values(const struct hist *h)
{
	struct hist_summary s;
	bool none = !h->count;

	hist_summarize(h, &s);
	print_u64(PRINT_ANY, "count", " %10" PRIu64, h->count);
	print_ns("p50_ns", s.p50_ns, none, 8);
	print_ns("p90_ns", s.p90_ns, none, 8);
	print_ns("p99_ns", s.p99_ns, none, 8);
	print_ns("p999_ns", s.p999_ns, none, 8);
	print_ns("max_ns", s.max_ns, none, 8);
	print_u64(PRINT_JSON, "min_ns", NULL, s.min_ns);
	print_ns("mean_ns", s.mean_ns, none, 8);
	print_ns("stddev_ns", s.stddev_ns, none, 8);
	print_u64(PRINT_ANY, "untimed", " %8" PRIu64, h->untimed);
	print_nl();
}

static void print_stage(unsigned int id, const struct hist *h,
			const struct stats_avail *a)
{
	open_json_object(stats_stage_names[id]);
	print_fp("  %-10s", stats_stage_names[id]);
	if (is_unavailable(a)) {
		print_unavailable(stage_keys, a);
	} else {
		print_stage_values(h);
		print_partial(a);
	}
	close_json_object();
}

/* "cgroup 1234 /docker/abc", plus "  recursive  cgroups 3" for a subtree. */
static void print_cgroup_head(const struct stats_cgroup *cg)
{
	print_u64(PRINT_ANY, "cgroup_id", "cgroup %" PRIu64, cg->cgroup_id);
	print_string(PRINT_ANY, "path", " %s", cg->path);
}

/* avail[unit], or NULL when there is no avail. */
static const struct stats_avail *unit_avail(const struct stats_avail *avail,
					    unsigned int unit)
{
	return avail ? &avail[unit] : NULL;
}

static void print_cgroup(const struct stats_cgroup *cg,
			 const struct stats_avail *avail)
{
	unsigned int i;

	open_json_object(NULL);
	print_cgroup_head(cg);
	print_bool(PRINT_JSON, "recursive", NULL, cg->recursive);
	print_uint(PRINT_JSON, "cgroups", NULL, cg->cgroups);
	if (cg->recursive)
		print_fp("  recursive  cgroups %u", cg->cgroups);
	print_nl();
	print_dir("rx", &cg->rx, unit_avail(avail, STATS_AVAIL_RX));
	print_dir("tx", &cg->tx, unit_avail(avail, STATS_AVAIL_TX));
	print_fp("  %-10s %10s %8s %8s %8s %8s %8s %8s %8s %8s\n", "stage",
		 "count", "p50", "p90", "p99", "p99.9", "max", "mean", "stddev",
		 "untimed");
	for (i = 0; i < OFFLOADMOD_STAGE_COUNT; i++)
		print_stage(i, &cg->stage[i], unit_avail(avail, i));
	close_json_object();
}

void stats_print_show(const struct stats_list *list,
		      const struct stats_avail *avail)
{
	size_t i;

	open_json_array(PRINT_JSON, NULL);
	for (i = 0; i < list->n; i++) {
		if (i)
			print_nl();
		print_cgroup(&list->v[i], avail);
	}
	close_json_array(PRINT_JSON);
}

void stats_print_hist(const struct stats_cgroup *cg, unsigned int stage)
{
	const struct hist *h = &cg->stage[stage];
	char lo[HIST_FMT_LEN], up[HIST_FMT_LEN], range[2 * HIST_FMT_LEN + 8];
	char bar[HIST_BAR_WIDTH + 1];
	uint64_t peak = 0;
	uint32_t i;
	int len;

	for (i = 0; i < h->n; i++)
		if (h->counts[i] > peak)
			peak = h->counts[i];

	open_json_object(NULL);
	print_cgroup_head(cg);
	print_string(PRINT_ANY, "stage", "  stage %s", stats_stage_names[stage]);
	print_u64(PRINT_ANY, "count", "  count %" PRIu64, h->count);
	print_nl();
	open_json_array(PRINT_JSON, "buckets");
	for (i = 0; i < h->n; i++) {
		unsigned int idx = h->first + i;
		uint64_t c = h->counts[i];
		uint64_t lower = offloadmod_hist_lower(idx);
		uint64_t upper = hist_bucket_upper(h, idx);

		if (!c)
			continue;
		/* Every non-empty bucket gets at least one mark. */
		len = (int)ceil((double)c * HIST_BAR_WIDTH / (double)peak);
		memset(bar, '#', (size_t)len);
		bar[len] = '\0';
		snprintf(range, sizeof(range), "[%s, %s)",
			 hist_fmt_ns(lower, lo, sizeof(lo)),
			 hist_fmt_ns(upper, up, sizeof(up)));

		open_json_object(NULL);
		print_u64(PRINT_JSON, "lower_ns", NULL, lower);
		print_u64(PRINT_JSON, "upper_ns", NULL, upper);
		print_fp("%-20s", range);
		print_u64(PRINT_ANY, "count", " %10" PRIu64, c);
		print_fp(" |%-*s|\n", HIST_BAR_WIDTH, bar);
		close_json_object();
	}
	close_json_array(PRINT_JSON);
	close_json_object();
}

static int cmp_row(const void *a, const void *b)
{
	const struct stats_top_row *x = a, *y = b;

	if (x->worst_p99_ns != y->worst_p99_ns)
		return x->worst_p99_ns > y->worst_p99_ns ? -1 : 1;
	if (x->cg->cgroup_id != y->cg->cgroup_id)
		return x->cg->cgroup_id < y->cg->cgroup_id ? -1 : 1;
	return 0;
}

void stats_top_sort(struct stats_top_row *rows, size_t n)
{
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_row);
}

static void print_rate(const char *key, bool has, uint64_t pps)
{
	if (has) {
		print_u64(PRINT_ANY, key, " %10" PRIu64, pps);
	} else {
		print_null(PRINT_JSON, key, NULL);
		print_fp(" %10s", "-");
	}
}

void stats_print_top(const struct stats_top_row *rows, size_t n)
{
	unsigned int s;
	size_t i;

	open_json_array(PRINT_JSON, NULL);
	print_fp("%-12s", "cgroup_id");
	for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++)
		print_fp(" %10s", stats_stage_names[s]);
	print_fp(" %10s %10s  %s\n", "rx_pps", "tx_pps", "path");
	for (i = 0; i < n; i++) {
		const struct stats_top_row *r = &rows[i];

		open_json_object(NULL);
		print_u64(PRINT_ANY, "cgroup_id", "%-12" PRIu64,
			  r->cg->cgroup_id);
		print_string(PRINT_JSON, "path", NULL, r->cg->path);
		open_json_object("p99_ns");
		for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++)
			print_ns(stats_stage_names[s], r->p99_ns[s],
				 !r->cg->stage[s].count, 10);
		close_json_object();
		print_rate("rx_pps", r->has_rate, r->rx_pps);
		print_rate("tx_pps", r->has_rate, r->tx_pps);
		print_fp("  %s\n", r->cg->path);
		close_json_object();
	}
	close_json_array(PRINT_JSON);
}
