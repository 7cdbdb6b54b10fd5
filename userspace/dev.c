// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl dev { set | show | del }: offload policies of the
 * interfaces whose names match a pattern, in one network namespace
 * (OFFLOADMOD_CMD_DEV_SET / _GET / _DEL). The namespace travels as an
 * open file descriptor (netns.c); replies name it by inode number.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/offloadmod.h>

#include "ctl.h"
#include "netns.h"
#include "nl.h"
#include "output.h"
#include "policy.h"
#include "target.h"

#define DEV_SYNOPSIS	"dev { set | show | del | help } [ ARGS ]"

static int reply_cb(struct nl_msg *msg, void *arg)
{
	return dev_parse(msg, arg);
}

static void reset_list(void *arg)
{
	dev_list_free(arg);
}

/* Open a->netns into ns (if given); a CTL_EXIT_* status (reported). */
static int open_netns(const struct dev_args *a, struct netns *ns,
		      const char *syn)
{
	char err[512];
	int ret;

	ns->fd = -1;
	if (!a->netns)
		return CTL_EXIT_OK;
	ret = netns_open(a->netns, ns, err, sizeof(err));
	if (!ret)
		return CTL_EXIT_OK;
	if (target_exit_status(ret) == CTL_EXIT_USAGE)
		return ctl_usage_err(syn, "%s", err);
	ctl_err("%s", err);
	return CTL_EXIT_FAIL;
}

static void explain(int err, const char *cmd, const struct dev_args *a)
{
	switch (err) {
	case -EPERM:
		ctl_err("changing interface policies needs CAP_NET_ADMIN in the initial user namespace");
		break;
	case -EOPNOTSUPP:
		ctl_err("the loaded offloadmod module does not support interface policies: is it older than offloadmod-ctl?");
		break;
	case -ENOENT:
		if (strcmp(cmd, "set") && a->pattern)
			ctl_err("no interface policy \"%s\" in %s%s%s",
				a->pattern, a->netns ? "network namespace \"" :
				"this network namespace", a->netns ? a->netns : "",
				a->netns ? "\"" : "");
		break;
	}
}

/* The request of cmd for a; NULL reported. */
static struct nl_msg *request(struct omnl *nl, uint8_t cmd, int flags,
			      const struct dev_args *a, const struct netns *ns)
{
	struct nl_msg *msg = omnl_msg_new(nl, cmd, flags);

	if (!msg)
		return NULL;
	if ((a->pattern &&
	     nla_put_string(msg, OFFLOADMOD_A_DEV_PATTERN, a->pattern)) ||
	    (ns->fd >= 0 &&
	     nla_put_u32(msg, OFFLOADMOD_A_DEV_NETNS_FD, (uint32_t)ns->fd)) ||
	    dev_put_settings(msg, &a->set)) {
		nlmsg_free(msg);
		ctl_err("cannot build netlink request: %s", strerror(EMSGSIZE));
		return NULL;
	}
	return msg;
}

/* Keep only the policies of namespace inum. */
static void filter_netns(struct dev_list *list, uint32_t inum)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++) {
		if (list->v[i].netns_inum == inum)
			list->v[n++] = list->v[i];
		else
			dev_info_free(&list->v[i]);
	}
	list->n = n;
}

static int dev_show(struct omnl *nl, const struct dev_args *a,
		    const struct netns *ns, struct dev_list *list)
{
	struct nl_msg *msg;
	int err;

	if (!a->pattern) {
		err = policy_dump(nl, OFFLOADMOD_CMD_DEV_GET, reply_cb, list,
				  reset_list, "interface policy");
		if (!err && ns->fd >= 0)
			filter_netns(list, ns->inum);
		return err;
	}
	msg = request(nl, OFFLOADMOD_CMD_DEV_GET, 0, a, ns);
	err = msg ? omnl_request(nl, msg, reply_cb, list) : -ENOMEM;
	if (!err && !list->n) {
		ctl_err("the kernel acknowledged dev-get without a reply");
		err = -EPROTO;
	}
	return err;
}

/* set, show or del. */
static int dev_cmd(const char *cmd, int argc, char **argv)
{
	struct dev_list list = { 0 };
	struct dev_args a;
	struct netns ns = { .fd = -1 };
	struct nl_msg *msg;
	struct omnl *nl;
	int ret, err;

	ret = dev_parse_args(cmd, argc, argv, &a);
	if (!ret)
		ret = open_netns(&a, &ns, !strcmp(cmd, "set") ? DEV_SET_SYNOPSIS :
				 !strcmp(cmd, "del") ? DEV_DEL_SYNOPSIS :
				 DEV_SHOW_SYNOPSIS);
	if (ret)
		return ret;
	nl = omnl_open();
	if (!nl) {
		netns_close(&ns);
		return CTL_EXIT_FAIL;
	}
	if (!strcmp(cmd, "show")) {
		err = dev_show(nl, &a, &ns, &list);
	} else {
		msg = request(nl, !strcmp(cmd, "set") ? OFFLOADMOD_CMD_DEV_SET :
			      OFFLOADMOD_CMD_DEV_DEL, 0, &a, &ns);
		err = msg ? omnl_request(nl, msg, NULL, NULL) : -ENOMEM;
	}
	omnl_close(nl);
	netns_close(&ns);
	explain(err, cmd, &a);
	if (!err && !strcmp(cmd, "show"))
		dev_print_list(&list);
	dev_list_free(&list);
	return err ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static void dev_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [OPTIONS] " DEV_SET_SYNOPSIS "\n"
		"       %s [OPTIONS] " DEV_SHOW_SYNOPSIS "\n"
		"       %s [OPTIONS] " DEV_DEL_SYNOPSIS "\n"
		"       %s [OPTIONS] dev help\n"
		"where  SETTING := { FEATURE { on | off } | gso-max-size BYTES |\n"
		"                    gro-max-size BYTES | gro-flush-timeout NSEC |\n"
		"                    napi-defer-hard-irqs N }\n"
		"       FEATURE := { tso | gso | gro | lro | rx-gro-hw | tx-checksumming }\n"
		"       NS := { NAME | PATH | CONTAINER-ID }\n"
		"Offload settings for the interfaces whose names match PATTERN (a\n"
		"glob, e.g. 'veth*') in network namespace NS (default: this one),\n"
		"applied as ethtool -K would, and again to matching interfaces that\n"
		"appear later; del restores what the policy changed. show lists\n"
		"every interface policy (of NS only, if given), or the one of\n"
		"PATTERN. set and del need CAP_NET_ADMIN. NS: a name under\n"
		"%s, a path to a netns file, or a container id.\n",
		CTL_PROG, CTL_PROG, CTL_PROG, CTL_PROG, NETNS_RUN_DIR);
}

static int do_dev(int argc, char **argv)
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
			return ctl_usage_err(DEV_SYNOPSIS,
					     "%s command \"%s\" for dev",
					     cmd == -2 ? "ambiguous" : "unknown",
					     argv[0]);
		argc--;
		argv++;
	}
	if (cmd == HELP) {
		if (argc > 0)
			return ctl_usage_err(DEV_SYNOPSIS,
					     "unexpected argument \"%s\"",
					     argv[0]);
		dev_usage(stdout);
		return CTL_EXIT_OK;
	}
	return dev_cmd(cmds[cmd], argc, argv);
}

const struct ctl_object ctl_obj_dev = {
	.name		= "dev",
	.synopsis	= DEV_SYNOPSIS,
	.run		= do_dev,
};
