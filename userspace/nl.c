// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl: generic netlink client, see nl.h.
 *
 * libnl does the socket, sequence numbers and multipart reassembly; what
 * it does not do is read extended ACKs, so this file installs its own
 * error/ACK/DONE callbacks and decodes the NLMSGERR_ATTR_* TLVs itself.
 * The request is kept until its replies are processed because the
 * kernel names a bad attribute by its byte offset in that request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "ctl.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

/*
 * Our own numbering of the extack TLVs (values from linux/netlink.h), so
 * that building against older headers still decodes the "missing
 * attribute" TLVs that 6.0+ kernels send.
 */
enum {
	ACK_ATTR_MSG		= 1,	/* NLMSGERR_ATTR_MSG */
	ACK_ATTR_OFFS		= 2,	/* NLMSGERR_ATTR_OFFS */
	ACK_ATTR_MISS_TYPE	= 5,	/* NLMSGERR_ATTR_MISS_TYPE */
	ACK_ATTR_MISS_NEST	= 6,	/* NLMSGERR_ATTR_MISS_NEST */
	ACK_ATTR_MAX		= 6,
};

static const struct nla_policy ack_policy[ACK_ATTR_MAX + 1] = {
	[ACK_ATTR_MSG]		= { .type = NLA_STRING },
	[ACK_ATTR_OFFS]		= { .type = NLA_U32 },
	[ACK_ATTR_MISS_TYPE]	= { .type = NLA_U32 },
	[ACK_ATTR_MISS_NEST]	= { .type = NLA_U32 },
};

/* Nesting we follow when naming a bad attribute; requests are shallow. */
#define ATTR_PATH_MAX 8

struct omnl {
	struct nl_sock *sk;
	int family;
	char *name;		/* of the family */
	bool dump_intr;
	bool quiet_intr;	/* the caller retries and warns itself */
};

/* Bounded string builder: appends never overflow, they truncate. */
struct sbuf {
	char *buf;
	size_t len;
	size_t pos;
};

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!sb->len || sb->pos >= sb->len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->pos, sb->len - sb->pos, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb->pos += (size_t)n;
	if (sb->pos >= sb->len)
		sb->pos = sb->len - 1;
}

struct omnl *omnl_open(void)
{
	return omnl_open_family(OFFLOADMOD_FAMILY_NAME);
}

struct omnl *omnl_open_family(const char *name)
{
	struct omnl *nl;
	int one = 1;
	int err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		goto nomem;
	nl->name = strdup(name);
	nl->sk = nl_socket_alloc();
	if (!nl->name || !nl->sk)
		goto nomem;
	err = nl_connect(nl->sk, NETLINK_GENERIC);
	if (err < 0) {
		ctl_err("cannot open generic netlink socket: %s",
			nl_geterror(err));
		goto fail;
	}
	/*
	 * Ask for extack messages; with CAP_ACK the kernel does not echo
	 * our request back in errors (we keep our own copy). Old kernels
	 * lack these options, which only costs us the detailed message.
	 */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* Size each read to the message: dumps can exceed a page. */
	nl_socket_enable_msg_peek(nl->sk);

	nl->family = genl_ctrl_resolve(nl->sk, name);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		if (!strcmp(name, OFFLOADMOD_FAMILY_NAME))
			ctl_err("generic netlink family \"%s\" not found: is the module loaded? (modprobe offloadmod)",
				name);
		else
			ctl_err("generic netlink family \"%s\" not found", name);
		goto fail;
	}
	if (nl->family < 0) {
		ctl_err("cannot resolve generic netlink family \"%s\": %s",
			name, nl_geterror(nl->family));
		goto fail;
	}
	return nl;
nomem:
	ctl_err("%s", strerror(ENOMEM));
fail:
	omnl_close(nl);
	return NULL;
}

void omnl_close(struct omnl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);	/* closes the socket; NULL-safe */
	free(nl->name);
	free(nl);
}

bool omnl_dump_interrupted(const struct omnl *nl)
{
	return nl->dump_intr;
}

