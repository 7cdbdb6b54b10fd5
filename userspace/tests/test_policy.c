// SPDX-License-Identifier: GPL-2.0
/*
 * policy, dev and monitor without a kernel: the command lines of set /
 * show / del (valid ones and every kind of invalid one, with the message
 * naming the argument), the requests built from them, decoding of
 * synthetic replies and notifications (built as the module builds them,
 * per uapi/linux/offloadmod.h), and the text and JSON they print, with
 * exactly the documented field names.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <json.h>
#include <linux/offloadmod.h>
#include <netlink/genl/genl.h>

#include "ctl.h"
#include "output.h"
#include "policy.h"
#include "tap.h"

#define FAKE_FAMILY 0x20
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* --- helpers ------------------------------------------------------------ */

static char err_buf[4096];

/* Run fn(arg) with stderr captured into err_buf; fn's return value. */
static int capture(int (*fn)(void *), void *arg)
{
	FILE *ef = tmpfile();
	size_t n;
	int saved, ret;

	fflush(stderr);
	saved = dup(2);
	dup2(fileno(ef), 2);
	ret = fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(ef);
	n = fread(err_buf, 1, sizeof(err_buf) - 1, ef);
	err_buf[n] = '\0';
	fclose(ef);
	return ret;
}

/* The first line of err_buf without "offloadmod-ctl: ". */
static const char *first_err(void)
{
	static char line[1024];
	const char *p = err_buf;
	size_t n;

	if (!strncmp(p, CTL_PROG ": ", strlen(CTL_PROG) + 2))
		p += strlen(CTL_PROG) + 2;
	n = strcspn(p, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, p, n);
	line[n] = '\0';
	return line;
}

struct parse_call {
	bool dev;
	const char *cmd;
	int argc;
	char **argv;
	struct policy_args pa;
	struct dev_args da;
};

static int parse_fn(void *arg)
{
	struct parse_call *c = arg;

	if (c->dev)
		return dev_parse_args(c->cmd, c->argc, c->argv, &c->da);
	return policy_parse_args(c->cmd, c->argc, c->argv, &c->pa);
}

static struct parse_call call;

static int do_parse(bool dev, const char *cmd, int argc, char **argv)
{
	call = (struct parse_call){ .dev = dev, .cmd = cmd, .argc = argc,
				    .argv = argv };
	return capture(parse_fn, &call);
}

#define PARSE(dev, cmd, ...) ({						\
	char *args_[] = { __VA_ARGS__ };				\
	do_parse(dev, cmd, (int)N_OF(args_), args_);			\
})

/* Usage error (1) whose first line is want. */
#define BAD(dev, cmd, want, ...) do {					\
	int r_ = PARSE(dev, cmd, __VA_ARGS__);				\
	bool p_ = r_ == CTL_EXIT_USAGE && !strcmp(first_err(), want) &&	\
		  strstr(err_buf, "\nUsage: offloadmod-ctl ");		\
	ok(p_, "%s %s: %s", dev ? "dev" : "policy", cmd, want);	\
	if (!p_)							\
		diag("status %d, stderr: %s", r_, err_buf);		\
} while (0)

static struct nl_msg *msg_new(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, cmd, OFFLOADMOD_FAMILY_VERSION);
	return m;
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

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* o has exactly the keys of the NULL-terminated list. */
static bool has_exactly(json_object *o, const char *const *keys)
{
	size_t n = 0;

	if (!o || !json_object_is_type(o, json_type_object))
		return false;
	for (; keys[n]; n++) {
		if (!json_object_object_get_ex(o, keys[n], NULL)) {
			diag("missing key %s", keys[n]);
			return false;
		}
	}
	if ((size_t)json_object_object_length(o) != n) {
		diag("%d keys, want %zu: %s", json_object_object_length(o), n,
		     json_object_to_json_string(o));
		return false;
	}
	return true;
}

static bool is_type(json_object *o, const char *key, enum json_type t)
{
	return json_object_is_type(get(o, key), t);
}

/* --- command lines ------------------------------------------------------ */

