// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl stats top: dump every tracked cgroup each interval and
 * show them worst p99 first, with packet rates since the last refresh.
 * Runs until count refreshes are done or SIGINT/SIGTERM (exit 0).
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "nl.h"
#include "output.h"
#include "stats.h"

#define TOP_MAX_INTERVAL 86400.0

static volatile sig_atomic_t top_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

/* Packet counters of the previous refresh, sorted by cgroup id. */
struct top_prev {
	uint64_t cgroup_id;
	uint64_t rx, tx;
};

static int cmp_prev(const void *a, const void *b)
{
	const struct top_prev *x = a, *y = b;

	return x->cgroup_id < y->cgroup_id ? -1 : x->cgroup_id > y->cgroup_id;
}

static uint64_t rate(uint64_t now, uint64_t before, double secs)
{
	return (uint64_t)llround((double)(now - before) / secs);
}

/* Rows of one refresh; rates against prev (n_prev entries, secs ago). */
static struct stats_top_row *top_rows(const struct stats_list *list,
				      const struct top_prev *prev,
				      size_t n_prev, double secs)
{
	struct stats_top_row *rows = calloc(list->n ? list->n : 1,
					    sizeof(*rows));
	size_t i;
	unsigned int s;

	if (!rows)
		return NULL;
	for (i = 0; i < list->n; i++) {
		const struct stats_cgroup *cg = &list->v[i];
		struct stats_top_row *r = &rows[i];
		struct top_prev key = { .cgroup_id = cg->cgroup_id };
		const struct top_prev *p = NULL;

		r->cg = cg;
		for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++) {
			r->p99_ns[s] = cg->stage[s].count ?
				hist_quantile(&cg->stage[s], HIST_P99) : 0;
			if (r->p99_ns[s] > r->worst_p99_ns)
				r->worst_p99_ns = r->p99_ns[s];
		}
		if (n_prev && secs > 0)
			p = bsearch(&key, prev, n_prev, sizeof(*prev),
				    cmp_prev);
		/* Counters that went down were reset: no rate this time. */
		if (p && cg->rx.packets >= p->rx && cg->tx.packets >= p->tx) {
			r->has_rate = true;
			r->rx_pps = rate(cg->rx.packets, p->rx, secs);
			r->tx_pps = rate(cg->tx.packets, p->tx, secs);
		}
	}
	stats_top_sort(rows, list->n);
	return rows;
}

/* Remember list's counters for the next refresh; false if out of memory. */
static bool top_remember(const struct stats_list *list, struct top_prev **prev,
			 size_t *n_prev)
{
	struct top_prev *p = calloc(list->n ? list->n : 1, sizeof(*p));
	size_t i;

	if (!p)
		return false;
	for (i = 0; i < list->n; i++) {
		p[i].cgroup_id = list->v[i].cgroup_id;
		p[i].rx = list->v[i].rx.packets;
		p[i].tx = list->v[i].tx.packets;
	}
	qsort(p, list->n, sizeof(*p), cmp_prev);
	free(*prev);
	*prev = p;
	*n_prev = list->n;
	return true;
}

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* One refresh; a CTL_EXIT_* status. */
static int top_refresh(struct omnl *nl, bool first, bool tty,
		       struct top_prev **prev, size_t *n_prev,
		       struct timespec *last)
{
	struct stats_list list = { 0 };
	struct stats_top_row *rows = NULL;
	struct timespec now;
	int ret = CTL_EXIT_FAIL;

	if (stats_fetch_all(nl, &list))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &now);
	rows = top_rows(&list, *prev, first ? 0 : *n_prev, elapsed(last, &now));
	if (!rows || !top_remember(&list, prev, n_prev)) {
		ctl_err("%s", strerror(ENOMEM));
		goto out;
	}
	*last = now;
	if (tty)
		print_fp("\033[H\033[2J");
	else if (!first)
		print_nl();
	stats_print_top(rows, list.n);
	fflush(stdout);
	ret = CTL_EXIT_OK;
out:
	free(rows);
	stats_list_free(&list);
	return ret;
}

/* Sleep secs or until SIGINT/SIGTERM, without missing one in between. */
static void top_sleep(double secs)
{
	struct timespec ts;
	sigset_t block, orig;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	if (!top_stop)
		ppoll(NULL, 0, &ts, &orig);
	sigprocmask(SIG_SETMASK, &orig, NULL);
}

static int parse_top(int argc, char **argv, double *interval,
		     unsigned long *count)
{
	enum { INTERVAL, COUNT };
	static const char *const words[] = {
		[INTERVAL] = "interval", [COUNT] = "count", NULL,
	};
	char *end;
	int i, w;

	for (i = 0; i < argc; i++) {
		w = ctl_lookup(argv[i], words);
		if (w < 0)
			return ctl_usage_err(STATS_TOP_SYNOPSIS,
					     "unexpected argument \"%s\"",
					     argv[i]);
		if (i + 1 >= argc)
			return ctl_usage_err(STATS_TOP_SYNOPSIS, "%s needs a value",
					     words[w]);
		i++;
		errno = 0;
		if (w == INTERVAL) {
			*interval = strtod(argv[i], &end);
			if (errno || end == argv[i] || *end ||
			    !isfinite(*interval) || *interval <= 0 ||
			    *interval > TOP_MAX_INTERVAL)
				return ctl_usage_err(STATS_TOP_SYNOPSIS,
						     "invalid interval \"%s\": seconds, above 0 and at most %.0f",
						     argv[i], TOP_MAX_INTERVAL);
		} else {
			*count = strtoul(argv[i], &end, 10);
			if (errno || end == argv[i] || *end || *count == 0 ||
			    argv[i][0] < '0' || argv[i][0] > '9')
				return ctl_usage_err(STATS_TOP_SYNOPSIS,
						     "invalid count \"%s\": a number of refreshes, at least 1",
						     argv[i]);
		}
	}
	return CTL_EXIT_OK;
}

int stats_top(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct sigaction old_int, old_term;
	struct top_prev *prev = NULL;
	unsigned long count = 0, done;
	struct timespec last = { 0 };
	double interval = 1.0;
	size_t n_prev = 0;
	bool tty;
	struct omnl *nl;
	int ret;

	ret = parse_top(argc, argv, &interval, &count);
	if (ret)
		return ret;
	nl = omnl_open();
	if (!nl)
		return CTL_EXIT_FAIL;
	tty = !output_is_json() && isatty(STDOUT_FILENO);

	/* No SA_RESTART: the signal ends the sleep; libnl retries reads. */
	top_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (done = 0; !top_stop; done++) {
		ret = top_refresh(nl, !done, tty, &prev, &n_prev, &last);
		/* A write error is main()'s to report. */
		if (ret || ferror(stdout))
			break;
		if (count && done + 1 >= count)
			break;
		top_sleep(interval);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(prev);
	omnl_close(nl);
	return ret;
}