void omnl_set_dump_intr_warning(struct omnl *nl, bool warn)
{
	nl->quiet_intr = !warn;
}

struct nl_msg *omnl_msg_new(struct omnl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		goto nomem;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, OFFLOADMOD_FAMILY_VERSION)) {
		nlmsg_free(msg);
		goto nomem;
	}
	return msg;
nomem:
	ctl_err("cannot build netlink request: %s", strerror(ENOMEM));
	return NULL;
}

/*
 * Find the attribute starting at byte off of msg within [start, end),
 * descending into any attribute that contains off (the kernel points
 * inside nests, and we do not need the policy to know which are nests).
 */
static bool find_attr(const char *msg, size_t start, size_t end,
		      uint32_t off, int *path, int *depth)
{
	size_t pos = start;

	while (pos + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const struct nlattr *)(msg + pos);
		size_t alen = a->nla_len;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (alen < NLA_HDRLEN || alen > end - pos)
			return false;
		if (off == pos) {
			path[(*depth)++] = type;
			return true;
		}
		if (off > pos && off < pos + alen) {
			if (*depth >= ATTR_PATH_MAX - 1)
				return false;
			path[(*depth)++] = type;
			return find_attr(msg, pos + NLA_HDRLEN, pos + alen, off,
					 path, depth);
		}
		pos += NLA_ALIGN(alen);
	}
	return false;
}

bool omnl_describe_attr(const struct nlmsghdr *req, uint32_t off,
			char *buf, size_t len)
{
	size_t start = NLMSG_HDRLEN + GENL_HDRLEN;
	struct sbuf sb = { buf, len, 0 };
	int path[ATTR_PATH_MAX];
	int depth = 0;
	int i;

	if (len)
		buf[0] = '\0';
	if (!req || req->nlmsg_len < start || off < start)
		return false;
	if (!find_attr((const char *)req, start, req->nlmsg_len, off, path,
		       &depth))
		return false;
	/* Innermost first: "attribute 2 inside attribute 5". */
	sb_printf(&sb, "attribute %d", path[depth - 1]);
	for (i = depth - 2; i >= 0; i--)
		sb_printf(&sb, " inside attribute %d", path[i]);
	return true;
}

/* "(attribute 9 in request)"-style detail of an extack, into sb. */
static void describe_ack(struct sbuf *sb, struct nlattr **tb,
			 const struct nlmsghdr *req)
{
	char what[128];
	bool any = false;

	if (tb[ACK_ATTR_OFFS]) {
		uint32_t off = nla_get_u32(tb[ACK_ATTR_OFFS]);

		if (omnl_describe_attr(req, off, what, sizeof(what)))
			sb_printf(sb, "%s in request", what);
		else
			sb_printf(sb, "byte %u of request", off);
		any = true;
	}
	if (tb[ACK_ATTR_MISS_TYPE]) {
		sb_printf(sb, "%smissing attribute %u", any ? "; " : "",
			  nla_get_u32(tb[ACK_ATTR_MISS_TYPE]));
		if (tb[ACK_ATTR_MISS_NEST]) {
			uint32_t off = nla_get_u32(tb[ACK_ATTR_MISS_NEST]);

			if (omnl_describe_attr(req, off, what, sizeof(what)))
				sb_printf(sb, " inside %s", what);
		}
		sb_printf(sb, " in request");
	}
}