static void test_policy_args(void)
{
	const struct policy_info *s = &call.pa.set;

	ok(PARSE(false, "set", "docker/abc", "gso", "off") == 0 &&
	   !strcmp(call.pa.spec, "docker/abc") &&
	   s->present == 1u << OFFLOADMOD_A_POLICY_GSO &&
	   s->val[OFFLOADMOD_A_POLICY_GSO] == 0 && !err_buf[0],
	   "policy set TARGET gso off");
	ok(PARSE(false, "set", "/", "gso", "on", "gso-max-size", "0",
		 "gso-max-segs", "65535", "busy-poll", "1000000", "mode",
		 "audit") == 0 &&
	   s->present == (1u << OFFLOADMOD_A_POLICY_GSO |
			  1u << OFFLOADMOD_A_POLICY_GSO_MAX_SIZE |
			  1u << OFFLOADMOD_A_POLICY_GSO_MAX_SEGS |
			  1u << OFFLOADMOD_A_POLICY_BUSY_POLL |
			  1u << OFFLOADMOD_A_POLICY_MODE) &&
	   s->val[OFFLOADMOD_A_POLICY_GSO] == 1 &&
	   s->val[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE] == 0 &&
	   s->val[OFFLOADMOD_A_POLICY_GSO_MAX_SEGS] == 65535 &&
	   s->val[OFFLOADMOD_A_POLICY_BUSY_POLL] == 1000000 &&
	   s->val[OFFLOADMOD_A_POLICY_MODE] == OFFLOADMOD_POLICY_MODE_AUDIT,
	   "policy set: every setting, at its bounds; 0 removes");
	ok(PARSE(false, "set", "gso-max-size", "2048", "1234", "bus", "1",
		 "m", "enf") == 0 && !strcmp(call.pa.spec, "1234") &&
	   s->val[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE] == 2048 &&
	   s->val[OFFLOADMOD_A_POLICY_BUSY_POLL] == 1 &&
	   PRESENT(s, OFFLOADMOD_A_POLICY_MODE) &&
	   s->val[OFFLOADMOD_A_POLICY_MODE] == OFFLOADMOD_POLICY_MODE_ENFORCE,
	   "policy set: TARGET after settings, abbreviated keywords and values");
	ok(PARSE(false, "set", "path:gso", "gso", "of") == 0 &&
	   !strcmp(call.pa.spec, "path:gso"), "policy set: path:NAME for a cgroup named like a keyword");
	ok(PARSE(false, "show") == 0 && !call.pa.spec && !s->present,
	   "policy show: no TARGET");
	ok(PARSE(false, "show", "docker") == 0 &&
	   !strcmp(call.pa.spec, "docker"), "policy show TARGET");
	ok(PARSE(false, "del", "123") == 0 && !strcmp(call.pa.spec, "123"),
	   "policy del TARGET");

	BAD(false, "set", "no TARGET given");
	BAD(false, "set", "no TARGET given (a cgroup named like a keyword can be given as path:NAME)",
	    "gso", "off");
	BAD(false, "set", "no setting given (gso, gso-max-size, gso-max-segs, busy-poll, mode)",
	    "/");
	BAD(false, "set", "invalid gso \"yes\": on or off", "/", "gso", "yes");
	BAD(false, "set", "invalid gso \"o\": on or off", "/", "gso", "o");
	BAD(false, "set", "invalid gso-max-size \"2047\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "2047");
	BAD(false, "set", "invalid gso-max-size \"1\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "1");
	BAD(false, "set", "invalid gso-max-size \"524289\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "524289");
	BAD(false, "set", "invalid gso-max-size \"-1\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "-1");
	BAD(false, "set", "invalid gso-max-size \"+4096\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "+4096");
	BAD(false, "set", "invalid gso-max-size \" 4096\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", " 4096");
	BAD(false, "set", "invalid gso-max-size \"0x1000\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "0x1000");
	BAD(false, "set", "invalid gso-max-size \"4k\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "4k");
	BAD(false, "set", "invalid gso-max-size \"\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "");
	BAD(false, "set", "invalid gso-max-size \"18446744073709551617\": bytes, 0 (remove) or 2048 to 524288",
	    "/", "gso-max-size", "18446744073709551617");
	BAD(false, "set", "invalid gso-max-segs \"65536\": segments, 0 (remove) or 1 to 65535",
	    "/", "gso-max-segs", "65536");
	BAD(false, "set", "invalid busy-poll \"1000001\": microseconds, 0 (remove) or 1 to 1000000",
	    "/", "busy-poll", "1000001");
	BAD(false, "set", "invalid mode \"strict\": enforce or audit",
	    "/", "mode", "strict");
	BAD(false, "set", "\"gso\" given twice", "/", "gso", "on", "gso", "off");
	BAD(false, "set", "\"mode\" given twice", "/", "mode", "audit", "mo",
	    "audit");
	BAD(false, "set", "gso-max-segs needs a value", "/", "gso-max-segs");
	BAD(false, "set", "unexpected argument \"tso\"", "/", "tso", "off");
	BAD(false, "set", "ambiguous argument \"gso-max-s\"", "/",
	    "gso-max-s", "4096");
	BAD(false, "show", "unexpected argument \"b\"", "a", "b");
	BAD(false, "show", "unexpected argument \"gso\"", "/", "gso", "off");
	BAD(false, "del", "no TARGET given");
	BAD(false, "del", "unexpected argument \"mode\"", "/", "mode", "audit");
}

static void test_dev_args(void)
{
	const struct dev_info *s = &call.da.set;
	char long_pat[OFFLOADMOD_DEV_PATTERN_MAX + 1], max_pat[OFFLOADMOD_DEV_PATTERN_MAX];
	char msg[256];

	ok(PARSE(true, "set", "veth*", "gro", "off") == 0 &&
	   !strcmp(call.da.pattern, "veth*") && !call.da.netns &&
	   s->present == 1u << OFFLOADMOD_A_DEV_GRO &&
	   s->val[OFFLOADMOD_A_DEV_GRO] == 0, "dev set PATTERN gro off");
	ok(PARSE(true, "set", "netns", "ns1", "eth[0-3]", "tso", "off", "gso",
		 "on", "gro", "on", "lro", "off", "rx-gro-hw", "off",
		 "tx-checksumming", "on", "gso-max-size", "524288",
		 "gro-max-size", "1", "gro-flush-timeout", "4294967295",
		 "napi-defer-hard-irqs", "2147483647") == 0 &&
	   !strcmp(call.da.pattern, "eth[0-3]") &&
	   !strcmp(call.da.netns, "ns1") &&
	   s->present == (1u << OFFLOADMOD_A_DEV_TSO |
			  1u << OFFLOADMOD_A_DEV_GSO |
			  1u << OFFLOADMOD_A_DEV_GRO |
			  1u << OFFLOADMOD_A_DEV_LRO |
			  1u << OFFLOADMOD_A_DEV_RX_GRO_HW |
			  1u << OFFLOADMOD_A_DEV_TX_CSUM |
			  1u << OFFLOADMOD_A_DEV_GSO_MAX_SIZE |
			  1u << OFFLOADMOD_A_DEV_GRO_MAX_SIZE |
			  1u << OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT |
			  1u << OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS) &&
	   s->val[OFFLOADMOD_A_DEV_TSO] == 0 && s->val[OFFLOADMOD_A_DEV_GSO] == 1 &&
	   s->val[OFFLOADMOD_A_DEV_TX_CSUM] == 1 &&
	   s->val[OFFLOADMOD_A_DEV_GSO_MAX_SIZE] == 524288 &&
	   s->val[OFFLOADMOD_A_DEV_GRO_MAX_SIZE] == 1 &&
	   s->val[OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT] == 4294967295u &&
	   s->val[OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS] == 2147483647,
	   "dev set: netns first, every setting at its bounds");
	ok(PARSE(true, "set", "veth*", "tx", "off", "rx", "on", "napi", "0",
		 "gro-f", "0") == 0 &&
	   s->val[OFFLOADMOD_A_DEV_TX_CSUM] == 0 &&
	   s->val[OFFLOADMOD_A_DEV_RX_GRO_HW] == 1 &&
	   PRESENT(s, OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS) &&
	   PRESENT(s, OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT),
	   "dev set: abbreviations (tx, rx, napi, gro-f), 0 where 0 is a value");
	memset(max_pat, 'a', sizeof(max_pat) - 1);
	max_pat[sizeof(max_pat) - 1] = '\0';
	ok(PARSE(true, "del", max_pat) == 0, "dev del: a pattern of %d bytes",
	   OFFLOADMOD_DEV_PATTERN_MAX - 1);
	ok(PARSE(true, "show") == 0 && !call.da.pattern && !call.da.netns,
	   "dev show: nothing");
	ok(PARSE(true, "show", "netns", "/proc/1/ns/net") == 0 &&
	   !call.da.pattern && !strcmp(call.da.netns, "/proc/1/ns/net"),
	   "dev show netns NS: no pattern");
	ok(PARSE(true, "show", "veth*", "netns", "x") == 0 &&
	   !strcmp(call.da.pattern, "veth*"), "dev show PATTERN netns NS");

	BAD(true, "set", "no PATTERN given");
	BAD(true, "set", "no PATTERN given", "gro", "off");
	BAD(true, "set", "no setting given (tso, gso, gro, lro, rx-gro-hw, tx-checksumming, gso-max-size, gro-max-size, gro-flush-timeout, napi-defer-hard-irqs)",
	    "veth*");
	BAD(true, "set", "no setting given (tso, gso, gro, lro, rx-gro-hw, tx-checksumming, gso-max-size, gro-max-size, gro-flush-timeout, napi-defer-hard-irqs)",
	    "veth*", "netns", "x");
	memset(long_pat, 'a', sizeof(long_pat) - 1);
	long_pat[sizeof(long_pat) - 1] = '\0';
	snprintf(msg, sizeof(msg), "PATTERN \"%s\" is longer than %d bytes",
		 long_pat, OFFLOADMOD_DEV_PATTERN_MAX - 1);
	BAD(true, "set", msg, long_pat, "gro", "off");
	BAD(true, "del", "empty PATTERN", "");
	BAD(true, "set", "invalid PATTERN \"a/b\": interface names have no '/', ':' or white space",
	    "a/b", "gro", "off");
	BAD(true, "set", "invalid PATTERN \"eth0:1\": interface names have no '/', ':' or white space",
	    "eth0:1", "gro", "off");
	BAD(true, "show", "invalid PATTERN \"a b\": interface names have no '/', ':' or white space",
	    "a b");
	BAD(true, "set", "invalid tso \"1\": on or off", "veth*", "tso", "1");
	BAD(true, "set", "invalid gso-max-size \"0\": bytes, 1 to 524288",
	    "veth*", "gso-max-size", "0");
	BAD(true, "set", "invalid gro-max-size \"524289\": bytes, 1 to 524288",
	    "veth*", "gro-max-size", "524289");
	BAD(true, "set", "invalid gro-flush-timeout \"4294967296\": nanoseconds, 0 to 4294967295",
	    "veth*", "gro-flush-timeout", "4294967296");
	BAD(true, "set", "invalid napi-defer-hard-irqs \"2147483648\": a count, 0 to 2147483647",
	    "veth*", "napi-defer-hard-irqs", "2147483648");
	BAD(true, "set", "\"netns\" given twice", "veth*", "netns", "a", "netns",
	    "b", "gro", "off");
	BAD(true, "set", "\"gro\" given twice", "veth*", "gro", "off", "gro",
	    "on");
	BAD(true, "show", "netns needs a value", "veth*", "netns");
	BAD(true, "del", "empty netns", "veth*", "netns", "");
	BAD(true, "set", "ambiguous argument \"g\"", "veth*", "g", "off");
	BAD(true, "set", "unexpected argument \"mode\"", "veth*", "mode",
	    "audit");
	BAD(true, "show", "unexpected argument \"gro\"", "veth*", "gro", "off");
	BAD(true, "del", "no PATTERN given", "netns", "x");
	BAD(true, "del", "unexpected argument \"eth1\"", "eth0", "eth1");
}

/* --- requests ----------------------------------------------------------- */

/* Attribute attr of m has len bytes and value v (u8/u32 by len). */
static bool attr_is(struct nlattr **tb, int attr, int len, uint64_t v)
{
	if (!tb[attr] || nla_len(tb[attr]) != len)
		return false;
	return (len == 1 ? nla_get_u8(tb[attr]) : nla_get_u32(tb[attr])) == v;
}

static void test_requests(void)
{
	struct nlattr *tb[32];
	struct nl_msg *m;
	int i, n;

	PARSE(false, "set", "/", "gso", "off", "gso-max-size", "0",
	      "gso-max-segs", "7", "busy-poll", "50", "mode", "audit");
	m = msg_new(OFFLOADMOD_CMD_POLICY_SET);
	ok(policy_put_settings(m, &call.pa.set) == 0 &&
	   genlmsg_parse(nlmsg_hdr(m), 0, tb, OFFLOADMOD_A_POLICY_MAX, NULL) == 0 &&
	   attr_is(tb, OFFLOADMOD_A_POLICY_GSO, 1, 0) &&
	   attr_is(tb, OFFLOADMOD_A_POLICY_GSO_MAX_SIZE, 4, 0) &&
	   attr_is(tb, OFFLOADMOD_A_POLICY_GSO_MAX_SEGS, 4, 7) &&
	   attr_is(tb, OFFLOADMOD_A_POLICY_BUSY_POLL, 4, 50) &&
	   attr_is(tb, OFFLOADMOD_A_POLICY_MODE, 4, OFFLOADMOD_POLICY_MODE_AUDIT),
	   "policy request: gso u8, the rest u32, 0 sent to remove");
	nlmsg_free(m);

	PARSE(false, "set", "/", "busy-poll", "9");
	m = msg_new(OFFLOADMOD_CMD_POLICY_SET);
	policy_put_settings(m, &call.pa.set);
	genlmsg_parse(nlmsg_hdr(m), 0, tb, OFFLOADMOD_A_POLICY_MAX, NULL);
	for (i = 0, n = 0; i <= OFFLOADMOD_A_POLICY_MAX; i++)
		n += tb[i] != NULL;
	ok(n == 1 && attr_is(tb, OFFLOADMOD_A_POLICY_BUSY_POLL, 4, 9),
	   "policy request: only the settings given");
	nlmsg_free(m);

	PARSE(true, "set", "veth*", "tso", "off", "tx-checksumming", "on",
	      "gro-flush-timeout", "4294967295", "napi-defer-hard-irqs", "3");
	m = msg_new(OFFLOADMOD_CMD_DEV_SET);
	ok(dev_put_settings(m, &call.da.set) == 0 &&
	   genlmsg_parse(nlmsg_hdr(m), 0, tb, OFFLOADMOD_A_DEV_MAX, NULL) == 0 &&
	   attr_is(tb, OFFLOADMOD_A_DEV_TSO, 1, 0) &&
	   attr_is(tb, OFFLOADMOD_A_DEV_TX_CSUM, 1, 1) &&
	   attr_is(tb, OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT, 4, 4294967295u) &&
	   attr_is(tb, OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS, 4, 3) &&
	   !tb[OFFLOADMOD_A_DEV_GRO] && !tb[OFFLOADMOD_A_DEV_PATTERN],
	   "dev request: features u8, numbers u32, nothing else");
	nlmsg_free(m);
}

/* --- replies ------------------------------------------------------------ */

/* cgroup 1234 with every setting and counter, as a get reply or ntf. */
static struct nl_msg *policy_full(uint8_t cmd)
{
	struct nl_msg *m = msg_new(cmd);

	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 1234);
	nla_put_string(m, OFFLOADMOD_A_POLICY_PATH, "/docker/abc");
	nla_put_u32(m, OFFLOADMOD_A_POLICY_MODE, OFFLOADMOD_POLICY_MODE_AUDIT);
	nla_put_u8(m, OFFLOADMOD_A_POLICY_GSO, 0);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_GSO_MAX_SIZE, 16384);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_GSO_MAX_SEGS, 8);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_BUSY_POLL, 50);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_SOCKETS, 3);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED, 0);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST, 5);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_ERRORS, 1);
	nla_put_u32(m, 99, 7);		/* newer module: ignored */
	return m;
}

