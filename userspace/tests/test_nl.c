// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink client, without a kernel: extended-ACK decoding (message,
 * offending attribute by offset, missing attribute, capped and uncapped
 * errors, dump DONE errors, warnings) on messages built here the way the
 * kernel builds them, and strict parsing helpers.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>

#include "nl.h"
#include "tap.h"

#define FAKE_FAMILY 0x20

/* A request with attributes 3, nest 5 { 2, 4 }, 9; their offsets. */
static struct nl_msg *req;
static uint32_t off3, off5, off5_2, off5_4, off9;

static uint32_t tail(struct nl_msg *msg)
{
	return nlmsg_hdr(msg)->nlmsg_len;	/* always aligned */
}

static void build_request(void)
{
	struct nlattr *nest;

	req = nlmsg_alloc();
	genlmsg_put(req, 1234, 42, FAKE_FAMILY, 0, 0, 1, 1);
	off3 = tail(req);
	nla_put_u32(req, 3, 7);
	off5 = tail(req);
	nest = nla_nest_start(req, 5);
	off5_2 = tail(req);
	nla_put_string(req, 2, "abc");
	off5_4 = tail(req);
	nla_put_u64(req, 4, 1);
	nla_nest_end(req, nest);
	off9 = tail(req);
	nla_put_u8(req, 9, 1);
}

struct tlvs {
	const char *msg;
	int64_t offs;		/* -1: none */
	int64_t miss_type;
	int64_t miss_nest;
};

/*
 * The kernel's ACK/error: NLMSG_ERROR, struct nlmsgerr (with the whole
 * request unless capped), then NLMSGERR_ATTR_* TLVs.
 */
static struct nl_msg *error_msg(int error, bool capped, const struct tlvs *t)
{
	const struct nlmsghdr *rh = nlmsg_hdr(req);
	int flags = capped ? NLM_F_CAPPED : 0;
	struct nlmsgerr e = { .error = error, .msg = *rh };
	struct nl_msg *m;

	if (t)
		flags |= NLM_F_ACK_TLVS;
	m = nlmsg_alloc_simple(NLMSG_ERROR, flags);
	nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(m, nlmsg_data(rh), rh->nlmsg_len - NLMSG_HDRLEN,
			     NLMSG_ALIGNTO);
	if (t) {
		if (t->msg)
			nla_put_string(m, NLMSGERR_ATTR_MSG, t->msg);
		if (t->offs >= 0)
			nla_put_u32(m, NLMSGERR_ATTR_OFFS, (uint32_t)t->offs);
		if (t->miss_type >= 0)
			nla_put_u32(m, 5, (uint32_t)t->miss_type);
		if (t->miss_nest >= 0)
			nla_put_u32(m, 6, (uint32_t)t->miss_nest);
	}
	return m;
}

static struct nl_msg *done_msg(int error, const char *kmsg)
{
	struct nl_msg *m;

	m = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI |
			       (kmsg ? NLM_F_ACK_TLVS : 0));
	nlmsg_append(m, &error, sizeof(error), NLMSG_ALIGNTO);
	if (kmsg)
		nla_put_string(m, NLMSGERR_ATTR_MSG, kmsg);
	return m;
}

static void check_ack(struct nl_msg *m, int want_err, const char *want,
		      const char *name)
{
	char buf[512];
	int err;

	err = omnl_format_ack(nlmsg_hdr(m), nlmsg_hdr(req), buf, sizeof(buf));
	ok_str(buf, want, name);
	if (!ok(err == want_err, "%s: error code", name))
		diag("got %d want %d", err, want_err);
	nlmsg_free(m);
}

