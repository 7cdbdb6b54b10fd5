// SPDX-License-Identifier: GPL-2.0
/*
 * trace: the tracer's bucket index against the module's (every edge), the
 * aggregation of per-CPU map values into what "stats show" prints, which
 * stages a set of attached hooks measures, and how that is printed
 * (through "stats show"'s printer).
 */
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "output.h"
#include "tap.h"
#include "trace_agg.h"
#include "trace_avail.h"

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

static void test_prealloc(void)
{
	size_t per_cpu = (sizeof(struct trace_hist) + 7) & ~(size_t)7;
	unsigned int ncpu, n, bad = 0;

	ok(trace_hist_prealloc_entries(2, 2048) == 2048,
	   "prealloc: a small host gets every entry");
	ok(trace_hist_prealloc_entries(0, 2048) ==
	   trace_hist_prealloc_entries(1, 2048), "prealloc: 0 CPUs counts as 1");
	for (ncpu = 1; ncpu <= 8192; ncpu *= 2) {
		n = trace_hist_prealloc_entries(ncpu, 2048);
		bad += n > 2048 || (n < 2048 && n % TRACE_STAGES) ||
		       n < TRACE_PREALLOC_MIN_CGROUPS * TRACE_STAGES ||
		       (n > TRACE_PREALLOC_MIN_CGROUPS * TRACE_STAGES &&
			(uint64_t)n * ncpu * per_cpu > TRACE_PREALLOC_BUDGET);
	}
	ok(!bad, "prealloc: at most max, else whole cgroups within the budget, at least the floor, 1..8192 CPUs");
	n = trace_hist_prealloc_entries(64, 2048);
	ok(n < 2048 && (uint64_t)(n + TRACE_STAGES) * 64 * per_cpu >
	   TRACE_PREALLOC_BUDGET, "prealloc: 64 CPUs: as many as the budget holds (%u)",
	   n);
	ok(trace_hist_prealloc_entries(8192, 2048) ==
	   TRACE_PREALLOC_MIN_CGROUPS * TRACE_STAGES,
	   "prealloc: a huge host still gets the floor");
}

/* Hook states as a kernel leaves them: every hook attached. */
static void hooks_all(struct trace_hook_state *h)
{
	static const char *const names[TRACE_HOOK_COUNT] = {
		"net_dev_queue", "qdisc_dequeue", "net_dev_start_xmit",
		"sched_wakeup", "sched_wakeup_new", "sched_switch",
		"skb_copy_datagram_iovec", "skb_consume_udp",
		"netif_receive_skb", "napi_gro_receive_entry",
		"ip_protocol_deliver_rcu", "ip6_protocol_deliver_rcu",
	};
	unsigned int i;

	memset(h, 0, TRACE_HOOK_COUNT * sizeof(*h));
	for (i = 0; i < TRACE_HOOK_COUNT; i++) {
		h[i].name = names[i];
		h[i].attached = true;
	}
}

static void hook_fails(struct trace_hook_state *h, unsigned int i,
		       const char *why)
{
	h[i].attached = false;
	snprintf(h[i].why, sizeof(h[i].why), "%s", why);
}

#define NOKP "fentry refused (EPERM), no kprobes in this kernel"

