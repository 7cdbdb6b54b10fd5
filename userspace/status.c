// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl status [show]: what the module says about itself
 * (OFFLOADMOD_CMD_GET_STATUS).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/offloadmod.h>
#include <netlink/genl/genl.h>

#include "ctl.h"
#include "nl.h"
#include "output.h"
#include "status.h"

#define STATUS_SYNOPSIS "status [ show | help ]"

/*
 * Strings may be OFFLOADMOD_NAME_MAX characters plus the NUL (a kernel
 * release can be 64 characters); integers must have exactly their width.
 */
#define STR_POLICY	{ .type = NLA_STRING, .maxlen = OFFLOADMOD_NAME_MAX + 1 }
#define INT_POLICY(t, n) { .type = (t), .maxlen = (n) }

static const struct nla_policy status_policy[OFFLOADMOD_A_STATUS_MAX + 1] = {
	[OFFLOADMOD_A_STATUS_MODULE_VERSION]	= STR_POLICY,
	[OFFLOADMOD_A_STATUS_UAPI_VERSION]	= INT_POLICY(NLA_U32, 4),
	[OFFLOADMOD_A_STATUS_KERNEL_RELEASE]	= STR_POLICY,
	[OFFLOADMOD_A_STATUS_MAX_CGROUPS]	= INT_POLICY(NLA_U32, 4),
	[OFFLOADMOD_A_STATUS_HOOK]		= { .type = NLA_NESTED },
	[OFFLOADMOD_A_STATUS_TRACKED_CGROUPS]	= INT_POLICY(NLA_U32, 4),
	[OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW]	= INT_POLICY(NLA_U64, 8),
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX]	= INT_POLICY(NLA_U64, 8),
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX]	= INT_POLICY(NLA_U64, 8),
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED] = INT_POLICY(NLA_U64, 8),
	[OFFLOADMOD_A_STATUS_ALLOC_FAILURES]	= INT_POLICY(NLA_U64, 8),
	[OFFLOADMOD_A_STATUS_UNSUPPORTED]	= STR_POLICY,
};

/*
 * The optional counters: attribute, JSON key (and text label), and the
 * text line they go on (0: after max_cgroups, 1: a line of their own).
 */
static const struct {
	int attr;
	const char *name;
	int line;
} counters[STATUS_N_COUNTERS] = {
	[STATUS_TRACKED_CGROUPS] = {
		OFFLOADMOD_A_STATUS_TRACKED_CGROUPS, "tracked_cgroups", 0 },
	[STATUS_CGROUP_OVERFLOW] = {
		OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW, "cgroup_overflow", 0 },
	[STATUS_UNATTRIBUTED_RX] = {
		OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX, "unattributed_rx", 1 },
	[STATUS_UNATTRIBUTED_TX] = {
		OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX, "unattributed_tx", 1 },
	[STATUS_UNATTRIBUTED_SCHED] = {
		OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED, "unattributed_sched",
		1 },
	[STATUS_ALLOC_FAILURES] = {
		OFFLOADMOD_A_STATUS_ALLOC_FAILURES, "alloc_failures", 1 },
};

static const struct nla_policy hook_policy[OFFLOADMOD_A_HOOK_MAX + 1] = {
	[OFFLOADMOD_A_HOOK_NAME]		= STR_POLICY,
	[OFFLOADMOD_A_HOOK_AVAILABLE]		= INT_POLICY(NLA_U8, 1),
	[OFFLOADMOD_A_HOOK_ATTACHED]		= INT_POLICY(NLA_U8, 1),
	[OFFLOADMOD_A_HOOK_INVOCATIONS]		= INT_POLICY(NLA_U64, 8),
};

static int missing(const char *what, const char *attr)
{
	ctl_err("malformed %s from kernel: no %s attribute", what, attr);
	return -EINVAL;
}

static int parse_hook(struct nlattr *nest, struct status_hook *hook)
{
	struct nlattr *tb[OFFLOADMOD_A_HOOK_MAX + 1];
	int err;

	err = omnl_parse_nested(tb, OFFLOADMOD_A_HOOK_MAX, nest, hook_policy,
				"hook");
	if (err)
		return err;
	if (!tb[OFFLOADMOD_A_HOOK_NAME])
		return missing("hook", "name");
	hook->name = strdup(nla_get_string(tb[OFFLOADMOD_A_HOOK_NAME]));
	if (!hook->name)
		return -ENOMEM;
	if (tb[OFFLOADMOD_A_HOOK_AVAILABLE])
		hook->available = nla_get_u8(tb[OFFLOADMOD_A_HOOK_AVAILABLE]);
	if (tb[OFFLOADMOD_A_HOOK_ATTACHED])
		hook->attached = nla_get_u8(tb[OFFLOADMOD_A_HOOK_ATTACHED]);
	if (tb[OFFLOADMOD_A_HOOK_INVOCATIONS])
		hook->invocations =
			nla_get_u64(tb[OFFLOADMOD_A_HOOK_INVOCATIONS]);
	return 0;
}