static void test_describe(void)
{
	const struct nlmsghdr *rh;
	char buf[128];

	build_request();
	rh = nlmsg_hdr(req);
	ok(omnl_describe_attr(rh, off9, buf, sizeof(buf)) &&
	   !strcmp(buf, "attribute 9"), "describe: top-level attribute");
	ok(omnl_describe_attr(rh, off3, buf, sizeof(buf)) &&
	   !strcmp(buf, "attribute 3"), "describe: first attribute");
	ok(omnl_describe_attr(rh, off5, buf, sizeof(buf)) &&
	   !strcmp(buf, "attribute 5"), "describe: the nest itself");
	ok(omnl_describe_attr(rh, off5_2, buf, sizeof(buf)) &&
	   !strcmp(buf, "attribute 2 inside attribute 5"),
	   "describe: first attribute in a nest");
	ok(omnl_describe_attr(rh, off5_4, buf, sizeof(buf)) &&
	   !strcmp(buf, "attribute 4 inside attribute 5"),
	   "describe: later attribute in a nest");
	ok(!omnl_describe_attr(rh, 4, buf, sizeof(buf)) && !buf[0],
	   "describe: offset in the netlink header");
	ok(!omnl_describe_attr(rh, off3 + 4, buf, sizeof(buf)),
	   "describe: offset inside a u32's payload");
	ok(!omnl_describe_attr(rh, rh->nlmsg_len + 8, buf, sizeof(buf)),
	   "describe: offset past the end");
	ok(!omnl_describe_attr(NULL, off9, buf, sizeof(buf)),
	   "describe: no request");
	ok(omnl_describe_attr(rh, off5_4, buf, 12) && strlen(buf) == 11,
	   "describe: truncates to the buffer");
}

static void test_errors(void)
{
	struct tlvs t;

	t = (struct tlvs){ "Unknown attribute type", off9, -1, -1 };
	check_ack(error_msg(-EINVAL, true, &t), -EINVAL,
		  "kernel: Unknown attribute type (attribute 9 in request): Invalid argument",
		  "capped error with message and offset");
	check_ack(error_msg(-EINVAL, false, &t), -EINVAL,
		  "kernel: Unknown attribute type (attribute 9 in request): Invalid argument",
		  "uncapped error (request echoed) with message and offset");
	t = (struct tlvs){ "bad value", off5_4, -1, -1 };
	check_ack(error_msg(-ERANGE, true, &t), -ERANGE,
		  "kernel: bad value (attribute 4 inside attribute 5 in request): Numerical result out of range",
		  "error naming a nested attribute");
	check_ack(error_msg(-EPERM, true, NULL), -EPERM,
		  "kernel: Operation not permitted", "EPERM without extack");
	t = (struct tlvs){ NULL, off3, -1, -1 };
	check_ack(error_msg(-EINVAL, true, &t), -EINVAL,
		  "kernel: Invalid argument (attribute 3 in request)",
		  "offset without message");
	t = (struct tlvs){ "Missing attribute", -1, 4, off5 };
	check_ack(error_msg(-EINVAL, true, &t), -EINVAL,
		  "kernel: Missing attribute (missing attribute 4 inside attribute 5 in request): Invalid argument",
		  "missing attribute inside a nest");
	t = (struct tlvs){ "Missing attribute", -1, 7, -1 };
	check_ack(error_msg(-EINVAL, true, &t), -EINVAL,
		  "kernel: Missing attribute (missing attribute 7 in request): Invalid argument",
		  "missing top-level attribute");
	t = (struct tlvs){ "odd", 2, -1, -1 };
	check_ack(error_msg(-EINVAL, true, &t), -EINVAL,
		  "kernel: odd (byte 2 of request): Invalid argument",
		  "offset that is no attribute");
	check_ack(error_msg(EPERM, true, NULL), -EPERM,
		  "kernel: Operation not permitted",
		  "positive error code normalised");
	t = (struct tlvs){ "a warning", -1, -1, -1 };
	check_ack(error_msg(0, true, &t), 0, "kernel warning: a warning",
		  "ACK with a message is a warning");
	check_ack(error_msg(0, true, NULL), 0, "", "plain ACK says nothing");
	check_ack(done_msg(0, NULL), 0, "", "dump DONE without error");
	check_ack(done_msg(-EMSGSIZE, "dump buffer too small"), -EMSGSIZE,
		  "kernel: dump buffer too small: Message too long",
		  "dump DONE carrying an error and message");
}

