// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl fastpath { enable | disable | show } TARGET: the tc eBPF
 * container fast path (bpf/fastpath.bpf.c). This file is the command
 * line and the printing; fastpath_bpf.c does the work.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "fastpath.h"
#include "output.h"

#define FP_SYNOPSIS "fastpath { enable | disable | show | help } [ TARGET ]"

static void fastpath_help(void)
{
	printf("Usage: %s [OPTIONS] %s\n"
	       "       %s fastpath enable TARGET\n"
	       "       %s fastpath disable TARGET\n"
	       "       %s fastpath show [ TARGET ]\n"
	       "TARGET := { IFNAME | dev:IFNAME | CGROUP_PATH | CGROUP_ID | CONTAINER_ID }\n"
	       "Container-to-container frames between enabled containers on one bridge\n"
	       "are redirected from the sender's host-side veth into the receiver,\n"
	       "skipping the bridge; everything else takes the normal path.\n",
	       CTL_PROG, FP_SYNOPSIS, CTL_PROG, CTL_PROG, CTL_PROG);
}

int fastpath_parse_args(int argc, char **argv, struct fp_args *a)
{
	static const char *const cmds[] = { "enable", "disable", "show",
					    "help", NULL };
	int idx;

	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return ctl_usage_err(FP_SYNOPSIS, "no COMMAND given");
	idx = ctl_lookup(argv[0], cmds);
	if (idx < 0)
		return ctl_usage_err(FP_SYNOPSIS, "%s command \"%s\"",
				     idx == -2 ? "ambiguous" : "unknown",
				     argv[0]);
	a->cmd = (enum fp_cmd)idx;
	if (a->cmd == FP_CMD_HELP) {
		if (argc > 1)
			return ctl_usage_err(FP_SYNOPSIS,
					     "unexpected argument \"%s\"", argv[1]);
		return CTL_EXIT_OK;
	}
	if (argc > 2)
		return ctl_usage_err(FP_SYNOPSIS, "unexpected argument \"%s\"",
				     argv[2]);
	if (argc == 2) {
		if (!argv[1][0])
			return ctl_usage_err(FP_SYNOPSIS, "empty TARGET");
		a->target = argv[1];
	} else if (a->cmd != FP_CMD_SHOW) {
		return ctl_usage_err(FP_SYNOPSIS, "%s needs a TARGET",
				     cmds[idx]);
	}
	return CTL_EXIT_OK;
}

void fastpath_print(const struct fp_iface *v, size_t n, const char *mode)
{
	char mac[18];
	size_t i;

	open_json_array(PRINT_JSON, NULL);
	for (i = 0; i < n; i++) {
		const struct fp_iface *r = &v[i];

		open_json_object(NULL);
		if (r->name[0])
			print_string(PRINT_ANY, "ifname", "%s", r->name);
		else
			print_string(PRINT_ANY, "ifname", "%s(gone)", NULL);
		print_uint(PRINT_ANY, "ifindex", " ifindex %u", r->ifindex);
		print_bool(PRINT_JSON, "enabled", NULL, r->enabled);
		print_fp(": %s", r->enabled ? "enabled" : "disabled");
		print_bool(PRINT_JSON, "attached", NULL, r->attached);
		if (r->enabled && !r->attached)
			print_fp(" (filter missing: enable again)");
		if (r->has_mac) {
			snprintf(mac, sizeof(mac),
				 "%02x:%02x:%02x:%02x:%02x:%02x", r->mac[0],
				 r->mac[1], r->mac[2], r->mac[3], r->mac[4],
				 r->mac[5]);
			print_string(PRINT_ANY, "peer_mac", " peer %s", mac);
		} else {
			print_string(PRINT_JSON, "peer_mac", NULL, NULL);
		}
		if (r->master[0])
			print_string(PRINT_ANY, "bridge", " bridge %s",
				     r->master);
		else
			print_string(PRINT_JSON, "bridge", NULL, NULL);
		if (r->enabled)
			print_string(PRINT_ANY, "redirect", " redirect %s",
				     mode);
		else
			print_string(PRINT_JSON, "redirect", NULL, NULL);
		print_nl();
		print_u64(PRINT_ANY, "redirected", "    redirected %" PRIu64,
			  r->redirected);
		print_u64(PRINT_ANY, "passed", " passed %" PRIu64, r->passed);
		print_nl();
		close_json_object();
	}
	close_json_array(PRINT_JSON);
}

static int run(int argc, char **argv)
{
	struct fp_iface *rows = NULL;
	struct fp_link *links = NULL;
	struct fp_args a;
	int ret, n = 0, nrows = 0, i;

	ret = fastpath_parse_args(argc, argv, &a);
	if (ret != CTL_EXIT_OK)
		return ret;
	if (a.cmd == FP_CMD_HELP) {
		fastpath_help();
		return CTL_EXIT_OK;
	}
	ret = fp_require_root();
	if (ret != CTL_EXIT_OK)
		return ret;
	if (a.target) {
		n = fp_resolve(a.target, &links);
		if (n < 0)
			return -n;
	}
	switch (a.cmd) {
	case FP_CMD_ENABLE:
	case FP_CMD_DISABLE:
		for (i = 0; i < n && ret == CTL_EXIT_OK; i++)
			ret = a.cmd == FP_CMD_ENABLE ? fp_enable(&links[i]) :
						       fp_disable(&links[i]);
		break;
	case FP_CMD_SHOW:
		ret = fp_show(a.target ? links : NULL, n, &rows, &nrows);
		if (ret == CTL_EXIT_OK)
			fastpath_print(rows, nrows, fp_mode_name());
		break;
	default:
		break;
	}
	free(rows);
	free(links);
	return ret;
}

const struct ctl_object ctl_obj_fastpath = {
	.name		= "fastpath",
	.synopsis	= FP_SYNOPSIS,
	.run		= run,
};