/* unsupported is multi-attr too: keep every one, in order. */
static int parse_unsupported(struct nlmsghdr *nlh, struct status_info *st)
{
	struct nlattr *a;
	size_t n = 0;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
			  genlmsg_attrlen(genlmsg_hdr(nlh), 0), rem)
		if (nla_type(a) == OFFLOADMOD_A_STATUS_UNSUPPORTED)
			n++;
	if (!n)
		return 0;
	st->unsupported = calloc(n, sizeof(*st->unsupported));
	if (!st->unsupported)
		return -ENOMEM;
	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
			  genlmsg_attrlen(genlmsg_hdr(nlh), 0), rem) {
		if (nla_type(a) != OFFLOADMOD_A_STATUS_UNSUPPORTED)
			continue;
		st->unsupported[st->n_unsupported] = strdup(nla_get_string(a));
		if (!st->unsupported[st->n_unsupported])
			return -ENOMEM;
		st->n_unsupported++;
	}
	return 0;
}

int status_parse(struct nl_msg *msg, struct status_info *st)
{
	struct nlattr *tb[OFFLOADMOD_A_STATUS_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a;
	size_t n = 0;
	int err, rem, i;

	if (st->received)	/* one reply per request; ignore extras */
		return 0;
	err = omnl_parse(msg, tb, OFFLOADMOD_A_STATUS_MAX, status_policy,
			 "status reply");
	if (err)
		return err;
	if (!tb[OFFLOADMOD_A_STATUS_MODULE_VERSION])
		return missing("status reply", "module-version");
	if (!tb[OFFLOADMOD_A_STATUS_UAPI_VERSION])
		return missing("status reply", "uapi-version");
	if (!tb[OFFLOADMOD_A_STATUS_KERNEL_RELEASE])
		return missing("status reply", "kernel-release");
	if (!tb[OFFLOADMOD_A_STATUS_MAX_CGROUPS])
		return missing("status reply", "max-cgroups");

	st->module_version =
		strdup(nla_get_string(tb[OFFLOADMOD_A_STATUS_MODULE_VERSION]));
	st->kernel_release =
		strdup(nla_get_string(tb[OFFLOADMOD_A_STATUS_KERNEL_RELEASE]));
	if (!st->module_version || !st->kernel_release)
		goto nomem;
	st->uapi_version = nla_get_u32(tb[OFFLOADMOD_A_STATUS_UAPI_VERSION]);
	st->max_cgroups = nla_get_u32(tb[OFFLOADMOD_A_STATUS_MAX_CGROUPS]);
	for (i = 0; i < STATUS_N_COUNTERS; i++) {
		a = tb[counters[i].attr];
		if (!a)
			continue;
		st->has_counter[i] = true;
		st->counters[i] = i == STATUS_TRACKED_CGROUPS ? nla_get_u32(a) :
				  nla_get_u64(a);
	}

	/* hook is multi-attr: tb[] only holds the last one, so walk all. */
	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
			  genlmsg_attrlen(genlmsg_hdr(nlh), 0), rem)
		if (nla_type(a) == OFFLOADMOD_A_STATUS_HOOK)
			n++;
	if (n) {
		st->hooks = calloc(n, sizeof(*st->hooks));
		if (!st->hooks)
			goto nomem;
	}
	nla_for_each_attr(a, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
			  genlmsg_attrlen(genlmsg_hdr(nlh), 0), rem) {
		if (nla_type(a) != OFFLOADMOD_A_STATUS_HOOK)
			continue;
		/* Count hooks as they are filled so status_free sees them. */
		err = parse_hook(a, &st->hooks[st->n_hooks++]);
		if (err == -ENOMEM)
			goto nomem;
		if (err)
			return err;
	}
	if (parse_unsupported(nlh, st))
		goto nomem;
	st->received = true;
	return 0;
nomem:
	ctl_err("%s", strerror(ENOMEM));
	return -ENOMEM;
}

void status_free(struct status_info *st)
{
	size_t i;

	for (i = 0; i < st->n_hooks; i++)
		free(st->hooks[i].name);
	free(st->hooks);
	for (i = 0; i < st->n_unsupported; i++)
		free(st->unsupported[i]);
	free(st->unsupported);
	free(st->module_version);
	free(st->kernel_release);
	memset(st, 0, sizeof(*st));
}

bool status_check_version(const struct status_info *st)
{
	if (st->uapi_version == OFFLOADMOD_FAMILY_VERSION)
		return true;
	ctl_warn("the module speaks uapi version %u, this tool was built for %u; output may be incomplete",
		 st->uapi_version, OFFLOADMOD_FAMILY_VERSION);
	return false;
}

