// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl trace: aggregation of the tracer's per-CPU map values,
 * stage availability, printing; see trace_agg.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "output.h"
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

/* ---- availability ------------------------------------------------------ */

/*
 * How a unit depends on a hook. NEED: nothing is measured without it.
 * ANY: one of the unit's ANY hooks is enough; each covers a part
 * ("without" says which). PART: the unit is measured without it, only
 * less completely.
 */
enum trace_dep_kind { DEP_NEED, DEP_ANY, DEP_PART };

struct trace_dep {
	unsigned char unit, hook, kind;
	const char *without;	/* what the unit misses without the hook */
};

/*
 * Which hook each stage starts and ends at, and what counts the packets:
 * see the table in docs/TRACE.md and the programs in ../bpf/trace.bpf.c.
 */
static const struct trace_dep trace_deps[] = {
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_NETIF_RECEIVE_SKB, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_IP_DELIVER, DEP_ANY,
	  "IPv4 packets not measured" },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_IP6_DELIVER, DEP_ANY,
	  "IPv6 packets not measured" },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_CONSUME_UDP, DEP_PART,
	  "packets to unconnected UDP sockets not measured" },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_GRO_RECEIVE, DEP_PART,
	  "time held by GRO not included" },
	{ OFFLOADMOD_STAGE_RX_WAIT, TRACE_HOOK_COPY_DATAGRAM, DEP_ANY,
	  "TCP readers not measured" },
	{ OFFLOADMOD_STAGE_RX_WAIT, TRACE_HOOK_CONSUME_UDP, DEP_ANY,
	  "UDP readers not measured" },
	{ OFFLOADMOD_STAGE_TX_STACK, TRACE_HOOK_NET_DEV_QUEUE, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_TX_QDISC, TRACE_HOOK_NET_DEV_QUEUE, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_TX_QDISC, TRACE_HOOK_NET_DEV_START_XMIT, DEP_ANY,
	  "packets on devices without a qdisc (veth, loopback) not measured" },
	{ OFFLOADMOD_STAGE_TX_QDISC, TRACE_HOOK_QDISC_DEQUEUE, DEP_ANY,
	  "on devices with a qdisc it ends at the driver's transmit, not at the dequeue" },
	{ OFFLOADMOD_STAGE_SCHED_WAIT, TRACE_HOOK_SCHED_SWITCH, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_SCHED_WAIT, TRACE_HOOK_SCHED_WAKEUP, DEP_PART,
	  "waits after a wakeup counted as untimed" },
	{ OFFLOADMOD_STAGE_SCHED_WAIT, TRACE_HOOK_SCHED_WAKEUP_NEW, DEP_PART,
	  "a new task's first wait counted as untimed" },
	{ TRACE_UNIT_RX, TRACE_HOOK_IP_DELIVER, DEP_ANY,
	  "IPv4 packets not counted" },
	{ TRACE_UNIT_RX, TRACE_HOOK_IP6_DELIVER, DEP_ANY,
	  "IPv6 packets not counted" },
	{ TRACE_UNIT_RX, TRACE_HOOK_CONSUME_UDP, DEP_PART,
	  "packets to unconnected UDP sockets not counted" },
	{ TRACE_UNIT_TX, TRACE_HOOK_NET_DEV_QUEUE, DEP_NEED, NULL },
};

#define N_DEPS (sizeof(trace_deps) / sizeof(trace_deps[0]))

_Static_assert(TRACE_HOOK_COUNT <= 32, "sets of hooks are unsigned int bits");

const char *trace_unit_name(unsigned int unit)
{
	if (unit < OFFLOADMOD_STAGE_COUNT)
		return stats_stage_names[unit];
	return unit == TRACE_UNIT_RX ? "rx counters" : "tx counters";
}

/* Append to a NUL-terminated buffer; a full one just stays truncated. */
static void append(char *buf, size_t len, const char *fmt, ...)
	CTL_PRINTF(3, 4);

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t off = strlen(buf);
	va_list ap;

	if (off + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
}