/* cgroup 1: gso on only; sizes of 0 (not set), no mode, no counters. */
static struct nl_msg *policy_min(void)
{
	struct nl_msg *m = msg_new(OFFLOADMOD_CMD_POLICY_GET);

	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 1);
	nla_put_string(m, OFFLOADMOD_A_POLICY_PATH, "/");
	nla_put_u8(m, OFFLOADMOD_A_POLICY_GSO, 1);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_GSO_MAX_SIZE, 0);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_BUSY_POLL, 0);
	return m;
}

static struct nl_msg *dev_full(uint8_t cmd)
{
	struct nl_msg *m = msg_new(cmd);

	nla_put_u32(m, OFFLOADMOD_A_DEV_NETNS_INUM, 4026531840u);
	nla_put_string(m, OFFLOADMOD_A_DEV_PATTERN, "veth*");
	nla_put_u8(m, OFFLOADMOD_A_DEV_TSO, 0);
	nla_put_u8(m, OFFLOADMOD_A_DEV_GSO, 1);
	nla_put_u8(m, OFFLOADMOD_A_DEV_GRO, 0);
	nla_put_u8(m, OFFLOADMOD_A_DEV_LRO, 0);
	nla_put_u8(m, OFFLOADMOD_A_DEV_RX_GRO_HW, 1);
	nla_put_u8(m, OFFLOADMOD_A_DEV_TX_CSUM, 1);
	nla_put_u32(m, OFFLOADMOD_A_DEV_GSO_MAX_SIZE, 16384);
	nla_put_u32(m, OFFLOADMOD_A_DEV_GRO_MAX_SIZE, 65536);
	nla_put_u32(m, OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT, 20000);
	nla_put_u32(m, OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS, 2);
	nla_put_string(m, OFFLOADMOD_A_DEV_IFACE, "veth0");
	nla_put_string(m, OFFLOADMOD_A_DEV_IFACE, "veth1a");
	nla_put_u64(m, OFFLOADMOD_A_DEV_IFACES_ADJUSTED, 2);
	nla_put_u64(m, OFFLOADMOD_A_DEV_ERRORS, 0);
	nla_put_u8(m, 30, 1);		/* newer module: ignored */
	return m;
}

