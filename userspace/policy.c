// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl policy { set | show | del }: the offload policy of a
 * cgroup (OFFLOADMOD_CMD_POLICY_SET / _GET / _DEL). The command lines are
 * parsed in policy_args.c, replies decoded in policy_decode.c and printed
 * in policy_print.c; this file resolves the target and talks to the
 * kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/offloadmod.h>

#include "ctl.h"
#include "nl.h"
#include "output.h"
#include "policy.h"
#include "target.h"

#define POLICY_SYNOPSIS	"policy { set | show | del | help } [ ARGS ]"

/* A dump interrupted by a concurrent change is tried this often. */
#define DUMP_TRIES	3

int policy_dump(struct omnl *nl, uint8_t cmd, omnl_reply_cb cb, void *arg,
		void (*reset)(void *arg), const char *what)
{
	struct nl_msg *msg;
	int err, try;

	omnl_set_dump_intr_warning(nl, false);
	for (try = 1; ; try++) {
		msg = omnl_msg_new(nl, cmd, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		err = omnl_request(nl, msg, cb, arg);
		if (err || !omnl_dump_interrupted(nl))
			return err;
		if (try == DUMP_TRIES)
			break;
		reset(arg);
	}
	ctl_warn("the %s dump was interrupted %d times by concurrent changes; some may be missing or listed twice",
		 what, DUMP_TRIES);
	return 0;
}

static int reply_cb(struct nl_msg *msg, void *arg)
{
	return policy_parse(msg, arg);
}

static void reset_list(void *arg)
{
	policy_list_free(arg);
}

/* Resolve a->spec to t; a CTL_EXIT_* status (reported). */
static int resolve(const struct policy_args *a, struct target *t,
		   const char *syn)
{
	char err[512];
	int ret;

	if (!a->spec)
		return CTL_EXIT_OK;
	ret = target_resolve(a->spec, t, err, sizeof(err));
	if (!ret)
		return CTL_EXIT_OK;
	if (target_exit_status(ret) == CTL_EXIT_USAGE)
		return ctl_usage_err(syn, "%s", err);
	ctl_err("%s", err);
	return CTL_EXIT_FAIL;
}

/* Add to what the kernel said (already on stderr) what it means here. */
static void explain(int err, const char *cmd, const struct policy_args *a,
		    const struct target *t)
{
	switch (err) {
	case -EPERM:
		ctl_err("changing cgroup policies needs CAP_NET_ADMIN in the initial user namespace");
		break;
	case -EOPNOTSUPP:
		ctl_err("the loaded offloadmod module does not support cgroup policies: is it older than offloadmod-ctl?");
		break;
	case -ENOENT:
		if (!a->spec)
			break;
		if (!strcmp(cmd, "set"))
			ctl_err("the kernel has no cgroup %s (id %" PRIu64 ") for \"%s\": was it removed?",
				t->path, t->cgroup_id, a->spec);
		else
			ctl_err("no policy for \"%s\" (cgroup %s, id %" PRIu64 ")",
				a->spec, t->path, t->cgroup_id);
		break;
	}
}

/* The request of cmd for cgroup t, with the settings of a; NULL reported. */
static struct nl_msg *request(struct omnl *nl, uint8_t cmd,
			      const struct policy_args *a,
			      const struct target *t)
{
	struct nl_msg *msg = omnl_msg_new(nl, cmd, 0);

	if (!msg)
		return NULL;
	if (nla_put_u64(msg, OFFLOADMOD_A_POLICY_CGROUP_ID, t->cgroup_id) ||
	    policy_put_settings(msg, &a->set)) {
		nlmsg_free(msg);
		ctl_err("cannot build netlink request: %s", strerror(EMSGSIZE));
		return NULL;
	}
	return msg;
}

/* The target's policy into list. 0 or a negative errno (reported). */
static int fetch_one(struct omnl *nl, const struct policy_args *a,
		     const struct target *t, struct policy_list *list)
{
	struct nl_msg *msg = request(nl, OFFLOADMOD_CMD_POLICY_GET, a, t);
	int err;

	err = msg ? omnl_request(nl, msg, reply_cb, list) : -ENOMEM;
	if (!err && !list->n) {
		ctl_err("the kernel acknowledged policy-get without a reply");
		err = -EPROTO;
	}
	if (!err && !list->v[0].path[0]) {
		/* Name it at least as the user did. */
		free(list->v[0].path);
		list->v[0].path = strdup(t->path);
		if (!list->v[0].path) {
			ctl_err("%s", strerror(ENOMEM));
			err = -ENOMEM;
		}
	}
	return err;
}

/* set, show or del. */
static int policy_cmd(const char *cmd, int argc, char **argv)
{
	struct policy_list list = { 0 };
	struct policy_args a;
	struct target t = { 0 };
	struct nl_msg *msg;
	struct omnl *nl;
	int ret, err;

	ret = policy_parse_args(cmd, argc, argv, &a);
	if (!ret)
		ret = resolve(&a, &t, !strcmp(cmd, "set") ? POLICY_SET_SYNOPSIS :
				      !strcmp(cmd, "del") ? POLICY_DEL_SYNOPSIS :
				      POLICY_SHOW_SYNOPSIS);
	if (ret)
		return ret;
	nl = omnl_open();
	if (!nl) {
		target_free(&t);
		return CTL_EXIT_FAIL;
	}
	if (!strcmp(cmd, "show")) {
		err = a.spec ? fetch_one(nl, &a, &t, &list) :
			       policy_dump(nl, OFFLOADMOD_CMD_POLICY_GET, reply_cb,
					   &list, reset_list, "policy");
	} else {
		msg = request(nl, !strcmp(cmd, "set") ? OFFLOADMOD_CMD_POLICY_SET :
				  OFFLOADMOD_CMD_POLICY_DEL, &a, &t);
		err = msg ? omnl_request(nl, msg, NULL, NULL) : -ENOMEM;
	}
	omnl_close(nl);
	explain(err, cmd, &a, &t);
	if (!err && !strcmp(cmd, "show"))
		policy_print_list(&list);
	policy_list_free(&list);
	target_free(&t);
	return err ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static void policy_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [OPTIONS] " POLICY_SET_SYNOPSIS "\n"
		"       %s [OPTIONS] " POLICY_SHOW_SYNOPSIS "\n"
		"       %s [OPTIONS] " POLICY_DEL_SYNOPSIS "\n"
		"       %s [OPTIONS] policy help\n"
		"where  SETTING := { gso { on | off } | gso-max-size BYTES |\n"
		"                    gso-max-segs N | busy-poll USEC |\n"
		"                    mode { enforce | audit } }\n"
		"The offload policy of a cgroup and its descendants (down to the\n"
		"next cgroup with a policy of its own), enforced on their TCP\n"
		"sockets. set merges the settings given into the policy, creating\n"
		"it: BYTES %u to %u, N 1 to %u, USEC 1 to %u;\n"
		"0 removes that part. audit mode changes nothing and counts what\n"
		"enforce would change. show lists every policy, or the one of\n"
		"TARGET. set and del need CAP_NET_ADMIN. TARGET: a cgroup path,\n"
		"cgroup id or container id, see offloadmod-ctl(8).\n",
		CTL_PROG, CTL_PROG, CTL_PROG, CTL_PROG,
		OFFLOADMOD_POLICY_GSO_MAX_SIZE_MIN,
		OFFLOADMOD_POLICY_GSO_MAX_SIZE_MAX,
		OFFLOADMOD_POLICY_GSO_MAX_SEGS_MAX,
		OFFLOADMOD_POLICY_BUSY_POLL_MAX);
}

static int do_policy(int argc, char **argv)
{
	enum { SET, SHOW, DEL, HELP };
	static const char *const cmds[] = {
		[SET] = "set", [SHOW] = "show", [DEL] = "del",
		[HELP] = "help", NULL,
	};
	int cmd = SHOW;

	if (argc > 0) {
		cmd = ctl_lookup(argv[0], cmds);
		if (cmd < 0)
			return ctl_usage_err(POLICY_SYNOPSIS,
					     "%s command \"%s\" for policy",
					     cmd == -2 ? "ambiguous" : "unknown",
					     argv[0]);
		argc--;
		argv++;
	}
	if (cmd == HELP) {
		if (argc > 0)
			return ctl_usage_err(POLICY_SYNOPSIS,
					     "unexpected argument \"%s\"",
					     argv[0]);
		policy_usage(stdout);
		return CTL_EXIT_OK;
	}
	return policy_cmd(cmds[cmd], argc, argv);
}

const struct ctl_object ctl_obj_policy = {
	.name		= "policy",
	.synopsis	= POLICY_SYNOPSIS,
	.run		= do_policy,
};