/*
 * "a, b: why; c: other why" for the hooks in failed (a bit per hook):
 * hooks that failed for the same reason share it, which is the usual case
 * (one kernel facility missing for every function hooked through it).
 */
static void explain_failed(const struct trace_hook_state *hooks,
			   unsigned int failed, char *buf, size_t len)
{
	unsigned int done = 0, i, j;

	for (i = 0; i < TRACE_HOOK_COUNT; i++) {
		if (!(failed & (1U << i)) || (done & (1U << i)))
			continue;
		if (*buf)
			append(buf, len, "; ");
		for (j = i; j < TRACE_HOOK_COUNT; j++) {
			if (!(failed & (1U << j)) ||
			    strcmp(hooks[j].why, hooks[i].why))
				continue;
			append(buf, len, "%s%s", j == i ? "" : ", ",
			       hooks[j].name);
			done |= 1U << j;
		}
		append(buf, len, ": %s", hooks[i].why);
	}
}

static void resolve_unit(const struct trace_hook_state *hooks,
			 unsigned int unit, struct trace_unit_state *u)
{
	unsigned int need_failed = 0, any_failed = 0, any = 0, k;
	const struct trace_dep *d;
	bool ok;

	u->reason[0] = '\0';
	for (k = 0; k < N_DEPS; k++) {
		d = &trace_deps[k];
		if (d->unit != unit)
			continue;
		ok = hooks[d->hook].attached;
		if (d->kind == DEP_NEED && !ok)
			need_failed |= 1U << d->hook;
		if (d->kind == DEP_ANY) {
			any |= 1U << d->hook;
			if (!ok)
				any_failed |= 1U << d->hook;
		}
	}
	u->available = !need_failed && (!any || any_failed != any);
	if (!u->available) {
		explain_failed(hooks, need_failed ? need_failed : any_failed,
			       u->reason, sizeof(u->reason));
		return;
	}
	/* Measured: say what it misses, each part with its hook's reason. */
	for (k = 0; k < N_DEPS; k++) {
		d = &trace_deps[k];
		if (d->unit != unit || d->kind == DEP_NEED ||
		    hooks[d->hook].attached)
			continue;
		append(u->reason, sizeof(u->reason), "%s%s (%s: %s)",
		       *u->reason ? "; " : "", d->without, hooks[d->hook].name,
		       hooks[d->hook].why);
	}
}

void trace_avail_resolve(const struct trace_hook_state hooks[TRACE_HOOK_COUNT],
			 struct trace_unit_state units[TRACE_UNIT_COUNT])
{
	unsigned int u;

	for (u = 0; u < TRACE_UNIT_COUNT; u++)
		resolve_unit(hooks, u, &units[u]);
}

/* ---- printing ------------------------------------------------------------ */

/*
 * The layout of "stats show" (stats_print.c), field for field, plus
 * availability; tests/test_trace.c checks that both print the same text
 * and the same JSON fields when everything is measured.
 */

/* JSON "available" and "reason"; text: the reason, in the given format. */
static void print_avail(const struct trace_unit_state *u, const char *fmt)
{
	print_bool(PRINT_JSON, "available", NULL, u->available);
	if (*u->reason)
		print_string(PRINT_ANY, "reason", fmt, u->reason);
	else
		print_null(PRINT_JSON, "reason", NULL);
}

/* An unmeasured unit: every value null (never a zero that was not seen). */
static void print_unavailable(const char *const *keys,
			      const struct trace_unit_state *u)
{
	for (; *keys; keys++)
		print_null(PRINT_JSON, *keys, NULL);
	print_avail(u, " unavailable: %s");
	print_nl();
}

#define PARTIAL_FMT "    partial: %s\n"

static const char *const dir_keys[] = {
	"packets", "bytes", "offload_packets", "offload_segments", NULL
};