/* eth0: gro off only, no interfaces, no counters. */
static struct nl_msg *dev_min(uint8_t cmd)
{
	struct nl_msg *m = msg_new(cmd);

	nla_put_u32(m, OFFLOADMOD_A_DEV_NETNS_INUM, 4026532000u);
	nla_put_string(m, OFFLOADMOD_A_DEV_PATTERN, "eth0");
	nla_put_u8(m, OFFLOADMOD_A_DEV_GRO, 0);
	return m;
}

static int parse_policy_fn(void *arg)
{
	struct policy_list l = { 0 };
	int err = policy_parse(arg, &l);

	if (!err && l.n != 1)
		err = -1000;
	policy_list_free(&l);
	return err;
}

static int parse_dev_fn(void *arg)
{
	struct dev_list l = { 0 };
	int err = dev_parse(arg, &l);

	if (!err && l.n != 1)
		err = -1000;
	dev_list_free(&l);
	return err;
}

/* m is refused as malformed with a message; frees m. */
static void refused(struct nl_msg *m, bool dev, const char *name)
{
	int err = capture(dev ? parse_dev_fn : parse_policy_fn, m);

	ok(err == -EINVAL && strstr(err_buf, "malformed"), "%s", name);
	if (err != -EINVAL)
		diag("error %d, stderr %s", err, err_buf);
	nlmsg_free(m);
}