int omnl_format_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		    char *buf, size_t len)
{
	struct nlattr *tb[ACK_ATTR_MAX + 1] = { NULL };
	struct sbuf sb = { buf, len, 0 };
	const char *payload, *kmsg = NULL;
	size_t plen, tlv_off;
	char detail[256] = "";
	struct sbuf db = { detail, sizeof(detail), 0 };
	int error;

	if (len)
		buf[0] = '\0';
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	payload = (const char *)nlmsg_data(nlh);
	plen = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const struct nlmsgerr *)payload;

		if (plen < sizeof(*e)) {
			sb_printf(&sb, "kernel: truncated error message");
			return -EBADMSG;
		}
		error = e->error;
		tlv_off = sizeof(*e);
		/* Uncapped: the whole request follows its header. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= NLMSG_HDRLEN)
			tlv_off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump's DONE carries the dump's final error code. */
		error = 0;
		if (plen >= sizeof(int))
			memcpy(&error, payload, sizeof(int));
		tlv_off = sizeof(int);
	} else {
		return 0;
	}
	/* Some subsystems use positive codes; we return negative ones. */
	if (error > 0)
		error = -error;

	tlv_off = NLMSG_ALIGN(tlv_off);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && tlv_off < plen &&
	    nla_parse(tb, ACK_ATTR_MAX, (struct nlattr *)(payload + tlv_off),
		      (int)(plen - tlv_off), ack_policy) == 0) {
		if (tb[ACK_ATTR_MSG])
			kmsg = nla_get_string(tb[ACK_ATTR_MSG]);
		describe_ack(&db, tb, req);
	}

	if (!error) {
		/* Success that came with a message: a warning. */
		if (kmsg || detail[0])
			sb_printf(&sb, "kernel warning: %s", kmsg ? kmsg : "");
		if (detail[0])
			sb_printf(&sb, "%s(%s)", kmsg ? " " : "", detail);
		return 0;
	}
	sb_printf(&sb, "kernel: ");
	if (kmsg && kmsg[0])
		sb_printf(&sb, "%s%s%s%s: %s", kmsg, detail[0] ? " (" : "",
			  detail, detail[0] ? ")" : "", strerror(-error));
	else
		sb_printf(&sb, "%s%s%s%s", strerror(-error),
			  detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
	return error;
}

struct req_ctx {
	struct omnl *nl;
	const struct nlmsghdr *req;
	omnl_reply_cb cb;
	void *arg;
	bool done;
	int err;
};

/* Print what an ERROR/DONE/ACK message says; returns its error code. */
static int report(struct req_ctx *ctx, const struct nlmsghdr *nlh)
{
	char buf[512];
	int error;

	error = omnl_format_ack(nlh, ctx->req, buf, sizeof(buf));
	if (buf[0])
		ctl_err("%s", buf);
	return error;
}

static void finish(struct req_ctx *ctx, int error)
{
	/* The first error wins: a callback failure is not overwritten. */
	if (error && !ctx->err)
		ctx->err = error;
	ctx->done = true;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;
	int ret;

	/*
	 * After a callback failed, skip the rest but keep reading up to
	 * the ACK/DONE so the socket stays in step for another request.
	 */
	if (ctx->err || !ctx->cb)
		return NL_SKIP;
	ret = ctx->cb(msg, ctx->arg);
	if (ret < 0)
		ctx->err = ret;
	return NL_OK;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload; the header is right before it. */
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct req_ctx *ctx = arg;

	(void)who;
	finish(ctx, report(ctx, nlh));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	finish(ctx, report(ctx, nlmsg_hdr(msg)));
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	finish(ctx, report(ctx, nlmsg_hdr(msg)));
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	(void)msg;
	ctx->nl->dump_intr = true;
	return NL_OK;	/* the data is still good to show */
}

