// SPDX-License-Identifier: GPL-2.0
/*
 * stats: decode synthetic stats-get replies (built as the module builds
 * them, per uapi/linux/offloadmod.h), reject malformed ones, and print
 * them as text and JSON with exactly the documented field names.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <json.h>
#include <linux/offloadmod.h>
#include <netlink/genl/genl.h>

#include "output.h"
#include "stats.h"
#include "tap.h"

#define FAKE_FAMILY 0x20

/* Buckets of the rx_wait stage of cgroup 1234: 1-2 us and a tail. */
#define RXW_FIRST	offloadmod_hist_index(1024)
static const uint64_t rxw_counts[] = { 10, 50, 0, 30, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10 };

static struct nl_msg *msg_new(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, OFFLOADMOD_CMD_STATS_GET,
		    OFFLOADMOD_FAMILY_VERSION);
	return m;
}

static void put_dir(struct nl_msg *m, int type, uint64_t base)
{
	struct nlattr *n = nla_nest_start(m, type);

	nla_put_u64(m, OFFLOADMOD_A_DIR_PACKETS, base);
	nla_put_u64(m, OFFLOADMOD_A_DIR_BYTES, base * 1000);
	nla_put_u64(m, OFFLOADMOD_A_DIR_OFFLOAD_PACKETS, base / 10);
	nla_put_u64(m, OFFLOADMOD_A_DIR_OFFLOAD_SEGMENTS, base / 2);
	nla_nest_end(m, n);
}

/* A stage nest; counts == NULL: an empty stage (no min/max, no buckets). */
static void put_stage(struct nl_msg *m, uint32_t id, uint32_t first,
		      const uint64_t *counts, size_t n, uint64_t untimed)
{
	struct nlattr *nest = nla_nest_start(m, OFFLOADMOD_A_STATS_STAGE);
	uint64_t count = 0, sum = 0, lo = 0, hi = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t mid = (offloadmod_hist_lower(first + i) +
				offloadmod_hist_upper(first + i)) / 2;

		if (!counts[i])
			continue;
		if (!count)
			lo = offloadmod_hist_lower(first + i);
		hi = offloadmod_hist_upper(first + i) - 1;
		count += counts[i];
		sum += counts[i] * mid;
	}
	nla_put_u32(m, OFFLOADMOD_A_STAGE_ID, id);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_COUNT, count);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_SUM_NS, sum);
	if (count) {
		nla_put_u64(m, OFFLOADMOD_A_STAGE_MIN_NS, lo);
		nla_put_u64(m, OFFLOADMOD_A_STAGE_MAX_NS, hi);
	}
	nla_put_u64(m, OFFLOADMOD_A_STAGE_UNTIMED, untimed);
	if (n) {
		nla_put_u32(m, OFFLOADMOD_A_STAGE_BUCKET_FIRST, first);
		nla_put(m, OFFLOADMOD_A_STAGE_BUCKETS, (int)(n * 8), counts);
	}
	nla_put_u32(m, 99, 1);	/* newer module: ignored */
	nla_nest_end(m, nest);
}

/* cgroup 1234: rx_wait with buckets, sched_wait empty, the rest absent. */
static struct nl_msg *reply_a(void)
{
	struct nl_msg *m = msg_new();

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 1234);
	nla_put_string(m, OFFLOADMOD_A_STATS_PATH, "/docker/abc");
	nla_put_u32(m, OFFLOADMOD_A_STATS_CGROUPS, 1);
	put_dir(m, OFFLOADMOD_A_STATS_RX, 1000);
	put_dir(m, OFFLOADMOD_A_STATS_TX, 500);
	put_stage(m, OFFLOADMOD_STAGE_RX_WAIT, RXW_FIRST, rxw_counts,
		  sizeof(rxw_counts) / sizeof(rxw_counts[0]), 7);
	put_stage(m, OFFLOADMOD_STAGE_SCHED_WAIT, 0, NULL, 0, 3);
	put_stage(m, 42, 0, NULL, 0, 0);	/* newer module's stage */
	nla_put_u32(m, 77, 1);			/* newer module: ignored */
	return m;
}

