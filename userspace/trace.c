// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl trace: the module's per-cgroup stage histograms measured
 * by an eBPF tracer instead (../bpf/trace.bpf.c), for hosts that cannot
 * load the module. Collects until Ctrl-C, SIGTERM or the duration, then
 * prints what "stats show" prints (same table, same JSON fields), for
 * every cgroup seen, or for the TARGETs given and their descendants; plus
 * each stage's availability: a kernel may not let the tracer hook
 * everything, and a stage it cannot measure is said so, not shown as 0.
 */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "output.h"
#include "target.h"
#include "trace_agg.h"
#include "trace_avail.h"
#include "trace_bpf.h"

#define TRACE_SYNOPSIS "trace [ duration SECONDS ] [ TARGET ... ]"
#define TRACE_BTF_DEFAULT "/sys/kernel/btf/vmlinux"
#define TRACE_MAX_SECONDS (365ULL * 24 * 3600)

static volatile sig_atomic_t trace_stop;

static void on_signal(int sig)
{
	(void)sig;
	trace_stop = 1;
}

static void trace_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: %s [OPTIONS] %s\n"
		"       %s [OPTIONS] trace help\n"
		"Measure the per-cgroup latency stages with eBPF, without the\n"
		"module, until Ctrl-C (SIGINT), SIGTERM or SECONDS have passed;\n"
		"then print them as \"stats show\" does: every cgroup seen, or\n"
		"only the TARGETs (cgroup path, id or container id) and their\n"
		"descendants. Needs root and kernel BTF. A stage this kernel does\n"
		"not let it hook is reported as unavailable, with the reason.\n",
		CTL_PROG, TRACE_SYNOPSIS, CTL_PROG);
}

/* The cgroup2 tree, id -> path, filled by one walk after tracing. */
static struct {
	const char *root;
	size_t root_len;
	struct stats_list *list;
} walk_ctx;

static int walk_one(const char *fpath, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	const char *rel = fpath + walk_ctx.root_len;
	struct stats_list *list = walk_ctx.list;
	size_t i;
	char *p;

	(void)ftw;
	if (flag != FTW_D)
		return 0;
	for (i = 0; i < list->n; i++) {
		if (list->v[i].cgroup_id != st->st_ino)
			continue;
		p = strdup(*rel ? rel : "/");
		if (!p)
			return -1;
		free(list->v[i].path);
		list->v[i].path = p;
		break;
	}
	return 0;
}

/* Paths of the cgroups that still exist; the others keep "". */
static void name_cgroups(struct stats_list *list)
{
	char *root = target_cgroup_root();

	if (!root)
		return;
	walk_ctx.root = root;
	walk_ctx.root_len = strlen(root);
	while (walk_ctx.root_len > 1 && root[walk_ctx.root_len - 1] == '/')
		walk_ctx.root_len--;
	walk_ctx.list = list;
	/* FTW_PHYS: no symlinks; FTW_MOUNT: stay on the cgroup2 mount. */
	if (nftw(root, walk_one, 32, FTW_PHYS | FTW_MOUNT))
		ctl_warn("trace: cannot walk %s: %s", root, strerror(errno));
	free(root);
}

/* Wait for a signal or the deadline, refreshing the tracer's clock. */
static void wait_until_done(struct trace_session *t, uint64_t seconds)
{
	struct timespec one = { 1, 0 }, start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!trace_stop) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (seconds && (uint64_t)(now.tv_sec - start.tv_sec) >= seconds)
			break;
		nanosleep(&one, NULL);	/* a signal cuts it short */
		trace_bpf_tick(t);
	}
}

static void print_lost(const uint64_t lost[TRACE_LOST_COUNT])
{
	static const char *const names[] = TRACE_LOST_NAMES;
	char line[512];
	uint64_t total = 0;
	size_t off;
	int i;

	for (i = 0; i < TRACE_LOST_COUNT; i++)
		total += lost[i];
	off = snprintf(line, sizeof(line), "lost %" PRIu64, total);
	for (i = 0; i < TRACE_LOST_COUNT && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, "  %s %" PRIu64,
				names[i], lost[i]);
	/* JSON on stdout stays the "stats show" array: the total goes aside. */
	if (output_is_json())
		fprintf(stderr, "%s: trace: %s\n", CTL_PROG, line);
	else
		printf("\n%s\n", line);
}