static void test_avail(void)
{
	static struct trace_hook_state h[TRACE_HOOK_COUNT];
	static struct trace_unit_state u[TRACE_UNIT_COUNT];
	unsigned int i, bad = 0;

	hooks_all(h);
	trace_avail_resolve(h, u);
	for (i = 0; i < TRACE_UNIT_COUNT; i++)
		bad += !u[i].available || *u[i].reason;
	ok(!bad, "every hook attached: every stage and counter fully measured");

	/* The host kernel of these machines: no fentry, no kprobes. */
	hook_fails(h, TRACE_HOOK_IP_DELIVER, NOKP);
	hook_fails(h, TRACE_HOOK_IP6_DELIVER, NOKP);
	hook_fails(h, TRACE_HOOK_CONSUME_UDP, NOKP);
	trace_avail_resolve(h, u);
	ok(!u[OFFLOADMOD_STAGE_RX_STACK].available &&
	   !strcmp(u[OFFLOADMOD_STAGE_RX_STACK].reason,
		   "ip_protocol_deliver_rcu, ip6_protocol_deliver_rcu: " NOKP),
	   "no IP delivery hook: rx_stack unavailable, hooks sharing a reason named once (%s)",
	   u[OFFLOADMOD_STAGE_RX_STACK].reason);
	ok(!u[TRACE_UNIT_RX].available &&
	   !strcmp(u[TRACE_UNIT_RX].reason,
		   u[OFFLOADMOD_STAGE_RX_STACK].reason),
	   "and the rx counters, for the same reason");
	ok(u[OFFLOADMOD_STAGE_RX_WAIT].available &&
	   !strcmp(u[OFFLOADMOD_STAGE_RX_WAIT].reason,
		   "UDP readers not measured (skb_consume_udp: " NOKP ")"),
	   "rx_wait still measures TCP readers, says UDP ones are not (%s)",
	   u[OFFLOADMOD_STAGE_RX_WAIT].reason);
	ok(u[OFFLOADMOD_STAGE_TX_STACK].available &&
	   u[OFFLOADMOD_STAGE_TX_QDISC].available &&
	   u[OFFLOADMOD_STAGE_SCHED_WAIT].available && u[TRACE_UNIT_TX].available &&
	   !*u[OFFLOADMOD_STAGE_TX_QDISC].reason && !*u[TRACE_UNIT_TX].reason,
	   "the stages that need none of them are fully measured");

	/* One of two alternatives: partial; both: unavailable, both named. */
	hooks_all(h);
	hook_fails(h, TRACE_HOOK_QDISC_DEQUEUE, "tracepoint not in this kernel");
	trace_avail_resolve(h, u);
	ok(u[OFFLOADMOD_STAGE_TX_QDISC].available &&
	   strstr(u[OFFLOADMOD_STAGE_TX_QDISC].reason, "(qdisc_dequeue: tracepoint not in this kernel)"),
	   "tx_qdisc without qdisc_dequeue: measured, says what differs");
	hook_fails(h, TRACE_HOOK_NET_DEV_START_XMIT, "tracepoint load failed (EINVAL)");
	trace_avail_resolve(h, u);
	ok(!u[OFFLOADMOD_STAGE_TX_QDISC].available &&
	   !strcmp(u[OFFLOADMOD_STAGE_TX_QDISC].reason,
		   "qdisc_dequeue: tracepoint not in this kernel; net_dev_start_xmit: tracepoint load failed (EINVAL)"),
	   "tx_qdisc with neither end: unavailable, each reason given (%s)",
	   u[OFFLOADMOD_STAGE_TX_QDISC].reason);
	ok(u[OFFLOADMOD_STAGE_TX_STACK].available, "tx_stack unaffected");

	/* A needed hook alone decides; a refinement only adds a note. */
	hooks_all(h);
	hook_fails(h, TRACE_HOOK_SCHED_WAKEUP, "x");
	trace_avail_resolve(h, u);
	ok(u[OFFLOADMOD_STAGE_SCHED_WAIT].available &&
	   strstr(u[OFFLOADMOD_STAGE_SCHED_WAIT].reason, "sched_wakeup: x"),
	   "sched_wait without sched_wakeup: measured, partial");
	hook_fails(h, TRACE_HOOK_SCHED_SWITCH, "y");
	hook_fails(h, TRACE_HOOK_NET_DEV_QUEUE, "z");
	trace_avail_resolve(h, u);
	ok(!u[OFFLOADMOD_STAGE_SCHED_WAIT].available &&
	   !strcmp(u[OFFLOADMOD_STAGE_SCHED_WAIT].reason, "sched_switch: y"),
	   "sched_wait without sched_switch: unavailable, only the needed hook named");
	ok(!u[OFFLOADMOD_STAGE_TX_STACK].available &&
	   !u[OFFLOADMOD_STAGE_TX_QDISC].available && !u[TRACE_UNIT_TX].available,
	   "without net_dev_queue: no tx stage, no tx counters");

	/* Every reason as long as it can be: truncated, terminated. */
	for (i = 0; i < TRACE_HOOK_COUNT; i++) {
		memset(h[i].why, 'w', sizeof(h[i].why) - 1);
		h[i].why[sizeof(h[i].why) - 1] = '\0';
		h[i].why[i] = 'a';	/* all different: no sharing */
		h[i].attached = false;
	}
	h[TRACE_HOOK_COPY_DATAGRAM].attached = true;
	trace_avail_resolve(h, u);
	bad = 0;
	for (i = 0; i < TRACE_UNIT_COUNT; i++)
		bad += strlen(u[i].reason) >= sizeof(u[i].reason);
	ok(!bad && !u[OFFLOADMOD_STAGE_RX_STACK].available &&
	   u[OFFLOADMOD_STAGE_RX_WAIT].available,
	   "reasons longer than the buffer are cut, not overrun");
	ok(!strcmp(trace_unit_name(OFFLOADMOD_STAGE_SCHED_WAIT), "sched_wait") &&
	   !strcmp(trace_unit_name(TRACE_UNIT_RX), "rx counters"),
	   "unit names");
}

