// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl stats { show | hist | top | reset }: latency histograms
 * and packet counters per cgroup (OFFLOADMOD_CMD_STATS_GET / _RESET).
 * Decoding is in stats_decode.c, printing in stats_print.c, the math in
 * hist.c; this file parses the command line and talks to the kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/offloadmod.h>

#include "ctl.h"
#include "nl.h"
#include "output.h"
#include "stats.h"
#include "target.h"

#define STATS_SYNOPSIS	"stats { show | hist | top | reset | help } [ ARGS ]"
#define SHOW_SYNOPSIS	"stats show [ TARGET [ recursive ] ]"
#define HIST_SYNOPSIS	"stats hist TARGET STAGE [ recursive ]"
#define RESET_SYNOPSIS	"stats reset [ TARGET [ recursive ] ]"

#define STAGE_LIST	"rx_stack, rx_wait, tx_stack, tx_qdisc, sched_wait"

/* A dump interrupted by cgroups coming or going is tried this often. */
#define DUMP_TRIES	3

/* The command line of show, hist and reset. */
struct stats_args {
	const char *spec;	/* TARGET as given, or NULL */
	struct target t;	/* resolved spec */
	bool recursive;
	int stage;		/* hist */
};

static int reply_cb(struct nl_msg *msg, void *arg)
{
	return stats_parse(msg, arg);
}

/*
 * "TARGET [ recursive ]" and, with need_stage, "TARGET STAGE
 * [ recursive ]". "recursive" is a keyword only when spelled out, so a
 * cgroup of another name is never mistaken for it (path:recursive names
 * a cgroup called that).
 */
static int parse_args(int argc, char **argv, const char *syn, bool need_stage,
		      struct stats_args *a)
{
	const char *stage = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "recursive") && !a->recursive)
			a->recursive = true;
		else if (!strcmp(argv[i], "recursive"))
			return ctl_usage_err(syn, "\"recursive\" given twice");
		else if (!a->spec)
			a->spec = argv[i];
		else if (need_stage && !stage)
			stage = argv[i];
		else
			return ctl_usage_err(syn, "unexpected argument \"%s\"",
					     argv[i]);
	}
	if (need_stage && !a->spec)
		return ctl_usage_err(syn, "no TARGET given");
	if (need_stage && !stage)
		return ctl_usage_err(syn, "no STAGE given (one of %s)",
				     STAGE_LIST);
	if (a->recursive && !a->spec)
		return ctl_usage_err(syn, "\"recursive\" needs a TARGET");
	if (stage) {
		a->stage = ctl_lookup(stage, stats_stage_names);
		if (a->stage < 0)
			return ctl_usage_err(syn, "%s stage \"%s\"",
					     a->stage == -2 ? "ambiguous" :
					     "unknown", stage);
	}
	return CTL_EXIT_OK;
}

/* Resolve a->spec (if given) to a cgroup; a CTL_EXIT_* status. */
static int resolve(struct stats_args *a, const char *syn)
{
	char err[512];
	int ret;

	if (!a->spec)
		return CTL_EXIT_OK;
	ret = target_resolve(a->spec, &a->t, err, sizeof(err));
	if (!ret)
		return CTL_EXIT_OK;
	if (target_exit_status(ret) == CTL_EXIT_USAGE)
		return ctl_usage_err(syn, "%s", err);
	ctl_err("%s", err);
	return CTL_EXIT_FAIL;
}

/* A request naming the target of a (if any); NULL is reported. */
static struct nl_msg *target_msg(struct omnl *nl, uint8_t cmd,
				 const struct stats_args *a)
{
	struct nl_msg *msg = omnl_msg_new(nl, cmd, 0);

	if (!msg || !a->spec)
		return msg;
	if (nla_put_u64(msg, OFFLOADMOD_A_STATS_CGROUP_ID, a->t.cgroup_id) ||
	    (a->recursive && nla_put_flag(msg, OFFLOADMOD_A_STATS_RECURSIVE))) {
		nlmsg_free(msg);
		ctl_err("cannot build netlink request: %s", strerror(EMSGSIZE));
		return NULL;
	}
	return msg;
}

/*
 * The kernel knows no cgroup of that id (a cgroup with no events yet
 * has all-zero stats): say which one we asked about.
 */
static void no_cgroup(const struct stats_args *a)
{
	ctl_err("no stats for \"%s\": the kernel has no cgroup %s (id %" PRIu64 "); was it removed?",
		a->spec, a->t.path, a->t.cgroup_id);
}

/* Stats of the target of a. 0 or a negative errno (reported). */
static int fetch_one(struct omnl *nl, const struct stats_args *a,
		     struct stats_list *list)
{
	struct nl_msg *msg = target_msg(nl, OFFLOADMOD_CMD_STATS_GET, a);
	int err;

	err = msg ? omnl_request(nl, msg, reply_cb, list) : -ENOMEM;
	if (err == -ENOENT)
		no_cgroup(a);
	if (!err && !list->n) {
		ctl_err("the kernel acknowledged stats-get without a reply");
		err = -EPROTO;
	}
	if (!err && !list->v[0].path[0]) {
		/* Name it at least as the user did. */
		free(list->v[0].path);
		list->v[0].path = strdup(a->t.path);
		if (!list->v[0].path) {
			ctl_err("%s", strerror(ENOMEM));
			err = -ENOMEM;
		}
	}
	return err;
}

/*
 * Stats of every tracked cgroup. A dump that cgroups coming or going
 * interrupted is done again, up to DUMP_TRIES times, then shown with a
 * warning.
 */