static void print_dir(const char *key, const struct stats_dir *d,
		      const struct trace_unit_state *u)
{
	open_json_object(key);
	print_fp("  %s", key);
	if (!u->available) {
		print_unavailable(dir_keys, u);
		close_json_object();
		return;
	}
	print_u64(PRINT_ANY, "packets", " packets %" PRIu64, d->packets);
	print_u64(PRINT_ANY, "bytes", "  bytes %" PRIu64, d->bytes);
	print_u64(PRINT_ANY, "offload_packets", "  offload_packets %" PRIu64,
		  d->offload_packets);
	print_u64(PRINT_ANY, "offload_segments", "  offload_segments %" PRIu64,
		  d->offload_segments);
	print_nl();
	print_avail(u, PARTIAL_FMT);
	close_json_object();
}

/* One latency: JSON key = ns; text a column in human units, "-" if none. */
static void print_ns(const char *key, uint64_t ns, bool none)
{
	char buf[HIST_FMT_LEN];

	print_u64(PRINT_JSON, key, NULL, ns);
	print_fp(" %8s", none ? "-" : hist_fmt_ns(ns, buf, sizeof(buf)));
}

static const char *const stage_keys[] = {
	"count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns", "min_ns",
	"mean_ns", "stddev_ns", "untimed", NULL
};

static void print_stage(unsigned int id, const struct hist *h,
			const struct trace_unit_state *u)
{
	struct hist_summary s;
	bool none = !h->count;

	open_json_object(stats_stage_names[id]);
	print_fp("  %-10s", stats_stage_names[id]);
	if (!u->available) {
		print_unavailable(stage_keys, u);
		close_json_object();
		return;
	}
	hist_summarize(h, &s);
	print_u64(PRINT_ANY, "count", " %10" PRIu64, h->count);
	print_ns("p50_ns", s.p50_ns, none);
	print_ns("p90_ns", s.p90_ns, none);
	print_ns("p99_ns", s.p99_ns, none);
	print_ns("p999_ns", s.p999_ns, none);
	print_ns("max_ns", s.max_ns, none);
	print_u64(PRINT_JSON, "min_ns", NULL, s.min_ns);
	print_ns("mean_ns", s.mean_ns, none);
	print_ns("stddev_ns", s.stddev_ns, none);
	print_u64(PRINT_ANY, "untimed", " %8" PRIu64, h->untimed);
	print_nl();
	print_avail(u, PARTIAL_FMT);
	close_json_object();
}

static void print_cgroup(const struct stats_cgroup *cg,
			 const struct trace_unit_state *units)
{
	unsigned int i;

	open_json_object(NULL);
	print_u64(PRINT_ANY, "cgroup_id", "cgroup %" PRIu64, cg->cgroup_id);
	print_string(PRINT_ANY, "path", " %s", cg->path);
	print_bool(PRINT_JSON, "recursive", NULL, cg->recursive);
	print_uint(PRINT_JSON, "cgroups", NULL, cg->cgroups);
	if (cg->recursive)
		print_fp("  recursive  cgroups %u", cg->cgroups);
	print_nl();
	print_dir("rx", &cg->rx, &units[TRACE_UNIT_RX]);
	print_dir("tx", &cg->tx, &units[TRACE_UNIT_TX]);
	print_fp("  %-10s %10s %8s %8s %8s %8s %8s %8s %8s %8s\n", "stage",
		 "count", "p50", "p90", "p99", "p99.9", "max", "mean", "stddev",
		 "untimed");
	for (i = 0; i < OFFLOADMOD_STAGE_COUNT; i++)
		print_stage(i, &cg->stage[i], &units[i]);
	close_json_object();
}

void trace_print_show(const struct stats_list *list,
		      const struct trace_unit_state units[TRACE_UNIT_COUNT])
{
	size_t i;

	open_json_array(PRINT_JSON, NULL);
	for (i = 0; i < list->n; i++) {
		if (i)
			print_nl();
		print_cgroup(&list->v[i], units);
	}
	close_json_array(PRINT_JSON);
}