/* cgroup 1: a recursive sum with exact small buckets in tx_qdisc. */
static struct nl_msg *reply_b(void)
{
	static const uint64_t c[] = { 0, 5, 5 };
	struct nl_msg *m = msg_new();

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 1);
	nla_put_flag(m, OFFLOADMOD_A_STATS_RECURSIVE);
	nla_put_string(m, OFFLOADMOD_A_STATS_PATH, "/");
	nla_put_u32(m, OFFLOADMOD_A_STATS_CGROUPS, 3);
	put_stage(m, OFFLOADMOD_STAGE_TX_QDISC, 4, c, 3, 0);
	return m;
}

static int parse_quiet(struct nl_msg *m, struct stats_list *l)
{
	int saved = quiet_stderr();
	int err = stats_parse(m, l);

	restore_stderr(saved);
	return err;
}

static char *render(void (*fn)(const void *), const void *arg, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	output_init(json, false);
	output_set_stream(f);
	fn(arg);
	if (output_finish())
		diag("output_finish reported an error");
	fclose(f);
	output_set_stream(NULL);
	return buf;
}

static void show_fn(const void *arg)
{
	stats_print_show(arg, NULL);
}

/* What a source that measures only some of it says, for show_avail_fn. */
static const struct stats_avail some_avail[STATS_AVAIL_COUNT] = {
	[STATS_AVAIL_RX] = { STATS_UNAVAILABLE, "no rx hook" },
	[STATS_AVAIL_TX] = { STATS_AVAILABLE, "not said: all measured" },
	[OFFLOADMOD_STAGE_RX_STACK] = { STATS_PARTIAL, NULL },
	[OFFLOADMOD_STAGE_RX_WAIT] = { STATS_PARTIAL, "half of it" },
	[OFFLOADMOD_STAGE_TX_STACK] = { STATS_UNAVAILABLE, "gone" },
	[OFFLOADMOD_STAGE_TX_QDISC] = { STATS_AVAILABLE, NULL },
	[OFFLOADMOD_STAGE_SCHED_WAIT] = { STATS_UNAVAILABLE, "" },
};

static void show_avail_fn(const void *arg)
{
	stats_print_show(arg, some_avail);
}

static const struct stats_cgroup *hist_cg;

static void hist_fn(const void *arg)
{
	stats_print_hist(hist_cg, *(const unsigned int *)arg);
}

struct top_arg {
	struct stats_top_row *rows;
	size_t n;
};