static void test_decode(struct policy_list *pl, struct dev_list *dl)
{
	const struct policy_info *p;
	const struct dev_info *d;
	struct nl_msg *m;

	m = policy_full(OFFLOADMOD_CMD_POLICY_GET);
	ok(policy_parse(m, pl) == 0 && pl->n == 1, "policy: parse a reply");
	nlmsg_free(m);
	m = policy_min();
	ok(policy_parse(m, pl) == 0 && pl->n == 2, "policy: parse a second (dump) reply");
	nlmsg_free(m);
	if (pl->n == 2) {
		p = &pl->v[0];
		ok(p->cgroup_id == 1234 && !strcmp(p->path, "/docker/abc") &&
		   p->val[OFFLOADMOD_A_POLICY_MODE] == OFFLOADMOD_POLICY_MODE_AUDIT &&
		   PRESENT(p, OFFLOADMOD_A_POLICY_GSO) &&
		   p->val[OFFLOADMOD_A_POLICY_GSO] == 0 &&
		   p->val[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE] == 16384 &&
		   p->val[OFFLOADMOD_A_POLICY_GSO_MAX_SEGS] == 8 &&
		   p->val[OFFLOADMOD_A_POLICY_BUSY_POLL] == 50 &&
		   p->val[OFFLOADMOD_A_POLICY_SOCKETS] == 3 &&
		   PRESENT(p, OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED) &&
		   p->val[OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST] == 5 &&
		   p->val[OFFLOADMOD_A_POLICY_ERRORS] == 1,
		   "policy: every field");
		p = &pl->v[1];
		ok(p->cgroup_id == 1 && p->val[OFFLOADMOD_A_POLICY_GSO] == 1 &&
		   !PRESENT(p, OFFLOADMOD_A_POLICY_MODE) &&
		   !PRESENT(p, OFFLOADMOD_A_POLICY_GSO_MAX_SIZE) &&
		   !PRESENT(p, OFFLOADMOD_A_POLICY_BUSY_POLL) &&
		   !PRESENT(p, OFFLOADMOD_A_POLICY_SOCKETS),
		   "policy: sizes of 0 are not set, absent fields absent");
	}

	m = dev_full(OFFLOADMOD_CMD_DEV_GET);
	ok(dev_parse(m, dl) == 0 && dl->n == 1, "dev: parse a reply");
	nlmsg_free(m);
	m = dev_min(OFFLOADMOD_CMD_DEV_GET);
	ok(dev_parse(m, dl) == 0 && dl->n == 2, "dev: parse a second (dump) reply");
	nlmsg_free(m);
	if (dl->n == 2) {
		d = &dl->v[0];
		ok(d->netns_inum == 4026531840u && !strcmp(d->pattern, "veth*") &&
		   d->val[OFFLOADMOD_A_DEV_TSO] == 0 &&
		   d->val[OFFLOADMOD_A_DEV_GSO] == 1 &&
		   PRESENT(d, OFFLOADMOD_A_DEV_LRO) &&
		   d->val[OFFLOADMOD_A_DEV_RX_GRO_HW] == 1 &&
		   d->val[OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT] == 20000 &&
		   d->val[OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS] == 2 &&
		   d->val[OFFLOADMOD_A_DEV_IFACES_ADJUSTED] == 2 &&
		   d->n_ifaces == 2 && !strcmp(d->ifaces[0], "veth0") &&
		   !strcmp(d->ifaces[1], "veth1a"),
		   "dev: every field, both interfaces in order");
		d = &dl->v[1];
		ok(d->present == (1u << OFFLOADMOD_A_DEV_NETNS_INUM |
				  1u << OFFLOADMOD_A_DEV_PATTERN |
				  1u << OFFLOADMOD_A_DEV_GRO) &&
		   !d->n_ifaces && !d->ifaces,
		   "dev: absent fields absent, no interfaces");
	}

	m = msg_new(OFFLOADMOD_CMD_POLICY_GET);
	nla_put_string(m, OFFLOADMOD_A_POLICY_PATH, "/x");
	refused(m, false, "policy: no cgroup-id is malformed");
	m = msg_new(OFFLOADMOD_CMD_POLICY_GET);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 5);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_GSO, 0);
	refused(m, false, "policy: gso as u32 is malformed");
	m = msg_new(OFFLOADMOD_CMD_POLICY_GET);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 5);
	refused(m, false, "policy: cgroup-id as u32 is malformed");
	m = msg_new(OFFLOADMOD_CMD_POLICY_GET);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 5);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_SOCKETS, 5);
	refused(m, false, "policy: sockets as u64 is malformed");
	m = msg_new(OFFLOADMOD_CMD_POLICY_GET);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 5);
	nla_put(m, OFFLOADMOD_A_POLICY_PATH, 3, "abc");
	refused(m, false, "policy: path without its NUL is malformed");
	m = dev_min(OFFLOADMOD_CMD_DEV_GET);
	nla_put_string(m, OFFLOADMOD_A_DEV_IFACE, "a-name-of-16-byt");
	refused(m, true, "dev: an interface name longer than IFNAMSIZ is malformed");
	m = msg_new(OFFLOADMOD_CMD_DEV_GET);
	nla_put_u32(m, OFFLOADMOD_A_DEV_NETNS_INUM, 1);
	nla_put_u8(m, OFFLOADMOD_A_DEV_GRO, 0);
	refused(m, true, "dev: no pattern is malformed");
	m = dev_min(OFFLOADMOD_CMD_DEV_GET);
	nla_put_u32(m, OFFLOADMOD_A_DEV_TSO, 0);
	refused(m, true, "dev: tso as u32 is malformed");
	m = dev_min(OFFLOADMOD_CMD_DEV_GET);
	nla_put_u64(m, OFFLOADMOD_A_DEV_NETNS_INUM, 1);
	refused(m, true, "dev: netns-inum as u64 is malformed");
}