static void test_malformed(void)
{
	struct nlmsghdr *h;
	struct nl_msg *m;
	char buf[512], small[16];
	int err;

	/* Truncated nlmsgerr. */
	m = nlmsg_alloc_simple(NLMSG_ERROR, 0);
	nlmsg_append(m, "\xff\xff\xff\xff", 4, NLMSG_ALIGNTO);
	err = omnl_format_ack(nlmsg_hdr(m), nlmsg_hdr(req), buf, sizeof(buf));
	ok(err == -EBADMSG && strstr(buf, "truncated"),
	   "truncated error message");
	nlmsg_free(m);

	/* A non-terminated message TLV is ignored, the errno still shown. */
	m = error_msg(-EINVAL, true, NULL);
	h = nlmsg_hdr(m);
	h->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put(m, NLMSGERR_ATTR_MSG, 3, "abc");
	check_ack(m, -EINVAL, "kernel: Invalid argument",
		  "unterminated extack string ignored");

	/* Uncapped error whose echoed length overruns the message. */
	m = error_msg(-EINVAL, true, NULL);
	h = nlmsg_hdr(m);
	h->nlmsg_flags = NLM_F_ACK_TLVS;	/* claims uncapped */
	((struct nlmsgerr *)nlmsg_data(h))->msg.nlmsg_len = 0xffff;
	check_ack(m, -EINVAL, "kernel: Invalid argument",
		  "bogus echoed length does not overrun");

	/* Output truncated to the buffer. */
	m = error_msg(-EINVAL, true,
		      &(struct tlvs){ "a long kernel message", off9, -1, -1 });
	omnl_format_ack(nlmsg_hdr(m), nlmsg_hdr(req), small, sizeof(small));
	ok(strlen(small) == sizeof(small) - 1, "message truncated to buffer");
	nlmsg_free(m);

	/* Other message types carry no error. */
	m = nlmsg_alloc_simple(FAKE_FAMILY, 0);
	ok(omnl_format_ack(nlmsg_hdr(m), NULL, buf, sizeof(buf)) == 0 &&
	   !buf[0], "data message is no error");
	nlmsg_free(m);
}

static void test_parse(void)
{
	static const struct nla_policy pol[4] = {
		[1] = { .type = NLA_U32, .maxlen = 4 },
		[2] = { .type = NLA_STRING, .maxlen = 8 },
		[3] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[4], *inner[4];
	struct nl_msg *m;
	int saved, err;

	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, 1, 1);
	nla_put_u32(m, 1, 77);
	nla_put_string(m, 2, "short");
	nla_put_u32(m, 42, 1);	/* from a newer module: ignored */
	{
		struct nlattr *n = nla_nest_start(m, 3);

		nla_put_u32(m, 1, 5);
		nla_nest_end(m, n);
	}
	err = omnl_parse(m, tb, 3, pol, "reply");
	ok(!err && tb[1] && nla_get_u32(tb[1]) == 77 &&
	   !strcmp(nla_get_string(tb[2]), "short"),
	   "parse: valid reply, unknown attribute ignored");
	err = omnl_parse_nested(inner, 3, tb[3], pol, "nest");
	ok(!err && inner[1] && nla_get_u32(inner[1]) == 5,
	   "parse_nested: valid nest");
	nlmsg_free(m);

	saved = quiet_stderr();
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, 1, 1);
	nla_put_u64(m, 1, 1);	/* u32 attribute with 8 bytes */
	err = omnl_parse(m, tb, 3, pol, "reply");
	restore_stderr(saved);
	ok(err == -EINVAL, "parse: wrong integer width rejected");
	nlmsg_free(m);

	saved = quiet_stderr();
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, 1, 1);
	nla_put_string(m, 2, "much too long");
	err = omnl_parse(m, tb, 3, pol, "reply");
	restore_stderr(saved);
	ok(err == -EINVAL, "parse: over-long string rejected");
	nlmsg_free(m);

	saved = quiet_stderr();
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, 1, 1);
	nla_put(m, 2, 3, "abc");	/* no NUL */
	err = omnl_parse(m, tb, 3, pol, "reply");
	restore_stderr(saved);
	ok(err == -EINVAL, "parse: unterminated string rejected");
	nlmsg_free(m);
}

int main(void)
{
	test_describe();
	test_errors();
	test_malformed();
	test_parse();
	nlmsg_free(req);
	return tap_done();
}