/* Column width of hook names: fits the longest, at least the old 24. */
static int hook_width(const struct status_info *st)
{
	size_t w = 24, i;

	for (i = 0; i < st->n_hooks; i++)
		if (strlen(st->hooks[i].name) > w)
			w = strlen(st->hooks[i].name);
	return (int)w;
}

void status_print(const struct status_info *st)
{
	int w = hook_width(st);
	char name_fmt[16];
	int line = 0;
	size_t i;

	snprintf(name_fmt, sizeof(name_fmt), "%%-%ds ", w);

	open_json_object(NULL);
	print_string(PRINT_ANY, "module_version", "offloadmod %s",
		     st->module_version);
	print_uint(PRINT_ANY, "uapi_version", "  uapi %u", st->uapi_version);
	print_string(PRINT_ANY, "kernel_release", "  kernel %s",
		     st->kernel_release);
	print_nl();
	print_uint(PRINT_ANY, "max_cgroups", "max_cgroups %u", st->max_cgroups);
	for (i = 0; i < STATUS_N_COUNTERS; i++) {
		if (!st->has_counter[i])
			continue;
		if (counters[i].line > line) {
			print_nl();
			line = counters[i].line;
		} else {
			print_fp("  ");
		}
		print_fp("%s ", counters[i].name);
		print_u64(PRINT_ANY, counters[i].name, "%" PRIu64,
			  st->counters[i]);
	}
	print_nl();

	/* Only when the module reports any (older modules never do). */
	if (st->n_unsupported) {
		print_fp("unsupported on this kernel:");
		open_json_array(PRINT_JSON, "unsupported");
		for (i = 0; i < st->n_unsupported; i++)
			print_string(PRINT_ANY, NULL, " %s",
				     st->unsupported[i]);
		close_json_array(PRINT_JSON);
		print_nl();
	}

	if (st->n_hooks)
		print_fp("%-*s %-9s %-8s %s\n", w, "hook", "available",
			 "attached", "invocations");
	open_json_array(PRINT_JSON, "hooks");
	for (i = 0; i < st->n_hooks; i++) {
		const struct status_hook *h = &st->hooks[i];

		open_json_object(NULL);
		print_string(PRINT_ANY, "name", name_fmt, h->name);
		print_bool(PRINT_ANY, "available", "%-9s ", h->available);
		print_bool(PRINT_ANY, "attached", "%-8s ", h->attached);
		print_u64(PRINT_ANY, "invocations", "%" PRIu64, h->invocations);
		print_nl();
		close_json_object();
	}
	close_json_array(PRINT_JSON);
	close_json_object();
}

static int reply_cb(struct nl_msg *msg, void *arg)
{
	return status_parse(msg, arg);
}

static int status_show(void)
{
	struct status_info st = { 0 };
	struct nl_msg *msg;
	struct omnl *nl;
	int err;

	nl = omnl_open();
	if (!nl)
		return CTL_EXIT_FAIL;
	msg = omnl_msg_new(nl, OFFLOADMOD_CMD_GET_STATUS, 0);
	err = msg ? omnl_request(nl, msg, reply_cb, &st) : -ENOMEM;
	omnl_close(nl);
	if (!err && !st.received) {
		ctl_err("the kernel acknowledged get-status without a reply");
		err = -EPROTO;
	}
	if (err) {
		status_free(&st);
		return CTL_EXIT_FAIL;
	}
	status_check_version(&st);
	status_print(&st);
	status_free(&st);
	return CTL_EXIT_OK;
}

static void status_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [OPTIONS] status [ show ]\n"
		"       %s [OPTIONS] status help\n"
		"Show the module version, uapi version, kernel release, limits,\n"
		"the state of every kernel hook and the features the running\n"
		"kernel lacks.\n",
		CTL_PROG, CTL_PROG);
}

static int do_status(int argc, char **argv)
{
	static const char *const cmds[] = { "show", "list", "help", NULL };
	int cmd = 0;

	if (argc > 0) {
		cmd = ctl_lookup(argv[0], cmds);
		if (cmd < 0)
			return ctl_usage_err(STATUS_SYNOPSIS,
					     "%s command \"%s\" for status",
					     cmd == -2 ? "ambiguous" : "unknown",
					     argv[0]);
		argc--;
		argv++;
	}
	if (argc > 0)
		return ctl_usage_err(STATUS_SYNOPSIS,
				     "unexpected argument \"%s\"", argv[0]);
	if (cmd == 2) {
		status_usage(stdout);
		return CTL_EXIT_OK;
	}
	return status_show();
}

const struct ctl_object ctl_obj_status = {
	.name		= "status",
	.synopsis	= STATUS_SYNOPSIS,
	.run		= do_status,
};
