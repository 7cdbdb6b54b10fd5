// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink client against the running kernel, through the generic netlink
 * controller family "nlctrl" that every kernel has: a "do" request, a
 * multipart dump, a kernel error with extended ACK naming the attribute,
 * a callback that fails mid-dump, and reuse of the socket afterwards.
 * Skipped where generic netlink sockets cannot be opened.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>

#include "nl.h"
#include "tap.h"

struct seen {
	int count;
	bool saw_nlctrl;
	int fail_with;	/* callback returns this (if non-zero) */
};

static int family_cb(struct nl_msg *msg, void *arg)
{
	static const struct nla_policy pol[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct seen *s = arg;

	s->count++;
	if (s->fail_with)
		return s->fail_with;
	if (omnl_parse(msg, tb, CTRL_ATTR_MAX, pol, "family") == 0 &&
	    tb[CTRL_ATTR_FAMILY_NAME] &&
	    !strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), "nlctrl"))
		s->saw_nlctrl = true;
	return 0;
}

/* Run fn with stderr captured into buf. */
static FILE *cap_file;
static int cap_saved;

static void capture_start(void)
{
	fflush(stderr);
	cap_file = tmpfile();
	cap_saved = dup(2);
	if (cap_file)
		dup2(fileno(cap_file), 2);
}

static void capture_end(char *buf, size_t len)
{
	size_t n = 0;

	fflush(stderr);
	dup2(cap_saved, 2);
	close(cap_saved);
	buf[0] = '\0';
	if (!cap_file)
		return;
	rewind(cap_file);
	n = fread(buf, 1, len - 1, cap_file);
	buf[n] = '\0';
	fclose(cap_file);
}

static struct nl_msg *getfamily(struct omnl *nl, int flags, const char *name)
{
	struct nl_msg *msg = omnl_msg_new(nl, CTRL_CMD_GETFAMILY, flags);

	if (msg && name)
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name);
	return msg;
}

int main(void)
{
	struct seen s;
	struct nl_msg *msg;
	struct omnl *nl;
	char err[1024];
	int ret;

	capture_start();
	nl = omnl_open_family("nlctrl");
	capture_end(err, sizeof(err));
	if (!nl) {
		skip(err, "generic netlink available");
		return tap_done();
	}
	ok(true, "open and resolve nlctrl");

	memset(&s, 0, sizeof(s));
	ret = omnl_request(nl, getfamily(nl, 0, "nlctrl"), family_cb, &s);
	ok(ret == 0 && s.count == 1 && s.saw_nlctrl, "do request: one reply, ACK");

	memset(&s, 0, sizeof(s));
	ret = omnl_request(nl, getfamily(nl, NLM_F_DUMP, NULL), family_cb, &s);
	ok(ret == 0 && s.count >= 1 && s.saw_nlctrl,
	   "dump: every part delivered (%d families)", s.count);
	ok(!omnl_dump_interrupted(nl), "dump: not interrupted");

	/* CTRL_ATTR_FAMILY_ID is a u16: one byte fails policy validation. */
	msg = omnl_msg_new(nl, CTRL_CMD_GETFAMILY, 0);
	nla_put(msg, CTRL_ATTR_FAMILY_ID, 1, "\x10");
	memset(&s, 0, sizeof(s));
	capture_start();
	ret = omnl_request(nl, msg, family_cb, &s);
	capture_end(err, sizeof(err));
	ok(ret < 0 && s.count == 0, "kernel rejects a malformed attribute (%d)", ret);
	ok(!strncmp(err, "offloadmod-ctl: kernel: ", 24) &&
	   strstr(err, "(attribute 1 in request)") && strchr(err, '\n') ==
	   err + strlen(err) - 1,
	   "extack message names the attribute, one line");
	diag("%s", strtok(err, "\n") ? err : "");

	memset(&s, 0, sizeof(s));
	capture_start();
	ret = omnl_request(nl, getfamily(nl, 0, "omnl-nosuchfam"),
			   family_cb, &s);
	capture_end(err, sizeof(err));
	if (!ok(ret == -ENOENT && strstr(err, "No such file or directory"),
	   "errno text of the kernel error"))
		diag("ret %d: %s", ret, err);

	/* A failing callback stops delivery but the socket stays usable. */
	memset(&s, 0, sizeof(s));
	s.fail_with = -EPROTO;
	ret = omnl_request(nl, getfamily(nl, NLM_F_DUMP, NULL), family_cb, &s);
	ok(ret == -EPROTO && s.count == 1, "callback error stops the dump");
	memset(&s, 0, sizeof(s));
	ret = omnl_request(nl, getfamily(nl, 0, "nlctrl"), family_cb, &s);
	ok(ret == 0 && s.saw_nlctrl, "socket still in step after that");

	omnl_close(nl);

	capture_start();
	nl = omnl_open_family("offloadmod-no-such-family");
	capture_end(err, sizeof(err));
	ok(!nl && strstr(err, "\"offloadmod-no-such-family\" not found"),
	   "unknown family reported");
	return tap_done();
}