int stats_fetch_all(struct omnl *nl, struct stats_list *list)
{
	struct nl_msg *msg;
	int err, try;

	omnl_set_dump_intr_warning(nl, false);
	for (try = 1; ; try++) {
		msg = omnl_msg_new(nl, OFFLOADMOD_CMD_STATS_GET, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		err = omnl_request(nl, msg, reply_cb, list);
		if (err || !omnl_dump_interrupted(nl))
			return err;
		if (try == DUMP_TRIES)
			break;
		stats_list_free(list);
	}
	ctl_warn("the stats dump was interrupted %d times by cgroups coming or going; some may be missing or listed twice",
		 DUMP_TRIES);
	return 0;
}

static int stats_show(int argc, char **argv)
{
	struct stats_args a = { 0 };
	struct stats_list list = { 0 };
	struct omnl *nl;
	int ret, err;

	ret = parse_args(argc, argv, SHOW_SYNOPSIS, false, &a);
	if (!ret)
		ret = resolve(&a, SHOW_SYNOPSIS);
	if (ret)
		return ret;
	nl = omnl_open();
	if (!nl) {
		target_free(&a.t);
		return CTL_EXIT_FAIL;
	}
	err = a.spec ? fetch_one(nl, &a, &list) :
		       stats_fetch_all(nl, &list);
	omnl_close(nl);
	if (!err)
		stats_print_show(&list, NULL);
	stats_list_free(&list);
	target_free(&a.t);
	return err ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static int stats_hist(int argc, char **argv)
{
	struct stats_args a = { 0 };
	struct stats_list list = { 0 };
	struct omnl *nl;
	int ret, err;

	ret = parse_args(argc, argv, HIST_SYNOPSIS, true, &a);
	if (!ret)
		ret = resolve(&a, HIST_SYNOPSIS);
	if (ret)
		return ret;
	nl = omnl_open();
	if (!nl) {
		target_free(&a.t);
		return CTL_EXIT_FAIL;
	}
	err = fetch_one(nl, &a, &list);
	omnl_close(nl);
	if (!err)
		stats_print_hist(&list.v[0], (unsigned int)a.stage);
	stats_list_free(&list);
	target_free(&a.t);
	return err ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static int stats_reset(int argc, char **argv)
{
	struct stats_args a = { 0 };
	struct nl_msg *msg;
	struct omnl *nl;
	int ret, err;

	ret = parse_args(argc, argv, RESET_SYNOPSIS, false, &a);
	if (!ret)
		ret = resolve(&a, RESET_SYNOPSIS);
	if (ret)
		return ret;
	nl = omnl_open();
	if (!nl) {
		target_free(&a.t);
		return CTL_EXIT_FAIL;
	}
	msg = target_msg(nl, OFFLOADMOD_CMD_STATS_RESET, &a);
	err = msg ? omnl_request(nl, msg, NULL, NULL) : -ENOMEM;
	omnl_close(nl);
	if (err == -EPERM)
		ctl_err("resetting stats needs CAP_NET_ADMIN");
	else if (err == -ENOENT && a.spec)
		no_cgroup(&a);
	target_free(&a.t);
	return err ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static void stats_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [OPTIONS] " SHOW_SYNOPSIS "\n"
		"       %s [OPTIONS] " HIST_SYNOPSIS "\n"
		"       %s [OPTIONS] " STATS_TOP_SYNOPSIS "\n"
		"       %s [OPTIONS] " RESET_SYNOPSIS "\n"
		"       %s [OPTIONS] stats help\n"
		"where  STAGE := { rx_stack | rx_wait | tx_stack | tx_qdisc | sched_wait }\n"
		"Latency percentiles and packet counters per cgroup: of TARGET\n"
		"(and its descendants with recursive), or of every tracked cgroup.\n"
		"hist draws the histogram of one stage; top refreshes every\n"
		"interval (default 1 s), worst p99 first; reset zeroes the stats\n"
		"(needs CAP_NET_ADMIN). TARGET: a cgroup path, cgroup id or\n"
		"container id, see offloadmod-ctl(8).\n",
		CTL_PROG, CTL_PROG, CTL_PROG, CTL_PROG, CTL_PROG);
}

static int do_stats(int argc, char **argv)
{
	enum { SHOW, HIST, TOP, RESET, HELP };
	static const char *const cmds[] = {
		[SHOW] = "show", [HIST] = "hist", [TOP] = "top",
		[RESET] = "reset", [HELP] = "help", NULL,
	};
	int cmd = SHOW;

	if (argc > 0) {
		cmd = ctl_lookup(argv[0], cmds);
		if (cmd < 0)
			return ctl_usage_err(STATS_SYNOPSIS,
					     "%s command \"%s\" for stats",
					     cmd == -2 ? "ambiguous" : "unknown",
					     argv[0]);
		argc--;
		argv++;
	}
	switch (cmd) {
	case HIST:
		return stats_hist(argc, argv);
	case TOP:
		return stats_top(argc, argv);
	case RESET:
		return stats_reset(argc, argv);
	case HELP:
		if (argc > 0)
			return ctl_usage_err(STATS_SYNOPSIS,
					     "unexpected argument \"%s\"",
					     argv[0]);
		stats_usage(stdout);
		return CTL_EXIT_OK;
	default:
		return stats_show(argc, argv);
	}
}

const struct ctl_object ctl_obj_stats = {
	.name		= "stats",
	.synopsis	= STATS_SYNOPSIS,
	.run		= do_stats,
};