static void top_fn(const void *arg)
{
	const struct top_arg *t = arg;

	stats_print_top(t->rows, t->n);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* o has exactly the keys of the NULL-terminated list, of the given type. */
static bool has_exactly(json_object *o, const char *const *keys,
			enum json_type type, bool any_type)
{
	size_t n = 0;

	if (!o || !json_object_is_type(o, json_type_object))
		return false;
	for (; keys[n]; n++) {
		json_object *v = get(o, keys[n]);

		if (!v && !(any_type && json_object_object_get_ex(o, keys[n], NULL))) {
			diag("missing key %s", keys[n]);
			return false;
		}
		if (!any_type && !json_object_is_type(v, type)) {
			diag("key %s has the wrong type", keys[n]);
			return false;
		}
	}
	if ((size_t)json_object_object_length(o) != n) {
		diag("%d keys, want %zu", json_object_object_length(o), n);
		return false;
	}
	return true;
}

static const char *const cg_keys[] = {
	"cgroup_id", "path", "recursive", "cgroups", "rx", "tx", "rx_stack",
	"rx_wait", "tx_stack", "tx_qdisc", "sched_wait", NULL,
};
static const char *const dir_keys[] = {
	"packets", "bytes", "offload_packets", "offload_segments", NULL,
};
static const char *const stage_keys[] = {
	"count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns", "min_ns",
	"mean_ns", "stddev_ns", "untimed", NULL,
};

static void test_decode(struct stats_list *l)
{
	const struct stats_cgroup *a, *b;
	const struct hist *h;
	struct nl_msg *m;

	m = reply_a();
	ok(stats_parse(m, l) == 0 && l->n == 1, "parse a reply");
	nlmsg_free(m);
	m = reply_b();
	ok(stats_parse(m, l) == 0 && l->n == 2, "parse a second (dump) reply");
	nlmsg_free(m);
	if (l->n != 2)
		return;
	a = &l->v[0];
	b = &l->v[1];
	ok(a->cgroup_id == 1234 && !strcmp(a->path, "/docker/abc") &&
	   !a->recursive && a->cgroups == 1, "cgroup fields");
	ok(a->rx.packets == 1000 && a->rx.bytes == 1000000 &&
	   a->rx.offload_packets == 100 && a->rx.offload_segments == 500 &&
	   a->tx.packets == 500 && a->tx.bytes == 500000,
	   "rx and tx counters");
	h = &a->stage[OFFLOADMOD_STAGE_RX_WAIT];
	ok(h->count == 100 && h->untimed == 7 && h->first == RXW_FIRST &&
	   h->n == 21 && h->counts[0] == 10 && h->counts[20] == 10 &&
	   h->min_ns == 1024, "stage with buckets");
	h = &a->stage[OFFLOADMOD_STAGE_SCHED_WAIT];
	ok(h->count == 0 && h->untimed == 3 && h->n == 0 && !h->counts,
	   "empty stage");
	h = &a->stage[OFFLOADMOD_STAGE_RX_STACK];
	ok(h->count == 0 && h->untimed == 0 && !h->counts,
	   "stage left out of the reply is zero");
	ok(b->recursive && b->cgroups == 3 && b->rx.packets == 0 &&
	   b->stage[OFFLOADMOD_STAGE_TX_QDISC].count == 10,
	   "recursive reply, no rx/tx nests");
}

/* Each builds a reply with one defect; all must be refused, leak-free. */
static struct nl_msg *bad_len(void)
{
	struct nl_msg *m = msg_new();
	struct nlattr *n;
	uint64_t c[2] = { 1, 2 };

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 5);
	put_stage(m, OFFLOADMOD_STAGE_RX_STACK, 20, c, 2, 0);
	n = nla_nest_start(m, OFFLOADMOD_A_STATS_STAGE);
	nla_put_u32(m, OFFLOADMOD_A_STAGE_ID, OFFLOADMOD_STAGE_TX_STACK);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_COUNT, 1);
	nla_put(m, OFFLOADMOD_A_STAGE_BUCKETS, 12, c);
	nla_nest_end(m, n);
	return m;
}

static struct nl_msg *bad_range(void)
{
	static const uint64_t c[8] = { 1 };
	struct nl_msg *m = msg_new();

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 5);
	put_stage(m, OFFLOADMOD_STAGE_RX_STACK, OFFLOADMOD_HIST_BUCKETS - 7,
		  c, 8, 0);
	return m;
}

static struct nl_msg *bad_first(void)
{
	struct nl_msg *m = msg_new();
	struct nlattr *n;

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 5);
	n = nla_nest_start(m, OFFLOADMOD_A_STATS_STAGE);
	nla_put_u32(m, OFFLOADMOD_A_STAGE_ID, 0);
	nla_put_u32(m, OFFLOADMOD_A_STAGE_BUCKET_FIRST,
		    OFFLOADMOD_HIST_BUCKETS + 1);
	nla_nest_end(m, n);
	return m;
}

static struct nl_msg *bad_no_id(void)
{
	struct nl_msg *m = msg_new();

	nla_put_string(m, OFFLOADMOD_A_STATS_PATH, "/x");
	return m;
}

static struct nl_msg *bad_stage_no_id(void)
{
	struct nl_msg *m = msg_new();
	struct nlattr *n;

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 5);
	n = nla_nest_start(m, OFFLOADMOD_A_STATS_STAGE);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_COUNT, 1);
	nla_nest_end(m, n);
	return m;
}

static struct nl_msg *bad_twice(void)
{
	static const uint64_t c[] = { 1 };
	struct nl_msg *m = msg_new();

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 5);
	put_stage(m, OFFLOADMOD_STAGE_RX_WAIT, 30, c, 1, 0);
	put_stage(m, OFFLOADMOD_STAGE_RX_WAIT, 30, c, 1, 0);
	return m;
}