/* --- printing ----------------------------------------------------------- */

static void policy_fn(const void *arg)
{
	policy_print_list(arg);
}

static void dev_fn(const void *arg)
{
	dev_print_list(arg);
}

static const char *const policy_keys_full[] = {
	"cgroup_id", "path", "mode", "gso", "gso_max_size", "gso_max_segs",
	"busy_poll_us", "sockets", "sockets_adjusted", "audit_would_adjust",
	"errors", NULL,
};

static const char *const policy_keys_min[] = {
	"cgroup_id", "path", "mode", "gso", "sockets", "sockets_adjusted",
	"audit_would_adjust", "errors", NULL,
};

static const char *const dev_keys_full[] = {
	"netns_inum", "pattern", "tso", "gso", "gro", "lro", "rx_gro_hw",
	"tx_checksumming", "gso_max_size", "gro_max_size",
	"gro_flush_timeout_ns", "napi_defer_hard_irqs", "ifaces",
	"ifaces_adjusted", "errors", NULL,
};

static const char *const dev_keys_min[] = {
	"netns_inum", "pattern", "gro", "ifaces", "ifaces_adjusted", "errors",
	NULL,
};

static void test_print_policy(const struct policy_list *pl)
{
	json_object *root, *o;
	char *out;

	out = render(policy_fn, pl, true);
	root = json_tokener_parse(out);
	ok(root && json_object_is_type(root, json_type_array) &&
	   json_object_array_length(root) == 2 &&
	   strchr(out, '\n') == out + strlen(out) - 1,
	   "policy show -j: an array of two on one line");
	o = root ? json_object_array_get_idx(root, 0) : NULL;
	ok(has_exactly(o, policy_keys_full), "policy show -j: every documented key of a full policy");
	ok(is_type(o, "cgroup_id", json_type_int) &&
	   is_type(o, "path", json_type_string) &&
	   is_type(o, "mode", json_type_string) &&
	   is_type(o, "gso", json_type_boolean) &&
	   is_type(o, "gso_max_size", json_type_int) &&
	   is_type(o, "busy_poll_us", json_type_int) &&
	   is_type(o, "sockets_adjusted", json_type_int) &&
	   is_type(o, "errors", json_type_int),
	   "policy show -j: field types");
	ok(json_object_get_uint64(get(o, "cgroup_id")) == 1234 &&
	   !strcmp(json_object_get_string(get(o, "path")), "/docker/abc") &&
	   !strcmp(json_object_get_string(get(o, "mode")), "audit") &&
	   !json_object_get_boolean(get(o, "gso")) &&
	   json_object_get_int(get(o, "gso_max_size")) == 16384 &&
	   json_object_get_int(get(o, "gso_max_segs")) == 8 &&
	   json_object_get_int(get(o, "busy_poll_us")) == 50 &&
	   json_object_get_int(get(o, "sockets")) == 3 &&
	   json_object_get_int(get(o, "sockets_adjusted")) == 0 &&
	   json_object_get_int(get(o, "audit_would_adjust")) == 5 &&
	   json_object_get_int(get(o, "errors")) == 1,
	   "policy show -j: values");
	o = root ? json_object_array_get_idx(root, 1) : NULL;
	ok(has_exactly(o, policy_keys_min) &&
	   !strcmp(json_object_get_string(get(o, "mode")), "enforce") &&
	   json_object_get_boolean(get(o, "gso")) &&
	   json_object_get_int(get(o, "sockets")) == 0,
	   "policy show -j: unset settings left out, mode enforce, counters 0");
	json_object_put(root);
	free(out);

	out = render(policy_fn, pl, false);
	ok_str(out,
	       "cgroup_id    mode     gso  gso_max_size gso_max_segs busy_poll_us  sockets   adjusted would_adjust   errors  path\n"
	       "1234         audit    off         16384            8           50        3          0            5        1  /docker/abc\n"
	       "1            enforce  on              -            -            -        0          0            0        0  /\n",
	       "policy show text: a table, - for what is not set");
	free(out);

	out = render(policy_fn, &(struct policy_list){ 0 }, true);
	ok_str(out, "[]\n", "policy show -j with no policies: an empty array");
	free(out);
	out = render(policy_fn, &(struct policy_list){ 0 }, false);
	ok_str(out, "", "policy show text with no policies: nothing");
	free(out);
}

