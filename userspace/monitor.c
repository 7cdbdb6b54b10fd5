// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl monitor: print every policy change as the kernel
 * announces it on the "monitor" multicast group (POLICY_NTF,
 * POLICY_DEL_NTF, DEV_NTF, DEV_DEL_NTF), one line (or one JSON object)
 * per event, flushed at once, until SIGINT/SIGTERM or count events.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <linux/offloadmod.h>
#include <netlink/genl/genl.h>

#include "ctl.h"
#include "nl.h"
#include "output.h"
#include "policy.h"

#define MONITOR_SYNOPSIS "monitor [ count N ]"

static volatile sig_atomic_t monitor_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

int monitor_print_msg(struct nl_msg *msg)
{
	struct policy_list pl = { 0 };
	struct dev_list dl = { 0 };
	const char *event;
	int err;

	switch (genlmsg_hdr(nlmsg_hdr(msg))->cmd) {
	case OFFLOADMOD_CMD_POLICY_NTF:
		event = "policy-set";
		break;
	case OFFLOADMOD_CMD_POLICY_DEL_NTF:
		event = "policy-del";
		break;
	case OFFLOADMOD_CMD_DEV_NTF:
		event = "dev-set";
		break;
	case OFFLOADMOD_CMD_DEV_DEL_NTF:
		event = "dev-del";
		break;
	default:
		return 0;	/* a newer module's notification */
	}
	if (event[0] == 'p') {
		err = policy_parse(msg, &pl);
		if (!err)
			policy_print_event(event, &pl.v[0]);
		policy_list_free(&pl);
	} else {
		err = dev_parse(msg, &dl);
		if (!err)
			dev_print_event(event, &dl.v[0]);
		dev_list_free(&dl);
	}
	return err ? err : 1;
}

struct monitor_state {
	unsigned long count;	/* 0: no limit */
	unsigned long seen;
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct monitor_state *st = arg;
	int ret;

	/* The rest of a batch after the last event wanted is dropped. */
	if (st->count && st->seen >= st->count)
		return 0;
	ret = monitor_print_msg(msg);
	/* A malformed notification is reported and skipped. */
	if (ret == -ENOMEM)
		return ret;
	if (ret > 0) {
		st->seen++;
		fflush(stdout);
	}
	return 0;
}

static int parse_monitor(int argc, char **argv, unsigned long *count)
{
	static const char *const words[] = { "count", NULL };
	uint64_t v;
	int i;

	for (i = 0; i < argc; i++) {
		if (ctl_lookup(argv[i], words) < 0)
			return ctl_usage_err(MONITOR_SYNOPSIS,
					     "unexpected argument \"%s\"",
					     argv[i]);
		if (*count)
			return ctl_usage_err(MONITOR_SYNOPSIS,
					     "\"count\" given twice");
		if (i + 1 >= argc)
			return ctl_usage_err(MONITOR_SYNOPSIS,
					     "count needs a value");
		i++;
		if (!ctl_parse_u64(argv[i], 1, ULONG_MAX, &v))
			return ctl_usage_err(MONITOR_SYNOPSIS,
					     "invalid count \"%s\": a number of events, at least 1",
					     argv[i]);
		*count = (unsigned long)v;
	}
	return CTL_EXIT_OK;
}

/* Wait for and print events until told to stop; a CTL_EXIT_* status. */
static int monitor_loop(struct omnl *nl, struct monitor_state *st)
{
	struct pollfd pfd = { .fd = omnl_fd(nl), .events = POLLIN };
	sigset_t block, orig, wait_mask;
	int ret = CTL_EXIT_OK, err;

	/* Signals are let in only while waiting: none is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	wait_mask = orig;
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	while (!monitor_stop && (!st->count || st->seen < st->count)) {
		if (ppoll(&pfd, 1, NULL, &wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			ctl_err("poll: %s", strerror(errno));
			ret = CTL_EXIT_FAIL;
			break;
		}
		err = omnl_receive(nl, event_cb, st);
		if (err == -ENOBUFS) {
			ctl_warn("some notifications were lost: they came faster than they were read");
		} else if (err) {
			ret = CTL_EXIT_FAIL;
			break;
		}
		/* A write error is main()'s to report. */
		if (ferror(stdout))
			break;
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return ret;
}

static int monitor_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct sigaction old_int, old_term;
	struct monitor_state st = { 0 };
	struct omnl *nl;
	int ret;

	ret = parse_monitor(argc, argv, &st.count);
	if (ret)
		return ret;
	nl = omnl_open();
	if (!nl)
		return CTL_EXIT_FAIL;
	if (omnl_subscribe(nl, OFFLOADMOD_MCGRP_MONITOR)) {
		omnl_close(nl);
		return CTL_EXIT_FAIL;
	}
	monitor_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = monitor_loop(nl, &st);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	omnl_close(nl);
	return ret;
}

static void monitor_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [OPTIONS] " MONITOR_SYNOPSIS "\n"
		"       %s [OPTIONS] monitor help\n"
		"Print every change of a cgroup or interface policy as it happens:\n"
		"policy-set, policy-del, dev-set, dev-del, one line each (with -j\n"
		"one JSON object per line). Runs until SIGINT or SIGTERM, or until\n"
		"N events were printed.\n",
		CTL_PROG, CTL_PROG);
}

static int do_monitor(int argc, char **argv)
{
	if (argc > 0 && !strcmp(argv[0], "help")) {
		if (argc > 1)
			return ctl_usage_err(MONITOR_SYNOPSIS,
					     "unexpected argument \"%s\"",
					     argv[1]);
		monitor_usage(stdout);
		return CTL_EXIT_OK;
	}
	return monitor_run(argc, argv);
}

const struct ctl_object ctl_obj_monitor = {
	.name		= "monitor",
	.synopsis	= MONITOR_SYNOPSIS,
	.run		= do_monitor,
};