/* Units as the printer takes them: the three states, the same reasons. */
static void test_avail_to_stats(void)
{
	static struct trace_hook_state h[TRACE_HOOK_COUNT];
	static struct trace_unit_state u[TRACE_UNIT_COUNT];
	struct stats_avail a[STATS_AVAIL_COUNT];
	unsigned int i, bad = 0;

	hooks_all(h);
	trace_avail_resolve(h, u);
	trace_avail_to_stats(u, a);
	for (i = 0; i < STATS_AVAIL_COUNT; i++)
		bad += a[i].state != STATS_AVAILABLE;
	ok(!bad, "every hook attached: every unit STATS_AVAILABLE");

	hook_fails(h, TRACE_HOOK_IP_DELIVER, NOKP);
	hook_fails(h, TRACE_HOOK_IP6_DELIVER, NOKP);
	hook_fails(h, TRACE_HOOK_CONSUME_UDP, NOKP);
	trace_avail_resolve(h, u);
	trace_avail_to_stats(u, a);
	ok(a[OFFLOADMOD_STAGE_RX_STACK].state == STATS_UNAVAILABLE &&
	   a[STATS_AVAIL_RX].state == STATS_UNAVAILABLE &&
	   a[OFFLOADMOD_STAGE_RX_WAIT].state == STATS_PARTIAL &&
	   a[OFFLOADMOD_STAGE_TX_QDISC].state == STATS_AVAILABLE &&
	   a[STATS_AVAIL_TX].state == STATS_AVAILABLE,
	   "unavailable, partial (measured with a reason) and available");
	ok(a[OFFLOADMOD_STAGE_RX_STACK].reason == u[OFFLOADMOD_STAGE_RX_STACK].reason &&
	   a[OFFLOADMOD_STAGE_RX_WAIT].reason == u[OFFLOADMOD_STAGE_RX_WAIT].reason,
	   "the reasons are the units' own");
}

/* A list of two cgroups with some of everything. */
static void sample_list(struct stats_list *l)
{
	static struct trace_hist th;
	struct stats_cgroup *cg;
	unsigned int i, s;

	for (i = 0; i < 2; i++) {
		cg = trace_list_get(l, 100 + i);
		free(cg->path);
		cg->path = strdup(i ? "/b" : "/a");
		cg->rx = (struct stats_dir){ 10 + i, 1000, 1, 4 };
		cg->tx = (struct stats_dir){ 20 + i, 2000, 2, 8 };
		for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++) {
			memset(&th, 0, sizeof(th));
			if (s != OFFLOADMOD_STAGE_RX_WAIT || i) {
				record(&th, 1000 * (s + 1));
				record(&th, 5000 * (s + 1) + i);
			}
			th.untimed = s;
			trace_hist_to_hist(&th, &cg->stage[s]);
		}
	}
}

/* What a print call writes, as one string (free it). */
static char *capture(bool json, const struct stats_list *l,
		     const struct trace_unit_state *u)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	struct stats_avail a[STATS_AVAIL_COUNT];

	output_init(json, false);
	output_set_stream(mem);
	if (u) {
		trace_avail_to_stats(u, a);
		stats_print_show(l, a);
	} else {
		stats_print_show(l, NULL);
	}
	output_finish();
	output_set_stream(NULL);
	fclose(mem);
	return buf;
}

/*
 * Whether JSON t is JSON s plus, in every stage and direction object,
 * "available" and "reason" (checked by the caller): same keys, same values.
 */
static bool same_but_avail(json_object *s, json_object *t)
{
	size_t i, n;

	if (json_object_get_type(s) != json_object_get_type(t))
		return false;
	if (json_object_is_type(s, json_type_array)) {
		n = json_object_array_length(s);
		if (n != json_object_array_length(t))
			return false;
		for (i = 0; i < n; i++)
			if (!same_but_avail(json_object_array_get_idx(s, i),
					    json_object_array_get_idx(t, i)))
				return false;
		return true;
	}
	if (!json_object_is_type(s, json_type_object))
		return json_object_equal(s, t);
	n = 0;
	json_object_object_foreach(t, key, tv) {
		json_object *sv;

		if (!strcmp(key, "available") || !strcmp(key, "reason"))
			continue;
		if (!json_object_object_get_ex(s, key, &sv) ||
		    !same_but_avail(sv, tv))
			return false;
		n++;
	}
	return n == (size_t)json_object_object_length(s);
}

