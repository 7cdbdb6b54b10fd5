// SPDX-License-Identifier: GPL-2.0
/*
 * stats commands end to end, without a kernel: the netlink client (nl.h)
 * is replaced by a fake that records each request and answers it with
 * synthetic replies, dump interruptions, errors and signals, so the
 * requests the commands send, their retries, messages, exit statuses and
 * output can be checked on any host.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <json.h>
#include <linux/offloadmod.h>
#include <linux/offloadmod_hist.h>
#include <netlink/genl/genl.h>

#include "ctl.h"
#include "nl.h"
#include "output.h"
#include "tap.h"

#define FAKE_FAMILY 0x20
#define MAX_REQ 16

extern const struct ctl_object ctl_obj_stats;

/* --- the fake netlink client ------------------------------------------ */

struct req {
	uint8_t cmd;
	bool dump;
	bool has_id;
	uint64_t id;
	bool recursive;
};

struct omnl {
	bool dump_intr;
	bool warn_intr;
};

static struct omnl fake_nl;
static struct req reqs[MAX_REQ];
static int n_reqs;
/* Answers request number n (from 0); returns its error code. */
static int (*answer)(int n, omnl_reply_cb cb, void *arg);
static bool open_fails;

struct omnl *omnl_open(void)
{
	if (open_fails) {
		ctl_err("generic netlink family \"offloadmod\" not found: is the module loaded? (modprobe offloadmod)");
		return NULL;
	}
	fake_nl.warn_intr = true;
	return &fake_nl;
}

void omnl_close(struct omnl *nl)
{
	(void)nl;
}

struct nl_msg *omnl_msg_new(struct omnl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	(void)nl;
	genlmsg_put(msg, 0, 0, FAKE_FAMILY, 0, flags, cmd,
		    OFFLOADMOD_FAMILY_VERSION);
	return msg;
}

bool omnl_dump_interrupted(const struct omnl *nl)
{
	return nl->dump_intr;
}

void omnl_set_dump_intr_warning(struct omnl *nl, bool warn)
{
	nl->warn_intr = warn;
}

int omnl_request(struct omnl *nl, struct nl_msg *msg, omnl_reply_cb cb,
		 void *arg)
{
	struct nlattr *tb[OFFLOADMOD_A_STATS_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *r = &reqs[n_reqs < MAX_REQ ? n_reqs : MAX_REQ - 1];
	int err;

	memset(r, 0, sizeof(*r));
	r->cmd = genlmsg_hdr(nlh)->cmd;
	r->dump = nlh->nlmsg_flags & NLM_F_DUMP;
	if (genlmsg_parse(nlh, 0, tb, OFFLOADMOD_A_STATS_MAX, NULL) == 0) {
		r->has_id = tb[OFFLOADMOD_A_STATS_CGROUP_ID] != NULL;
		if (r->has_id)
			r->id = nla_get_u64(tb[OFFLOADMOD_A_STATS_CGROUP_ID]);
		r->recursive = tb[OFFLOADMOD_A_STATS_RECURSIVE] != NULL;
	}
	nlmsg_free(msg);
	nl->dump_intr = false;
	err = answer(n_reqs++, cb, arg);
	if (nl->dump_intr && nl->warn_intr)
		ctl_warn("the dump was interrupted");
	return err;
}

int omnl_parse(struct nl_msg *msg, struct nlattr **tb, int maxtype,
	       const struct nla_policy *policy, const char *what)
{
	int err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, maxtype, policy);

	if (err < 0)
		ctl_err("malformed %s from kernel", what);
	return err < 0 ? -EINVAL : 0;
}

int omnl_parse_nested(struct nlattr **tb, int maxtype, struct nlattr *nest,
		      const struct nla_policy *policy, const char *what)
{
	int err = nla_parse_nested(tb, maxtype, nest, policy);

	if (err < 0)
		ctl_err("malformed %s from kernel", what);
	return err < 0 ? -EINVAL : 0;
}

/* --- replies ------------------------------------------------------------ */