/*
 * One warning per stage or counter pair not fully measured, with why;
 * false when no stage at all can be measured.
 */
static bool report_units(const struct trace_unit_state *units)
{
	bool any = false;
	unsigned int u;

	for (u = 0; u < TRACE_UNIT_COUNT; u++) {
		if (u < OFFLOADMOD_STAGE_COUNT && units[u].available)
			any = true;
		if (!units[u].available)
			ctl_warn("trace: %s unavailable: %s", trace_unit_name(u),
				 units[u].reason);
		else if (*units[u].reason)
			ctl_warn("trace: %s partial: %s", trace_unit_name(u),
				 units[u].reason);
	}
	return any;
}

static int trace_run(uint64_t seconds, char **paths, size_t n_paths)
{
	const char *btf = getenv("OFFLOADMOD_TRACE_BTF");
	static struct trace_unit_state units[TRACE_UNIT_COUNT];
	struct stats_avail avail[STATS_AVAIL_COUNT];
	struct stats_list list = { 0 };
	uint64_t lost[TRACE_LOST_COUNT] = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct trace_session *t;
	char err[256];
	int ret;

	/* CO-RE relocates against the running kernel's BTF: nothing without. */
	if (!btf)
		btf = TRACE_BTF_DEFAULT;
	if (access(btf, R_OK)) {
		ctl_err("trace needs kernel BTF (CONFIG_DEBUG_INFO_BTF=y); %s is missing",
			btf);
		return CTL_EXIT_FAIL;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = trace_bpf_start(&t, err, sizeof(err));
	if (ret) {
		ctl_err("trace: %s", err);
		return CTL_EXIT_FAIL;
	}
	trace_avail_resolve(trace_bpf_hooks(t), units);
	if (!report_units(units)) {
		trace_bpf_stop(t);
		ctl_err("trace: no stage can be measured on this kernel (see the warnings above)");
		return CTL_EXIT_FAIL;
	}
	if (seconds)
		fprintf(stderr, "%s: tracing for %" PRIu64 " s; Ctrl-C to stop\n",
			CTL_PROG, seconds);
	else
		fprintf(stderr, "%s: tracing; Ctrl-C to stop\n", CTL_PROG);
	wait_until_done(t, seconds);
	ret = trace_bpf_collect(t, &list, lost);
	trace_bpf_stop(t);	/* detach before the slow part */
	if (ret) {
		stats_list_free(&list);
		return CTL_EXIT_FAIL;
	}
	name_cgroups(&list);
	trace_list_filter(&list, paths, n_paths);
	trace_list_sort(&list);
	trace_avail_to_stats(units, avail);
	stats_print_show(&list, avail);
	print_lost(lost);
	stats_list_free(&list);
	return CTL_EXIT_OK;
}

static int do_trace(int argc, char **argv)
{
	char **paths = calloc(argc ? argc : 1, sizeof(*paths));
	size_t n_paths = 0, i;
	uint64_t seconds = 0;
	struct target tg;
	char err[256];
	int ret = CTL_EXIT_OK, r;

	if (!paths) {
		ctl_err("%s", strerror(ENOMEM));
		return CTL_EXIT_FAIL;
	}
	if (argc == 1 && !strcmp(argv[0], "help")) {
		trace_usage(stdout);
		goto out;
	}
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "duration")) {
			if (argc < 2 || !ctl_parse_u64(argv[1], 1,
						       TRACE_MAX_SECONDS,
						       &seconds)) {
				ret = ctl_usage_err(TRACE_SYNOPSIS,
						    "duration wants a number of seconds, 1 to %llu",
						    TRACE_MAX_SECONDS);
				goto out;
			}
			argc--, argv++;
			continue;
		}
		r = target_resolve(argv[0], &tg, err, sizeof(err));
		if (r) {
			ctl_err("%s", err);
			ret = target_exit_status(r);
			goto out;
		}
		paths[n_paths++] = tg.path;
		tg.path = NULL;
		target_free(&tg);
	}
	ret = trace_run(seconds, paths, n_paths);
out:
	for (i = 0; i < n_paths; i++)
		free(paths[i]);
	free(paths);
	return ret;
}

const struct ctl_object ctl_obj_trace = {
	.name		= "trace",
	.synopsis	= TRACE_SYNOPSIS,
	.run		= do_trace,
};