static void test_print_dev(const struct dev_list *dl)
{
	json_object *root, *o, *a;
	char *out;

	out = render(dev_fn, dl, true);
	root = json_tokener_parse(out);
	ok(root && json_object_array_length(root) == 2,
	   "dev show -j: an array of two");
	o = root ? json_object_array_get_idx(root, 0) : NULL;
	ok(has_exactly(o, dev_keys_full), "dev show -j: every documented key of a full policy");
	a = get(o, "ifaces");
	ok(is_type(o, "netns_inum", json_type_int) &&
	   is_type(o, "pattern", json_type_string) &&
	   is_type(o, "tso", json_type_boolean) &&
	   is_type(o, "tx_checksumming", json_type_boolean) &&
	   is_type(o, "gro_flush_timeout_ns", json_type_int) &&
	   json_object_is_type(a, json_type_array) &&
	   json_object_array_length(a) == 2 &&
	   !strcmp(json_object_get_string(json_object_array_get_idx(a, 1)), "veth1a"),
	   "dev show -j: field types, ifaces an array of names");
	ok(json_object_get_int64(get(o, "netns_inum")) == 4026531840 &&
	   !json_object_get_boolean(get(o, "tso")) &&
	   json_object_get_boolean(get(o, "gso")) &&
	   json_object_get_boolean(get(o, "rx_gro_hw")) &&
	   json_object_get_int(get(o, "gso_max_size")) == 16384 &&
	   json_object_get_int(get(o, "gro_max_size")) == 65536 &&
	   json_object_get_int(get(o, "gro_flush_timeout_ns")) == 20000 &&
	   json_object_get_int(get(o, "napi_defer_hard_irqs")) == 2 &&
	   json_object_get_int(get(o, "ifaces_adjusted")) == 2,
	   "dev show -j: values");
	o = root ? json_object_array_get_idx(root, 1) : NULL;
	ok(has_exactly(o, dev_keys_min) &&
	   json_object_array_length(get(o, "ifaces")) == 0,
	   "dev show -j: features it leaves alone are left out, ifaces []");
	json_object_put(root);
	free(out);

	out = render(dev_fn, dl, false);
	ok_str(out,
	       "netns_inum   pattern          adjusted   errors  settings\n"
	       "4026531840   veth*                   2        0  tso off gso on gro off lro off rx-gro-hw on tx-checksumming on gso-max-size 16384 gro-max-size 65536 gro-flush-timeout 20000 napi-defer-hard-irqs 2\n"
	       "             ifaces veth0,veth1a\n"
	       "4026532000   eth0                    0        0  gro off\n",
	       "dev show text: settings as on the command line, interfaces below");
	free(out);
}

/* --- monitor events ----------------------------------------------------- */

static struct nl_msg *ntf_msg;

static void event_fn(const void *arg)
{
	int *ret = (int *)arg;

	*ret = monitor_print_msg(ntf_msg);
}

/* Print notification m (freed) as text or JSON; the output, *ret the result. */
static char *event(struct nl_msg *m, bool json, int *ret)
{
	char *out;
	int saved = quiet_stderr();

	ntf_msg = m;
	out = render(event_fn, ret, json);
	restore_stderr(saved);
	nlmsg_free(m);
	return out;
}