/* A cgroup whose sched_wait stage holds count events of about ns. */
static int send_cgroup(omnl_reply_cb cb, void *arg, uint64_t id,
		       const char *path, uint64_t rx, uint64_t ns,
		       uint64_t count)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *n;
	int err;

	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, OFFLOADMOD_CMD_STATS_GET,
		    OFFLOADMOD_FAMILY_VERSION);
	nla_put_u64(m, OFFLOADMOD_A_STATS_CGROUP_ID, id);
	if (path)
		nla_put_string(m, OFFLOADMOD_A_STATS_PATH, path);
	n = nla_nest_start(m, OFFLOADMOD_A_STATS_RX);
	nla_put_u64(m, OFFLOADMOD_A_DIR_PACKETS, rx);
	nla_nest_end(m, n);
	n = nla_nest_start(m, OFFLOADMOD_A_STATS_STAGE);
	nla_put_u32(m, OFFLOADMOD_A_STAGE_ID, OFFLOADMOD_STAGE_SCHED_WAIT);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_COUNT, count);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_SUM_NS, ns * count);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_MIN_NS, ns);
	nla_put_u64(m, OFFLOADMOD_A_STAGE_MAX_NS, ns);
	nla_put_u32(m, OFFLOADMOD_A_STAGE_BUCKET_FIRST,
		    offloadmod_hist_index(ns));
	nla_put(m, OFFLOADMOD_A_STAGE_BUCKETS, 8, &count);
	nla_nest_end(m, n);
	err = cb(m, arg);
	nlmsg_free(m);
	return err;
}

/* Dump: three cgroups; rx grows by 100 per request. */
static int dump_three(int n, omnl_reply_cb cb, void *arg)
{
	uint64_t rx = 1000 + 100 * (uint64_t)n;

	return send_cgroup(cb, arg, 10, "/a", rx, 2000, 5) ?:
	       send_cgroup(cb, arg, 11, "/b", rx, 90000, 5) ?:
	       send_cgroup(cb, arg, 12, "/c", rx, 0, 0);
}

static int intr_count, intr_left;

static int dump_intr(int n, omnl_reply_cb cb, void *arg)
{
	if (intr_left) {
		intr_left--;
		intr_count++;
		fake_nl.dump_intr = true;
		/* An interrupted dump has partial, possibly duplicate data. */
		return send_cgroup(cb, arg, 99, "/gone", 1, 1, 1);
	}
	return dump_three(n, cb, arg);
}

static uint64_t target_id;

static int do_one(int n, omnl_reply_cb cb, void *arg)
{
	(void)n;
	/* No path: the tool names the cgroup as it resolved it. */
	return send_cgroup(cb, arg, target_id, NULL, 5, 700, 3);
}

static int fail_enoent(int n, omnl_reply_cb cb, void *arg)
{
	(void)n, (void)cb, (void)arg;
	ctl_err("kernel: cgroup-id: no such cgroup (attribute 2 in request): No such file or directory");
	return -ENOENT;
}

static int fail_eperm(int n, omnl_reply_cb cb, void *arg)
{
	(void)n, (void)cb, (void)arg;
	ctl_err("kernel: Operation not permitted");
	return -EPERM;
}

static int ack(int n, omnl_reply_cb cb, void *arg)
{
	(void)n;
	/* STATS_RESET has no reply: the command passes no callback. */
	return cb || arg ? -EINVAL : 0;
}

/* top: SIGINT during the first refresh. */
static int dump_then_sigint(int n, omnl_reply_cb cb, void *arg)
{
	if (n == 0)
		raise(SIGINT);
	return dump_three(n, cb, arg);
}

/*
 * top: SIGTERM while it sleeps after the first refresh. The handler is
 * in place by now; a child sends the signal a little later.
 */
static int dump_then_sigterm(int n, omnl_reply_cb cb, void *arg)
{
	pid_t parent = getpid();

	if (n == 0 && fork() == 0) {
		usleep(100000);
		kill(parent, SIGTERM);
		_exit(0);
	}
	return dump_three(n, cb, arg);
}

/* --- running a command -------------------------------------------------- */

static char *out_buf, err_buf[4096];

