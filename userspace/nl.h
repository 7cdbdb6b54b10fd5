/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl: generic netlink client for the "offloadmod" family, on
 * libnl-genl-3. Every function that fails has already told the user why
 * on stderr (kernel extack message included), so a command only has to
 * turn a failure into exit status 2.
 *
 * A command does:
 *
 *	nl = omnl_open();                          // NULL: exit 2
 *	msg = omnl_msg_new(nl, OFFLOADMOD_CMD_X, 0 or NLM_F_DUMP);
 *	nla_put_...(msg, ...);                     // request attributes
 *	err = omnl_request(nl, msg, reply_cb, arg); // consumes msg
 *	omnl_close(nl);
 *
 * and in reply_cb parses with omnl_parse() / omnl_parse_nested().
 */
#ifndef OFFLOADMOD_NL_H
#define OFFLOADMOD_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

struct omnl;

/*
 * Connect, turn on extended ACK and resolve the family (the kernel
 * autoloads the module on this lookup when it can). NULL on failure;
 * a missing family gets the "is the module loaded?" message.
 */
struct omnl *omnl_open(void);
/* The same for another family (tests use the kernel's own "nlctrl"). */
struct omnl *omnl_open_family(const char *name);
void omnl_close(struct omnl *nl);

/*
 * New request for cmd with the genl header version set to
 * OFFLOADMOD_FAMILY_VERSION. flags: 0 for a "do", NLM_F_DUMP for a dump.
 * NULL (reported) on allocation failure.
 */
struct nl_msg *omnl_msg_new(struct omnl *nl, uint8_t cmd, int flags);

/*
 * Called for every reply message (every part of a dump). Return 0 to go
 * on, or a negative errno to stop; the callback reports its own errors.
 */
typedef int (*omnl_reply_cb)(struct nl_msg *msg, void *arg);

/*
 * Send msg (always freed) and process replies until the ACK, the end of
 * the dump, or an error. Returns 0 or a negative errno. Kernel errors are
 * printed with their extack message and the offending attribute; a dump
 * the kernel flagged as interrupted (NLM_F_DUMP_INTR: the data changed
 * while it was read) is reported as a warning and omnl_dump_interrupted()
 * says so.
 */
int omnl_request(struct omnl *nl, struct nl_msg *msg, omnl_reply_cb cb,
		 void *arg);
bool omnl_dump_interrupted(const struct omnl *nl);
/*
 * Whether omnl_request warns about an interrupted dump (default: yes).
 * A command that retries the dump turns it off and warns itself when it
 * gives up.
 */
void omnl_set_dump_intr_warning(struct omnl *nl, bool warn);

/*
 * Notifications. omnl_subscribe joins the multicast group of the family
 * (resolved by name through the controller): the socket then receives
 * messages nobody asked for, so sequence checks are off and it is made
 * non-blocking; use it for nothing else. 0 or a negative errno
 * (reported; -ENOENT: the family has no such group).
 *
 * omnl_receive reads every message waiting on a subscribed socket and
 * calls cb for each; it returns 0 once nothing more is waiting,
 * -ENOBUFS (not reported) when the kernel dropped notifications because
 * the socket's buffer was full (the socket stays usable), the
 * callback's negative errno, or another negative errno (reported).
 * omnl_fd is the socket to poll() for POLLIN.
 */
int omnl_subscribe(struct omnl *nl, const char *group);
int omnl_receive(struct omnl *nl, omnl_reply_cb cb, void *arg);
int omnl_fd(const struct omnl *nl);

/*
 * Parse the attributes of a reply / of a nested attribute against a
 * policy. The policies are strict about what they know (type, exact
 * width, string length and termination) and ignore attribute types above
 * maxtype, so that a newer module adding attributes does not break an
 * older tool. what names the thing in the error message. 0 or -EINVAL.
 */
int omnl_parse(struct nl_msg *msg, struct nlattr **tb, int maxtype,
	       const struct nla_policy *policy, const char *what);
int omnl_parse_nested(struct nlattr **tb, int maxtype, struct nlattr *nest,
		      const struct nla_policy *policy, const char *what);

/*
 * Lower layers, public so tests can feed them synthetic messages.
 *
 * omnl_describe_attr: name the attribute that starts at byte offset off
 * of request req (the NLMSGERR_ATTR_OFFS convention), e.g. "attribute 9"
 * or "attribute 2 inside attribute 5". Returns false if off does not
 * point at an attribute header.
 *
 * omnl_format_ack: turn an NLMSG_ERROR or NLMSG_DONE message into
 * "kernel: <extack msg> (attribute 9 in request): <strerror>" (or the
 * "kernel warning: ..." of a successful ACK that carries a message).
 * Returns the error code the message carries (0 or negative errno);
 * buf is "" when there is nothing to say.
 */
bool omnl_describe_attr(const struct nlmsghdr *req, uint32_t off,
			char *buf, size_t len);
int omnl_format_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		    char *buf, size_t len);

#endif /* OFFLOADMOD_NL_H */
