// SPDX-License-Identifier: GPL-2.0
/*
 * trace: the tracer's bucket index against the module's (every edge), and
 * the aggregation of per-CPU map values into what "stats show" prints.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "trace_agg.h"

static void test_index(void)
{
	unsigned int bad = 0, e, k;
	__u64 v;

	for (v = 0; v < 4096; v++)
		bad += trace_hist_index(v) != offloadmod_hist_index(v);
	for (e = 4; e < 64; e++)
		for (k = 0; k < 16; k++) {
			v = (1ULL << e) + ((__u64)k << (e - 4));
			bad += trace_hist_index(v) != offloadmod_hist_index(v);
			bad += trace_hist_index(v - 1) != offloadmod_hist_index(v - 1);
		}
	bad += trace_hist_index(~0ULL) != offloadmod_hist_index(~0ULL);
	ok(!bad, "trace_hist_index() == offloadmod_hist_index() on every edge (%u off)",
	   bad);
	ok(TRACE_HIST_BUCKETS == OFFLOADMOD_HIST_BUCKETS &&
	   TRACE_STAGES == OFFLOADMOD_STAGE_COUNT,
	   "trace_maps.h geometry matches the uapi");
}

static void record(struct trace_hist *h, __u64 ns)
{
	if (!h->count || ns < h->min_ns)
		h->min_ns = ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	h->count++;
	h->sum_ns += ns;
	h->buckets[trace_hist_index(ns)]++;
}

static void test_sum(void)
{
	static struct trace_hist cpu[3], acc;
	struct hist h = { 0 };
	unsigned int i;

	/* CPU 1 timed nothing: its zero min must not win. */
	for (i = 0; i < 100; i++)
		record(&cpu[0], 1000 + i);
	cpu[1].untimed = 7;
	record(&cpu[2], 500);
	record(&cpu[2], 20000000);
	cpu[2].untimed = 1;
	for (i = 0; i < 3; i++)
		trace_hist_sum(&acc, &cpu[i]);
	ok(acc.count == 102 && acc.untimed == 8, "counts and untimed add up");
	ok(acc.min_ns == 500 && acc.max_ns == 20000000,
	   "min and max over the CPUs that timed something");
	ok(!trace_hist_to_hist(&acc, &h), "to struct hist");
	ok(h.first == trace_hist_index(500) &&
	   h.first + h.n - 1 == trace_hist_index(20000000),
	   "buckets trimmed to the non-empty range");
	ok(hist_total(&h) == 102, "no bucket lost");
	ok(hist_quantile(&h, HIST_P50) >= 1049 &&
	   hist_quantile(&h, HIST_P50) < 1049 + 1049 / 16 + 1,
	   "p50 within a bucket of the true one");
	hist_free(&h);
	memset(&acc, 0, sizeof(acc));
	ok(!trace_hist_to_hist(&acc, &h) && !h.n && !h.counts,
	   "empty histogram: no buckets");
}

static void test_list(void)
{
	struct stats_list l = { 0 };
	char *prefixes[] = { "/a" };
	struct stats_cgroup *cg;

	cg = trace_list_get(&l, 30);
	free(cg->path);
	cg->path = strdup("/a/x");
	cg = trace_list_get(&l, 10);
	free(cg->path);
	cg->path = strdup("/ab");
	cg = trace_list_get(&l, 20);
	free(cg->path);
	cg->path = strdup("/a");
	trace_list_get(&l, 40);		/* removed cgroup: no path */
	ok(l.n == 4 && trace_list_get(&l, 30) == &l.v[0], "find or add");
	trace_list_sort(&l);
	ok(l.v[0].cgroup_id == 10 && l.v[3].cgroup_id == 40, "sorted by id");
	trace_list_filter(&l, prefixes, 1);
	ok(l.n == 2 && !strcmp(l.v[0].path, "/a") &&
	   !strcmp(l.v[1].path, "/a/x"),
	   "filter keeps the target and its descendants, not /ab");
	ok(trace_path_under("/a/b", "/") && trace_path_under("/a", "/a/") &&
	   !trace_path_under("", "/"), "path_under: root, trailing slash, no path");
	stats_list_free(&l);
}

int main(void)
{
	test_index();
	test_sum();
	test_list();
	return tap_done();
}