/* Run "stats ARGS..." with stdout and stderr captured; the exit status. */
static int run(bool json, int argc, char **argv)
{
	FILE *mem, *ef = tmpfile();
	size_t len = 0, n;
	int saved, ret;

	free(out_buf);
	out_buf = NULL;
	mem = open_memstream(&out_buf, &len);
	n_reqs = 0;
	intr_count = 0;
	output_init(json, false);
	output_set_stream(mem);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(ef), 2);
	ret = ctl_obj_stats.run(argc, argv);
	if (output_finish() && !ret)
		ret = 99;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(ef);
	n = fread(err_buf, 1, sizeof(err_buf) - 1, ef);
	err_buf[n] = '\0';
	fclose(ef);
	fclose(mem);
	output_set_stream(NULL);
	return ret;
}

#define RUN(json, ...) ({						\
	char *args_[] = { __VA_ARGS__ };				\
	run(json, (int)(sizeof(args_) / sizeof(args_[0])), args_);	\
})

static char root[] = "/tmp/offloadmod-stats-XXXXXX";

static void test_show(void)
{
	json_object *o;

	answer = dump_three;
	ok(RUN(true, "show") == 0 && n_reqs == 1 && reqs[0].dump &&
	   reqs[0].cmd == OFFLOADMOD_CMD_STATS_GET && !reqs[0].has_id,
	   "show: one dump request without attributes");
	o = json_tokener_parse(out_buf);
	ok(o && json_object_array_length(o) == 3, "show -j: three cgroups");
	json_object_put(o);

	answer = dump_intr;
	intr_left = 2;
	ok(RUN(false, "show") == 0 && n_reqs == 3 && !err_buf[0] &&
	   out_buf && !strstr(out_buf, "/gone") && strstr(out_buf, "cgroup 12 /c\n"),
	   "show: an interrupted dump is done again, the partial one dropped");
	intr_left = 5;
	ok(RUN(false, "show") == 0 && n_reqs == 3 &&
	   !strncmp(err_buf, "offloadmod-ctl: warning: the stats dump was interrupted 3 times", 63) &&
	   !strchr(err_buf, '\n')[1],
	   "show: after three interrupted dumps, one warning and the data");
	if (!strchr(err_buf, '\n'))
		diag("stderr: %s", err_buf);
	intr_left = 0;
}

static void test_target(void)
{
	char dir[sizeof(root) + 16];
	struct stat st;
	json_object *o, *e;

	snprintf(dir, sizeof(dir), "%s/docker", root);
	mkdir(dir, 0755);
	stat(dir, &st);
	target_id = st.st_ino;

	answer = do_one;
	ok(RUN(true, "show", "docker", "recursive") == 0 && n_reqs == 1 &&
	   !reqs[0].dump && reqs[0].has_id && reqs[0].id == target_id &&
	   reqs[0].recursive, "show TARGET recursive: a do with cgroup-id and recursive");
	o = json_tokener_parse(out_buf);
	e = o ? json_object_array_get_idx(o, 0) : NULL;
	ok(e && !strcmp(json_object_get_string(json_object_object_get(e, "path")),
			"/docker"),
	   "show TARGET: path from the target when the kernel sends none");
	json_object_put(o);
	ok(RUN(false, "sh", "recursive", "docker", "recursive") == 1 &&
	   n_reqs == 0 && strstr(err_buf, "\"recursive\" given twice"),
	   "show: recursive twice is a usage error");

	ok(RUN(true, "hist", "docker", "sch") == 0 && !reqs[0].recursive &&
	   reqs[0].id == target_id, "hist TARGET STAGE-PREFIX");
	o = json_tokener_parse(out_buf);
	ok(o && !strcmp(json_object_get_string(json_object_object_get(o, "stage")),
			"sched_wait") &&
	   json_object_array_length(json_object_object_get(o, "buckets")) == 1,
	   "hist -j: the stage asked for");
	json_object_put(o);

	answer = fail_enoent;
	ok(RUN(false, "show", "docker") == 2 && out_buf && !out_buf[0] &&
	   strstr(err_buf, "offloadmod-ctl: kernel: cgroup-id: no such cgroup") &&
	   strstr(err_buf, "no stats for \"docker\": the kernel has no cgroup /docker (id "),
	   "show: ENOENT names the target, exit 2");
	ok(RUN(true, "hist", "docker", "rx_wait") == 2 && !out_buf[0],
	   "hist: ENOENT exit 2, no JSON");

	answer = ack;
	ok(RUN(false, "reset", "docker", "recursive") == 0 &&
	   reqs[0].cmd == OFFLOADMOD_CMD_STATS_RESET && reqs[0].has_id &&
	   reqs[0].recursive && !out_buf[0], "reset TARGET recursive");
	ok(RUN(false, "reset") == 0 && !reqs[0].has_id && !reqs[0].dump,
	   "reset: all cgroups, no attributes");
	answer = fail_eperm;
	ok(RUN(false, "reset") == 2 &&
	   strstr(err_buf, "resetting stats needs CAP_NET_ADMIN"),
	   "reset: EPERM says CAP_NET_ADMIN, exit 2");

	ok(RUN(false, "show", "nosuch") == 2 && n_reqs == 0 &&
	   strstr(err_buf, "no cgroup \"nosuch\""),
	   "show: unknown TARGET, exit 2 before asking the kernel");
	open_fails = true;
	ok(RUN(false, "show", "docker") == 2, "show: no module, exit 2");
	open_fails = false;
}