static struct nl_msg *bad_width(void)
{
	struct nl_msg *m = msg_new();
	struct nlattr *n;

	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, 5);
	n = nla_nest_start(m, OFFLOADMOD_A_STATS_RX);
	nla_put_u32(m, OFFLOADMOD_A_DIR_PACKETS, 1);
	nla_nest_end(m, n);
	return m;
}

static struct nl_msg *bad_id_width(void)
{
	struct nl_msg *m = msg_new();

	nla_put_u32(m, OFFLOADMOD_A_STATS_CGROUP_ID, 5);
	return m;
}

static void test_bad(void)
{
	static const struct {
		struct nl_msg *(*build)(void);
		const char *name;
	} cases[] = {
		{ bad_len, "buckets of 12 bytes (not a multiple of 8) rejected" },
		{ bad_range, "buckets beyond OFFLOADMOD_HIST_BUCKETS rejected" },
		{ bad_first, "bucket-first beyond the histogram rejected" },
		{ bad_no_id, "reply without cgroup-id rejected" },
		{ bad_stage_no_id, "stage without an id rejected" },
		{ bad_twice, "stage sent twice rejected" },
		{ bad_width, "u64 counter sent as u32 rejected" },
		{ bad_id_width, "cgroup-id sent as u32 rejected" },
	};
	struct stats_list l = { 0 };
	struct nl_msg *m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = cases[i].build();
		ok(parse_quiet(m, &l) == -EINVAL && l.n == 0, "%s",
		   cases[i].name);
		nlmsg_free(m);
	}
	stats_list_free(&l);
}

static void test_show_json(const struct stats_list *l)
{
	json_object *root, *o, *st;
	struct hist_summary s;
	bool pass = true;
	char *out = render(show_fn, l, true);
	size_t i, j;

	root = json_tokener_parse(out);
	ok(root && json_object_is_type(root, json_type_array) &&
	   json_object_array_length(root) == 2, "show -j: an array, one object per reply");
	for (i = 0; root && i < json_object_array_length(root); i++) {
		o = json_object_array_get_idx(root, i);
		pass &= has_exactly(o, cg_keys, json_type_null, true);
		pass &= json_object_is_type(get(o, "cgroup_id"), json_type_int) &&
			json_object_is_type(get(o, "path"), json_type_string) &&
			json_object_is_type(get(o, "recursive"), json_type_boolean) &&
			json_object_is_type(get(o, "cgroups"), json_type_int);
		pass &= has_exactly(get(o, "rx"), dir_keys, json_type_int, false);
		pass &= has_exactly(get(o, "tx"), dir_keys, json_type_int, false);
		for (j = 0; j < OFFLOADMOD_STAGE_COUNT; j++)
			pass &= has_exactly(get(o, stats_stage_names[j]),
					    stage_keys, json_type_int, false);
	}
	ok(pass, "show -j: exactly the documented keys, all numbers integers");

	o = root ? json_object_array_get_idx(root, 0) : NULL;
	st = get(o, "rx_wait");
	hist_summarize(&l->v[0].stage[OFFLOADMOD_STAGE_RX_WAIT], &s);
	ok(json_object_get_uint64(get(o, "cgroup_id")) == 1234 &&
	   !strcmp(json_object_get_string(get(o, "path")), "/docker/abc") &&
	   !json_object_get_boolean(get(o, "recursive")) &&
	   json_object_get_uint64(get(get(o, "rx"), "bytes")) == 1000000,
	   "show -j: cgroup values");
	ok(json_object_get_uint64(get(st, "count")) == 100 &&
	   json_object_get_uint64(get(st, "p50_ns")) == s.p50_ns &&
	   json_object_get_uint64(get(st, "p90_ns")) == s.p90_ns &&
	   json_object_get_uint64(get(st, "p99_ns")) == s.p99_ns &&
	   json_object_get_uint64(get(st, "p999_ns")) == s.p999_ns &&
	   json_object_get_uint64(get(st, "mean_ns")) == s.mean_ns &&
	   json_object_get_uint64(get(st, "stddev_ns")) == s.stddev_ns &&
	   json_object_get_uint64(get(st, "min_ns")) == 1024 &&
	   json_object_get_uint64(get(st, "untimed")) == 7,
	   "show -j: stage values are the summary's");
	/* 10 in 1024..1087, 50 in 1088..1151, 30 in 1216..1279, 10 in tail */
	ok(s.p50_ns == 1151 && s.p90_ns == 1279 && s.p99_ns == s.max_ns &&
	   s.max_ns == offloadmod_hist_upper(RXW_FIRST + 20) - 1,
	   "show: percentiles of a known histogram");
	st = get(o, "sched_wait");
	ok(json_object_get_uint64(get(st, "count")) == 0 &&
	   json_object_get_uint64(get(st, "p50_ns")) == 0 &&
	   json_object_get_uint64(get(st, "p999_ns")) == 0 &&
	   json_object_get_uint64(get(st, "max_ns")) == 0 &&
	   json_object_get_uint64(get(st, "untimed")) == 3,
	   "show -j: empty stage has zero percentiles");
	o = root ? json_object_array_get_idx(root, 1) : NULL;
	ok(json_object_get_boolean(get(o, "recursive")) &&
	   json_object_get_int(get(o, "cgroups")) == 3 &&
	   json_object_get_uint64(get(get(o, "tx_qdisc"), "p50_ns")) == 5 &&
	   json_object_get_uint64(get(get(o, "tx_qdisc"), "max_ns")) == 6,
	   "show -j: recursive reply, exact small buckets");
	json_object_put(root);
	free(out);

	out = render(show_fn, &(struct stats_list){ 0 }, true);
	ok_str(out, "[]\n", "show -j with no cgroups: an empty array");
	free(out);
}