int omnl_request(struct omnl *nl, struct nl_msg *msg, omnl_reply_cb cb,
		 void *arg)
{
	struct req_ctx ctx = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *ncb;
	int ret;

	if (!msg)
		return -ENOMEM;
	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb) {
		nlmsg_free(msg);
		ctl_err("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ctx);
	nl_cb_set(ncb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ctx);
	nl_cb_set(ncb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ctx);
	nl_cb_set(ncb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &ctx);
	nl_cb_err(ncb, NL_CB_CUSTOM, on_error, &ctx);

	nl->dump_intr = false;
	ret = nl_send_auto(nl->sk, msg);	/* sets port, seq, NLM_F_ACK */
	if (ret < 0) {
		ctl_err("cannot send netlink request: %s", nl_geterror(ret));
		ctx.err = -EIO;
		goto out;
	}
	ctx.req = nlmsg_hdr(msg);

	while (!ctx.done) {
		ret = nl_recvmsgs(nl->sk, ncb);
		if (ctx.done)
			break;
		if (ret == -NLE_DUMP_INTR) {	/* older libnl's way */
			nl->dump_intr = true;
			break;
		}
		if (ret < 0) {
			ctl_err("netlink receive failed: %s", nl_geterror(ret));
			ctx.err = -EIO;
			break;
		}
	}
	if (nl->dump_intr && !nl->quiet_intr)
		ctl_warn("the dump was interrupted by a concurrent change and may be inconsistent; run the command again");
out:
	nl_cb_put(ncb);
	nlmsg_free(msg);
	return ctx.err;
}

/* Receive buffer of a subscribed socket: room for bursts of changes. */
#define OMNL_NTF_RCVBUF (1 << 20)

int omnl_subscribe(struct omnl *nl, const char *group)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, nl->name, group);
	if (grp == -NLE_OBJ_NOTFOUND) {
		ctl_err("generic netlink family \"%s\" has no multicast group \"%s\": is the module too old?",
			nl->name, group);
		return -ENOENT;
	}
	if (grp < 0) {
		ctl_err("cannot resolve multicast group \"%s\": %s", group,
			nl_geterror(grp));
		return -EIO;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err < 0) {
		ctl_err("cannot join multicast group \"%s\": %s", group,
			nl_geterror(err));
		return -EIO;
	}
	nl_socket_disable_seq_check(nl->sk);
	/* A larger buffer only lowers the odds of an overrun; not fatal. */
	nl_socket_set_buffer_size(nl->sk, OMNL_NTF_RCVBUF, 0);
	err = nl_socket_set_nonblocking(nl->sk);
	if (err < 0) {
		ctl_err("cannot make the netlink socket non-blocking: %s",
			nl_geterror(err));
		return -EIO;
	}
	return 0;
}

int omnl_fd(const struct omnl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

struct ntf_ctx {
	omnl_reply_cb cb;
	void *arg;
	int err;
};

static int ntf_valid(struct nl_msg *msg, void *arg)
{
	struct ntf_ctx *ctx = arg;
	int ret;

	if (ctx->err)
		return NL_SKIP;
	ret = ctx->cb(msg, ctx->arg);
	if (ret < 0) {
		ctx->err = ret;
		return NL_STOP;
	}
	return NL_OK;
}

/* Notifications are not answers: any sequence number will do. */
static int ntf_seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int omnl_receive(struct omnl *nl, omnl_reply_cb cb, void *arg)
{
	struct ntf_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_cb *ncb;
	int ret;

	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb) {
		ctl_err("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, ntf_valid, &ctx);
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, ntf_seq_any, NULL);
	/*
	 * One call reads one datagram; on a non-blocking socket, -NLE_AGAIN
	 * (or 0 from older libnl) says nothing more is waiting.
	 */
	for (;;) {
		ret = nl_recvmsgs_report(nl->sk, ncb);
		if (ctx.err || ret <= 0)
			break;
	}
	nl_cb_put(ncb);
	if (ctx.err)
		return ctx.err;
	if (ret == 0 || ret == -NLE_AGAIN)
		return 0;
	/* recvmsg's ENOBUFS: the kernel dropped what did not fit. */
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	ctl_err("netlink receive failed: %s", nl_geterror(ret));
	return -EIO;
}

static int parse_failed(const char *what, int err)
{
	ctl_err("malformed %s from kernel: %s", what, nl_geterror(err));
	return -EINVAL;
}

int omnl_parse(struct nl_msg *msg, struct nlattr **tb, int maxtype,
	       const struct nla_policy *policy, const char *what)
{
	int err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, maxtype, policy);

	return err < 0 ? parse_failed(what, err) : 0;
}

int omnl_parse_nested(struct nlattr **tb, int maxtype, struct nlattr *nest,
		      const struct nla_policy *policy, const char *what)
{
	int err = nla_parse_nested(tb, maxtype, nest, policy);

	return err < 0 ? parse_failed(what, err) : 0;
}