static void test_top(void)
{
	struct sigaction int_before, int_after;
	json_object *o, *row;
	char *line2;

	answer = dump_three;
	ok(RUN(true, "top", "interval", "0.01", "count", "2") == 0 &&
	   n_reqs == 2, "top count 2: two refreshes");
	line2 = out_buf ? strchr(out_buf, '\n') : NULL;
	ok(line2 && strchr(line2 + 1, '\n') && !strchr(line2 + 1, '\n')[1],
	   "top -j: one line per refresh");
	o = json_tokener_parse(out_buf);
	row = o ? json_object_array_get_idx(o, 0) : NULL;
	ok(row && json_object_get_uint64(json_object_object_get(row, "cgroup_id")) == 11 &&
	   json_object_object_get_ex(row, "rx_pps", NULL) &&
	   !json_object_object_get(row, "rx_pps"),
	   "top -j: worst p99 first, no rate on the first refresh");
	json_object_put(o);
	o = line2 ? json_tokener_parse(line2 + 1) : NULL;
	row = o ? json_object_array_get_idx(o, 2) : NULL;
	ok(row && json_object_get_uint64(json_object_object_get(row, "cgroup_id")) == 12 &&
	   json_object_get_uint64(json_object_object_get(row, "rx_pps")) > 100,
	   "top -j: a packet rate on the second refresh");
	json_object_put(o);

	ok(RUN(false, "top", "count", "2") == 0 && out_buf &&
	   strstr(out_buf, "\n\ncgroup_id") && !strstr(out_buf, "\033["),
	   "top text, not a terminal: tables separated by a blank line");

	/*
	 * Compare with the disposition the test started with: a shell
	 * starts background jobs with SIGINT ignored, not SIG_DFL.
	 */
	sigaction(SIGINT, NULL, &int_before);
	answer = dump_then_sigint;
	ok(RUN(false, "top", "interval", "3600") == 0 && n_reqs == 1,
	   "top: SIGINT during a refresh ends it after that refresh, exit 0");
	sigaction(SIGINT, NULL, &int_after);
	ok(int_after.sa_handler == int_before.sa_handler,
	   "top restores the SIGINT handler");
	answer = dump_then_sigterm;
	ok(RUN(true, "top", "interval", "3600") == 0 && n_reqs == 1 &&
	   out_buf && strchr(out_buf, '\n') == out_buf + strlen(out_buf) - 1,
	   "top: SIGTERM ends the sleep at once, exit 0, whole JSON lines");
	wait(NULL);
	ok(signal(SIGTERM, SIG_DFL) == SIG_DFL, "top restores the SIGTERM handler");
}

int main(void)
{
	if (!mkdtemp(root)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	setenv("OFFLOADMOD_CGROUP_ROOT", root, 1);
	test_show();
	test_target();
	test_top();
	free(out_buf);
	{
		char dir[sizeof(root) + 16];

		snprintf(dir, sizeof(dir), "%s/docker", root);
		rmdir(dir);
		rmdir(root);
	}
	return tap_done();
}