static void test_show_text(const struct stats_list *l)
{
	char *out = render(show_fn, l, false);

	ok_str(out,
	       "cgroup 1234 /docker/abc\n"
	       "  rx packets 1000  bytes 1000000  offload_packets 100  offload_segments 500\n"
	       "  tx packets 500  bytes 500000  offload_packets 50  offload_segments 250\n"
	       "  stage           count      p50      p90      p99    p99.9      max     mean   stddev  untimed\n"
	       "  rx_stack            0        -        -        -        -        -        -        -        0\n"
	       "  rx_wait           100   1.15us   1.28us   2.69us   2.69us   2.69us   1.30us    445ns        7\n"
	       "  tx_stack            0        -        -        -        -        -        -        -        0\n"
	       "  tx_qdisc            0        -        -        -        -        -        -        -        0\n"
	       "  sched_wait          0        -        -        -        -        -        -        -        3\n"
	       "\n"
	       "cgroup 1 /  recursive  cgroups 3\n"
	       "  rx packets 0  bytes 0  offload_packets 0  offload_segments 0\n"
	       "  tx packets 0  bytes 0  offload_packets 0  offload_segments 0\n"
	       "  stage           count      p50      p90      p99    p99.9      max     mean   stddev  untimed\n"
	       "  rx_stack            0        -        -        -        -        -        -        -        0\n"
	       "  rx_wait             0        -        -        -        -        -        -        -        0\n"
	       "  tx_stack            0        -        -        -        -        -        -        -        0\n"
	       "  tx_qdisc           10      5ns      6ns      6ns      6ns      6ns      6ns      1ns        0\n"
	       "  sched_wait          0        -        -        -        -        -        -        -        0\n",
	       "show text: a block per cgroup, human units, - for empty stages");
	free(out);
}

/* o has the keys of the list, "available" and "reason", and no others. */
static bool has_keys_and_avail(json_object *o, const char *const *keys)
{
	size_t n;

	for (n = 0; keys[n]; n++)
		if (!json_object_object_get_ex(o, keys[n], NULL))
			return false;
	return json_object_object_get_ex(o, "available", NULL) &&
	       json_object_object_get_ex(o, "reason", NULL) &&
	       (size_t)json_object_object_length(o) == n + 2;
}