static json_object *member(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	if (json_object_object_get_ex(o, a, &v) && b)
		json_object_object_get_ex(v, b, &v);
	return v;
}

static void test_print(void)
{
	static struct trace_hook_state h[TRACE_HOOK_COUNT];
	static struct trace_unit_state u[TRACE_UNIT_COUNT];
	struct stats_list l = { 0 };
	char *st, *tr, line[TRACE_REASON_LEN + 64];
	json_object *js, *jt, *a;
	const char *reason;

	sample_list(&l);
	hooks_all(h);
	trace_avail_resolve(h, u);
	st = capture(false, &l, NULL);
	tr = capture(false, &l, u);
	ok(st && tr && !strcmp(st, tr),
	   "everything measured: the text is exactly \"stats show\"'s");
	free(st);
	free(tr);
	st = capture(true, &l, NULL);
	tr = capture(true, &l, u);
	js = json_tokener_parse(st);
	jt = json_tokener_parse(tr);
	ok(js && jt && same_but_avail(js, jt),
	   "JSON: the fields and values of \"stats show\", plus availability");
	a = json_object_array_get_idx(jt, 0);
	ok(json_object_get_boolean(member(a, "rx_stack", "available")) &&
	   json_object_get_boolean(member(a, "tx", "available")) &&
	   member(a, "sched_wait", "reason") == NULL &&
	   json_object_object_get_ex(member(a, "sched_wait", NULL), "reason", NULL),
	   "every stage and direction has available true and reason null");
	json_object_put(js);
	json_object_put(jt);
	free(st);
	free(tr);

	hook_fails(h, TRACE_HOOK_IP_DELIVER, NOKP);
	hook_fails(h, TRACE_HOOK_IP6_DELIVER, NOKP);
	hook_fails(h, TRACE_HOOK_CONSUME_UDP, NOKP);
	trace_avail_resolve(h, u);
	tr = capture(true, &l, u);
	jt = json_tokener_parse(tr);
	a = json_object_array_get_idx(jt, 1);
	reason = json_object_get_string(member(a, "rx_stack", "reason"));
	ok(a && !json_object_get_boolean(member(a, "rx_stack", "available")) &&
	   reason && !strcmp(reason, u[OFFLOADMOD_STAGE_RX_STACK].reason),
	   "JSON: an unavailable stage says so, with the reason");
	ok(json_object_object_get_ex(member(a, "rx_stack", NULL), "p50_ns", NULL) &&
	   member(a, "rx_stack", "count") == NULL &&
	   member(a, "rx_stack", "p50_ns") == NULL &&
	   member(a, "rx", "packets") == NULL,
	   "its values (and the rx counters') are null, not zeros");
	ok(json_object_get_boolean(member(a, "rx_wait", "available")) &&
	   json_object_get_int64(member(a, "rx_wait", "count")) == 2 &&
	   strstr(json_object_get_string(member(a, "rx_wait", "reason")), "UDP readers"),
	   "a partial stage has its values and what it misses");
	json_object_put(jt);
	free(tr);

	tr = capture(false, &l, u);
	snprintf(line, sizeof(line), "\n  rx_stack   unavailable: %s\n",
		 u[OFFLOADMOD_STAGE_RX_STACK].reason);
	ok(tr && strstr(tr, line), "text: the stage's row says unavailable and why");
	snprintf(line, sizeof(line), "\n  rx unavailable: %s\n",
		 u[TRACE_UNIT_RX].reason);
	ok(tr && strstr(tr, line), "text: so does the rx counters' row");
	snprintf(line, sizeof(line), "\n    partial: %s\n",
		 u[OFFLOADMOD_STAGE_RX_WAIT].reason);
	ok(tr && strstr(tr, line) && strstr(tr, "\n  tx packets 20  bytes 2000"),
	   "text: a partial stage gets a line below; measured rows unchanged");
	free(tr);
	stats_list_free(&l);
}

int main(void)
{
	test_index();
	test_sum();
	test_list();
	test_prealloc();
	test_avail();
	test_avail_to_stats();
	test_print();
	return tap_done();
}