static void test_monitor(void)
{
	static const char *const policy_event_keys[] = {
		"event", "cgroup_id", "path", "mode", "gso", "gso_max_size",
		"gso_max_segs", "busy_poll_us", "sockets", "sockets_adjusted",
		"audit_would_adjust", "errors", NULL,
	};
	static const char *const del_keys[] = {
		"event", "cgroup_id", "path", NULL,
	};
	static const char *const dev_del_keys[] = {
		"event", "netns_inum", "pattern", "ifaces", NULL,
	};
	struct nl_msg *m;
	json_object *o;
	char *out;
	int ret;

	out = event(policy_full(OFFLOADMOD_CMD_POLICY_NTF), true, &ret);
	o = json_tokener_parse(out);
	ok(ret == 1 && has_exactly(o, policy_event_keys) &&
	   !strcmp(json_object_get_string(get(o, "event")), "policy-set") &&
	   json_object_get_uint64(get(o, "cgroup_id")) == 1234 &&
	   strchr(out, '\n') == out + strlen(out) - 1,
	   "monitor -j: policy-set, the fields of policy show, one line");
	json_object_put(o);
	free(out);
	out = event(policy_full(OFFLOADMOD_CMD_POLICY_NTF), false, &ret);
	ok_str(out, "policy-set cgroup 1234 /docker/abc gso off gso-max-size 16384 gso-max-segs 8 busy-poll 50 mode audit\n",
	       "monitor text: policy-set, settings as on the command line");
	free(out);

	m = msg_new(OFFLOADMOD_CMD_POLICY_DEL_NTF);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 77);
	nla_put_string(m, OFFLOADMOD_A_POLICY_PATH, "/a");
	out = event(m, true, &ret);
	o = json_tokener_parse(out);
	ok(ret == 1 && has_exactly(o, del_keys) &&
	   !strcmp(json_object_get_string(get(o, "event")), "policy-del") &&
	   json_object_get_uint64(get(o, "cgroup_id")) == 77,
	   "monitor -j: policy-del with what it carries, no counters made up");
	json_object_put(o);
	free(out);
	m = msg_new(OFFLOADMOD_CMD_POLICY_DEL_NTF);
	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, 77);
	out = event(m, false, &ret);
	ok_str(out, "policy-del cgroup 77\n", "monitor text: policy-del");
	free(out);

	out = event(dev_full(OFFLOADMOD_CMD_DEV_NTF), true, &ret);
	o = json_tokener_parse(out);
	ok(ret == 1 && json_object_object_length(o) == 16 &&
	   !strcmp(json_object_get_string(get(o, "event")), "dev-set") &&
	   json_object_array_length(get(o, "ifaces")) == 2 &&
	   json_object_get_int(get(o, "ifaces_adjusted")) == 2,
	   "monitor -j: dev-set with the fields of dev show");
	json_object_put(o);
	free(out);
	out = event(dev_full(OFFLOADMOD_CMD_DEV_NTF), false, &ret);
	ok_str(out, "dev-set netns 4026531840 pattern veth* tso off gso on gro off lro off rx-gro-hw on tx-checksumming on gso-max-size 16384 gro-max-size 65536 gro-flush-timeout 20000 napi-defer-hard-irqs 2 ifaces veth0,veth1a\n",
	       "monitor text: dev-set");
	free(out);

	m = msg_new(OFFLOADMOD_CMD_DEV_DEL_NTF);
	nla_put_u32(m, OFFLOADMOD_A_DEV_NETNS_INUM, 9);
	nla_put_string(m, OFFLOADMOD_A_DEV_PATTERN, "eth*");
	out = event(m, true, &ret);
	o = json_tokener_parse(out);
	ok(ret == 1 && has_exactly(o, dev_del_keys) &&
	   !strcmp(json_object_get_string(get(o, "event")), "dev-del"),
	   "monitor -j: dev-del");
	json_object_put(o);
	free(out);
	m = msg_new(OFFLOADMOD_CMD_DEV_DEL_NTF);
	nla_put_u32(m, OFFLOADMOD_A_DEV_NETNS_INUM, 9);
	nla_put_string(m, OFFLOADMOD_A_DEV_PATTERN, "eth*");
	out = event(m, false, &ret);
	ok_str(out, "dev-del netns 9 pattern eth*\n", "monitor text: dev-del");
	free(out);

	out = event(msg_new(OFFLOADMOD_CMD_MAX + 1), true, &ret);
	ok(ret == 0 && out && !out[0], "monitor: a newer module's notification is skipped");
	free(out);
	out = event(msg_new(OFFLOADMOD_CMD_POLICY_GET), true, &ret);
	ok(ret == 0 && out && !out[0], "monitor: a message that is no notification is skipped");
	free(out);
	m = msg_new(OFFLOADMOD_CMD_DEV_NTF);
	nla_put_u32(m, OFFLOADMOD_A_DEV_NETNS_INUM, 9);
	out = event(m, true, &ret);
	ok(ret == -EINVAL && out && !out[0],
	   "monitor: a malformed notification is refused, no partial JSON");
	free(out);
}

int main(void)
{
	struct policy_list pl = { 0 };
	struct dev_list dl = { 0 };

	test_policy_args();
	test_dev_args();
	test_requests();
	test_decode(&pl, &dl);
	if (pl.n == 2)
		test_print_policy(&pl);
	if (dl.n == 2)
		test_print_dev(&dl);
	test_monitor();
	policy_list_free(&pl);
	dev_list_free(&dl);
	return tap_done();
}