/* The same printer, told what was measured (as "trace" does). */
static void test_show_avail(const struct stats_list *l)
{
	char *out = render(show_avail_fn, l, false);
	json_object *root, *o, *v;
	bool pass;
	size_t i;

	ok_str(out,
	       "cgroup 1234 /docker/abc\n"
	       "  rx unavailable: no rx hook\n"
	       "  tx packets 500  bytes 500000  offload_packets 50  offload_segments 250\n"
	       "  stage           count      p50      p90      p99    p99.9      max     mean   stddev  untimed\n"
	       "  rx_stack            0        -        -        -        -        -        -        -        0\n"
	       "  rx_wait           100   1.15us   1.28us   2.69us   2.69us   2.69us   1.30us    445ns        7\n"
	       "    partial: half of it\n"
	       "  tx_stack   unavailable: gone\n"
	       "  tx_qdisc            0        -        -        -        -        -        -        -        0\n"
	       "  sched_wait\n"
	       "\n"
	       "cgroup 1 /  recursive  cgroups 3\n"
	       "  rx unavailable: no rx hook\n"
	       "  tx packets 0  bytes 0  offload_packets 0  offload_segments 0\n"
	       "  stage           count      p50      p90      p99    p99.9      max     mean   stddev  untimed\n"
	       "  rx_stack            0        -        -        -        -        -        -        -        0\n"
	       "  rx_wait             0        -        -        -        -        -        -        -        0\n"
	       "    partial: half of it\n"
	       "  tx_stack   unavailable: gone\n"
	       "  tx_qdisc           10      5ns      6ns      6ns      6ns      6ns      6ns      1ns        0\n"
	       "  sched_wait\n",
	       "show text with availability: unavailable rows say why, partial ones get a line, the rest unchanged");
	free(out);

	out = render(show_avail_fn, l, true);
	root = json_tokener_parse(out);
	o = root ? json_object_array_get_idx(root, 0) : NULL;
	ok(has_exactly(o, cg_keys, json_type_null, true),
	   "show -j with availability: the same cgroup keys");
	pass = has_keys_and_avail(get(o, "rx"), dir_keys) &&
	       has_keys_and_avail(get(o, "tx"), dir_keys);
	for (i = 0; i < OFFLOADMOD_STAGE_COUNT; i++)
		pass &= has_keys_and_avail(get(o, stats_stage_names[i]),
					   stage_keys);
	ok(pass, "show -j with availability: every stage and direction has its keys plus available and reason");
	v = get(o, "rx");
	ok(!json_object_get_boolean(get(v, "available")) &&
	   !strcmp(json_object_get_string(get(v, "reason")), "no rx hook") &&
	   json_object_object_get_ex(v, "packets", NULL) && !get(v, "packets") &&
	   !get(v, "offload_segments"),
	   "show -j: unavailable: available false, the reason, values null");
	v = get(o, "tx");
	ok(json_object_get_boolean(get(v, "available")) &&
	   json_object_object_get_ex(v, "reason", NULL) && !get(v, "reason") &&
	   json_object_get_uint64(get(v, "packets")) == 500,
	   "show -j: available: reason null whatever the caller left in it");
	v = get(o, "rx_wait");
	ok(json_object_get_boolean(get(v, "available")) &&
	   !strcmp(json_object_get_string(get(v, "reason")), "half of it") &&
	   json_object_get_uint64(get(v, "count")) == 100,
	   "show -j: partial: available, values and what it misses");
	v = get(o, "rx_stack");
	ok(json_object_get_boolean(get(v, "available")) && !get(v, "reason") &&
	   json_object_object_get_ex(v, "reason", NULL),
	   "show -j: partial without a reason: reason null");
	v = get(o, "sched_wait");
	ok(!json_object_get_boolean(get(v, "available")) && !get(v, "reason") &&
	   json_object_object_get_ex(v, "reason", NULL) && !get(v, "count"),
	   "show -j: unavailable without a reason: reason null");
	json_object_put(root);
	free(out);
}

static void test_hist(const struct stats_list *l)
{
	static const char *const hist_keys[] = {
		"cgroup_id", "path", "stage", "count", "buckets", NULL,
	};
	static const char *const bucket_keys[] = {
		"lower_ns", "upper_ns", "count", NULL,
	};
	unsigned int stage = OFFLOADMOD_STAGE_RX_WAIT;
	json_object *root, *b, *e;
	uint64_t sum = 0;
	bool pass = true;
	char *out;
	size_t i;

	hist_cg = &l->v[0];
	out = render(hist_fn, &stage, true);
	root = json_tokener_parse(out);
	ok(has_exactly(root, hist_keys, json_type_null, true) &&
	   !strcmp(json_object_get_string(get(root, "stage")), "rx_wait") &&
	   json_object_get_uint64(get(root, "count")) == 100,
	   "hist -j: exactly the documented keys");
	b = get(root, "buckets");
	ok(b && json_object_array_length(b) == 4, "hist -j: only non-empty buckets");
	for (i = 0; b && i < json_object_array_length(b); i++) {
		e = json_object_array_get_idx(b, i);
		pass &= has_exactly(e, bucket_keys, json_type_int, false);
		pass &= json_object_get_uint64(get(e, "lower_ns")) <
			json_object_get_uint64(get(e, "upper_ns"));
		sum += json_object_get_uint64(get(e, "count"));
	}
	e = b ? json_object_array_get_idx(b, 0) : NULL;
	ok(pass && sum == 100 &&
	   json_object_get_uint64(get(e, "lower_ns")) == 1024 &&
	   json_object_get_uint64(get(e, "upper_ns")) == 1088,
	   "hist -j: bucket edges and counts");
	json_object_put(root);
	free(out);

	out = render(hist_fn, &stage, false);
	ok_str(out,
	       "cgroup 1234 /docker/abc  stage rx_wait  count 100\n"
	       "[1.02us, 1.09us)             10 |########                                |\n"
	       "[1.09us, 1.15us)             50 |########################################|\n"
	       "[1.22us, 1.28us)             30 |########################                |\n"
	       "[2.56us, 2.69us)             10 |########                                |\n",
	       "hist text: ranges, counts, bars scaled to the largest bucket");
	free(out);
}

static void test_top(const struct stats_list *l)
{
	static const char *const row_keys[] = {
		"cgroup_id", "path", "p99_ns", "rx_pps", "tx_pps", NULL,
	};
	struct stats_top_row rows[2] = {
		{ .cg = &l->v[1], .worst_p99_ns = 6 },
		{ .cg = &l->v[0], .worst_p99_ns = 2047, .has_rate = true,
		  .rx_pps = 10, .tx_pps = 5 },
	};
	struct top_arg t = { rows, 2 };
	json_object *root, *o;
	char *out;

	stats_top_sort(rows, 2);
	ok(rows[0].cg->cgroup_id == 1234, "top: worst p99 first");
	out = render(top_fn, &t, true);
	root = json_tokener_parse(out);
	o = root ? json_object_array_get_idx(root, 0) : NULL;
	ok(root && strchr(out, '\n') == out + strlen(out) - 1,
	   "top -j: one line per refresh");
	ok(has_exactly(o, row_keys, json_type_null, true) &&
	   has_exactly(get(o, "p99_ns"), (const char *const *)stats_stage_names,
		       json_type_int, false) &&
	   json_object_get_uint64(get(o, "rx_pps")) == 10,
	   "top -j: keys");
	o = root ? json_object_array_get_idx(root, 1) : NULL;
	ok(o && json_object_object_get_ex(o, "rx_pps", NULL) && !get(o, "rx_pps"),
	   "top -j: no rate on the first refresh is null");
	json_object_put(root);
	free(out);
}

int main(void)
{
	struct stats_list l = { 0 };

	test_decode(&l);
	test_bad();
	if (l.n == 2) {
		test_show_json(&l);
		test_show_text(&l);
		test_show_avail(&l);
		test_hist(&l);
		test_top(&l);
	}
	stats_list_free(&l);
	return tap_done();
}
