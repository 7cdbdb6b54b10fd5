// SPDX-License-Identifier: GPL-2.0
/*
 * policy, dev and monitor commands end to end, without a kernel: the
 * netlink client (nl.h) is replaced by a fake that records each request
 * (and, for an interface policy, which network namespace its fd names)
 * and answers with synthetic replies, kernel errors, dump interruptions
 * and notifications, so the requests the commands send, their messages,
 * exit statuses and output can be checked on any host. Targets and
 * containers resolve against a fake cgroup2 root whose container cgroup
 * lists this process, so "netns CONTAINER" opens this process's netns.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <json.h>
#include <linux/offloadmod.h>
#include <netlink/genl/genl.h>

#include "ctl.h"
#include "nl.h"
#include "output.h"
#include "tap.h"

#define FAKE_FAMILY 0x20
#define MAX_REQ 8
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

extern const struct ctl_object ctl_obj_policy;
extern const struct ctl_object ctl_obj_dev;
extern const struct ctl_object ctl_obj_monitor;

/* --- the fake netlink client ------------------------------------------ */

struct req {
	uint8_t cmd;
	bool dump;
	struct nl_msg *msg;	/* a copy, to look at its attributes */
	ino_t netns_ino;	/* of the NETNS_FD it carried, 0 if none */
};

struct omnl {
	bool dump_intr;
	bool warn_intr;
};

static struct omnl fake_nl;
static struct req reqs[MAX_REQ];
static int n_reqs;
static int (*answer)(int n, omnl_reply_cb cb, void *arg);
static bool open_fails;

/* The subscription of monitor. */
static char subscribed[64];
static int subscribe_err;
static int ntf_pipe[2] = { -1, -1 };
static int (*deliver)(omnl_reply_cb cb, void *arg);

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
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *r = &reqs[n_reqs < MAX_REQ ? n_reqs : MAX_REQ - 1];
	struct nlattr *tb[OFFLOADMOD_A_DEV_MAX + 1];
	struct stat st;
	int err;

	if (r->msg)
		nlmsg_free(r->msg);
	memset(r, 0, sizeof(*r));
	r->cmd = genlmsg_hdr(nlh)->cmd;
	r->dump = nlh->nlmsg_flags & NLM_F_DUMP;
	r->msg = msg;	/* kept: the command does not use it again */
	/* The fd is closed once the command is done: look at it now. */
	if ((r->cmd == OFFLOADMOD_CMD_DEV_SET || r->cmd == OFFLOADMOD_CMD_DEV_GET ||
	     r->cmd == OFFLOADMOD_CMD_DEV_DEL) &&
	    genlmsg_parse(nlh, 0, tb, OFFLOADMOD_A_DEV_MAX, NULL) == 0 &&
	    tb[OFFLOADMOD_A_DEV_NETNS_FD] &&
	    !fstat((int)nla_get_u32(tb[OFFLOADMOD_A_DEV_NETNS_FD]), &st))
		r->netns_ino = st.st_ino;
	nl->dump_intr = false;
	err = answer(n_reqs++, cb, arg);
	if (nl->dump_intr && nl->warn_intr)
		ctl_warn("the dump was interrupted");
	return err;
}

int omnl_subscribe(struct omnl *nl, const char *group)
{
	(void)nl;
	snprintf(subscribed, sizeof(subscribed), "%s", group);
	if (subscribe_err)
		ctl_err("generic netlink family \"offloadmod\" has no multicast group \"%s\": is the module too old?",
			group);
	return subscribe_err;
}

int omnl_fd(const struct omnl *nl)
{
	(void)nl;
	return ntf_pipe[0];
}

int omnl_receive(struct omnl *nl, omnl_reply_cb cb, void *arg)
{
	(void)nl;
	return deliver(cb, arg);
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

/* Attributes of request n (NULL-filled if it had none). */
static struct nlattr **req_attrs(int n)
{
	static struct nlattr *tb[OFFLOADMOD_A_DEV_MAX + 1];

	memset(tb, 0, sizeof(tb));
	if (n < n_reqs && reqs[n].msg)
		genlmsg_parse(nlmsg_hdr(reqs[n].msg), 0, tb,
			      OFFLOADMOD_A_DEV_MAX, NULL);
	return tb;
}

static int n_attrs(int n)
{
	struct nlattr **tb = req_attrs(n);
	int i, c = 0;

	for (i = 0; i <= OFFLOADMOD_A_DEV_MAX; i++)
		c += tb[i] != NULL;
	return c;
}

/* --- replies ------------------------------------------------------------ */

static struct nl_msg *msg_new(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, cmd, OFFLOADMOD_FAMILY_VERSION);
	return m;
}

static int answer_with(omnl_reply_cb cb, void *arg, struct nl_msg *m)
{
	int err = cb(m, arg);

	nlmsg_free(m);
	return err;
}

static struct nl_msg *policy_msg(uint8_t cmd, uint64_t id, const char *path)
{
	struct nl_msg *m = msg_new(cmd);

	nla_put_u64(m, OFFLOADMOD_A_POLICY_CGROUP_ID, id);
	if (path)
		nla_put_string(m, OFFLOADMOD_A_POLICY_PATH, path);
	nla_put_u8(m, OFFLOADMOD_A_POLICY_GSO, 0);
	nla_put_u32(m, OFFLOADMOD_A_POLICY_SOCKETS, 2);
	return m;
}

static struct nl_msg *dev_msg(uint8_t cmd, uint32_t inum, const char *pat)
{
	struct nl_msg *m = msg_new(cmd);

	nla_put_u32(m, OFFLOADMOD_A_DEV_NETNS_INUM, inum);
	nla_put_string(m, OFFLOADMOD_A_DEV_PATTERN, pat);
	nla_put_u8(m, OFFLOADMOD_A_DEV_GRO, 0);
	nla_put_string(m, OFFLOADMOD_A_DEV_IFACE, "veth0");
	return m;
}

static int ack(int n, omnl_reply_cb cb, void *arg)
{
	(void)n;
	/* set and del have no reply: the command passes no callback. */
	return cb || arg ? -EINVAL : 0;
}

static int fail_eperm(int n, omnl_reply_cb cb, void *arg)
{
	(void)n, (void)cb, (void)arg;
	ctl_err("kernel: Operation not permitted");
	return -EPERM;
}

static int fail_enoent(int n, omnl_reply_cb cb, void *arg)
{
	(void)n, (void)cb, (void)arg;
	ctl_err("kernel: no policy (attribute 2 in request): No such file or directory");
	return -ENOENT;
}

static int fail_eopnotsupp(int n, omnl_reply_cb cb, void *arg)
{
	(void)n, (void)cb, (void)arg;
	ctl_err("kernel: Operation not supported");
	return -EOPNOTSUPP;
}

static uint64_t target_id;
static ino_t my_netns;

static int policy_one(int n, omnl_reply_cb cb, void *arg)
{
	(void)n;
	/* No path: the tool names the cgroup as it resolved it. */
	return answer_with(cb, arg, policy_msg(OFFLOADMOD_CMD_POLICY_GET, target_id,
					NULL));
}

static int intr_left;

static int dump_policies(int n, omnl_reply_cb cb, void *arg)
{
	(void)n;
	if (intr_left) {
		intr_left--;
		fake_nl.dump_intr = true;
		return answer_with(cb, arg, policy_msg(OFFLOADMOD_CMD_POLICY_GET, 99,
						"/gone"));
	}
	return answer_with(cb, arg, policy_msg(OFFLOADMOD_CMD_POLICY_GET, 10, "/a")) ?:
	       answer_with(cb, arg, policy_msg(OFFLOADMOD_CMD_POLICY_GET, 11, "/b"));
}

static int dev_dump(int n, omnl_reply_cb cb, void *arg)
{
	(void)n;
	return answer_with(cb, arg, dev_msg(OFFLOADMOD_CMD_DEV_GET, 111, "eth*")) ?:
	       answer_with(cb, arg, dev_msg(OFFLOADMOD_CMD_DEV_GET,
				     (uint32_t)my_netns, "veth*")) ?:
	       answer_with(cb, arg, dev_msg(OFFLOADMOD_CMD_DEV_GET, 222, "lo"));
}

static int dev_one(int n, omnl_reply_cb cb, void *arg)
{
	(void)n;
	return answer_with(cb, arg, dev_msg(OFFLOADMOD_CMD_DEV_GET,
				     (uint32_t)my_netns, "veth*"));
}

/* --- running a command -------------------------------------------------- */

static char *out_buf, err_buf[4096];

/* Run "OBJECT ARGS..." with stdout and stderr captured; the exit status. */
static int run(const struct ctl_object *obj, bool json, int argc, char **argv)
{
	FILE *mem, *ef = tmpfile();
	size_t len = 0, n;
	int saved, ret;

	free(out_buf);
	out_buf = NULL;
	mem = open_memstream(&out_buf, &len);
	n_reqs = 0;
	output_init(json, false);
	output_set_stream(mem);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(ef), 2);
	ret = obj->run(argc, argv);
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

#define RUN(obj, json, ...) ({						\
	char *args_[] = { __VA_ARGS__ };				\
	run(&ctl_obj_##obj, json, (int)N_OF(args_), args_);		\
})

static char root[] = "/tmp/offloadmod-policy-XXXXXX";
#define CID1 "3f4e2a1b9c8d00112233445566778899aabbccddeeff00112233445566778899"
#define CID2 "3f4e2a1b9c8d99887766554433221100ffeeddccbbaa99887766554433221100"
#define CID3 "77777777777700000000000000000000000000000000000000000000000000aa"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/*
 * root/docker: the target; root/docker/CID1 lists this process;
 * root/docker/CID2/init lists it (the container's own cgroup is empty);
 * root/docker/CID3 lists a PID that does not exist.
 */
static void make_tree(void)
{
	char p[256], pid[32];
	struct stat st;

	snprintf(pid, sizeof(pid), "999999999\n%d\n", (int)getpid());
	snprintf(p, sizeof(p), "%s/docker", root);
	mkdir(p, 0755);
	stat(p, &st);
	target_id = st.st_ino;
	snprintf(p, sizeof(p), "%s/docker/" CID1, root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/docker/" CID1 "/cgroup.procs", root);
	write_file(p, pid);
	snprintf(p, sizeof(p), "%s/docker/" CID2, root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/docker/" CID2 "/cgroup.procs", root);
	write_file(p, "");
	snprintf(p, sizeof(p), "%s/docker/" CID2 "/init", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/docker/" CID2 "/init/cgroup.procs", root);
	write_file(p, pid + 10);
	snprintf(p, sizeof(p), "%s/docker/" CID3, root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/docker/" CID3 "/cgroup.procs", root);
	write_file(p, "999999999\n");
	if (stat("/proc/self/ns/net", &st) == 0)
		my_netns = st.st_ino;
}

static void remove_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		diag("could not remove %s", root);
}

/* --- policy ------------------------------------------------------------- */

static void test_policy(void)
{
	struct nlattr **tb;
	json_object *o, *e;

	answer = ack;
	ok(RUN(policy, false, "set", "docker", "gso", "off", "gso-max-size",
	       "16384", "mode", "audit") == 0 && n_reqs == 1 &&
	   reqs[0].cmd == OFFLOADMOD_CMD_POLICY_SET && !reqs[0].dump &&
	   out_buf && !out_buf[0] && !err_buf[0],
	   "policy set: one request, silent on success");
	tb = req_attrs(0);
	ok(tb[OFFLOADMOD_A_POLICY_CGROUP_ID] &&
	   nla_get_u64(tb[OFFLOADMOD_A_POLICY_CGROUP_ID]) == target_id &&
	   tb[OFFLOADMOD_A_POLICY_GSO] && !nla_get_u8(tb[OFFLOADMOD_A_POLICY_GSO]) &&
	   nla_get_u32(tb[OFFLOADMOD_A_POLICY_GSO_MAX_SIZE]) == 16384 &&
	   nla_get_u32(tb[OFFLOADMOD_A_POLICY_MODE]) == OFFLOADMOD_POLICY_MODE_AUDIT &&
	   n_attrs(0) == 4,
	   "policy set: cgroup-id of the target and exactly the settings given");
	ok(RUN(policy, false, "set", "id:1", "busy-poll", "0") == 2 &&
	   n_reqs == 0 && strstr(err_buf, "no cgroup with id 1 under"),
	   "policy set: unknown cgroup id, exit 1 or 2 before asking the kernel");
	ok(RUN(policy, false, "set", "nosuch", "gso", "off") == 2 &&
	   n_reqs == 0 && strstr(err_buf, "no cgroup \"nosuch\" under"),
	   "policy set: unknown cgroup path, exit 2 naming it");
	ok(RUN(policy, false, "set", "id:x", "gso", "off") == 1 &&
	   strstr(err_buf, "invalid cgroup id \"x\"") &&
	   strstr(err_buf, "Usage: "),
	   "policy set: malformed TARGET is a usage error");

	answer = fail_eperm;
	ok(RUN(policy, false, "set", "docker", "gso", "off") == 2 &&
	   strstr(err_buf, "kernel: Operation not permitted") &&
	   strstr(err_buf, "needs CAP_NET_ADMIN in the initial user namespace"),
	   "policy set: EPERM, exit 2, says CAP_NET_ADMIN");
	ok(RUN(policy, false, "del", "docker") == 2 &&
	   strstr(err_buf, "CAP_NET_ADMIN"), "policy del: EPERM, exit 2");
	answer = fail_eopnotsupp;
	ok(RUN(policy, true, "set", "docker", "gso", "off") == 2 &&
	   strstr(err_buf, "does not support cgroup policies") && !out_buf[0],
	   "policy set: EOPNOTSUPP says the module lacks policies");
	answer = fail_enoent;
	ok(RUN(policy, false, "del", "docker") == 2 &&
	   strstr(err_buf, "no policy for \"docker\" (cgroup /docker, id "),
	   "policy del: ENOENT names the target");
	ok(RUN(policy, true, "show", "docker") == 2 && !out_buf[0] &&
	   strstr(err_buf, "no policy for \"docker\""),
	   "policy show TARGET: ENOENT, exit 2, no JSON");
	ok(RUN(policy, false, "set", "docker", "gso", "on") == 2 &&
	   strstr(err_buf, "was it removed?"),
	   "policy set: ENOENT means the cgroup went away");

	answer = ack;
	ok(RUN(policy, false, "del", "docker") == 0 &&
	   reqs[0].cmd == OFFLOADMOD_CMD_POLICY_DEL && n_attrs(0) == 1 &&
	   nla_get_u64(req_attrs(0)[OFFLOADMOD_A_POLICY_CGROUP_ID]) == target_id,
	   "policy del: only the cgroup-id");

	answer = policy_one;
	ok(RUN(policy, true, "show", "docker") == 0 && n_reqs == 1 &&
	   reqs[0].cmd == OFFLOADMOD_CMD_POLICY_GET && !reqs[0].dump &&
	   n_attrs(0) == 1, "policy show TARGET: a do with the cgroup-id");
	o = json_tokener_parse(out_buf);
	e = o ? json_object_array_get_idx(o, 0) : NULL;
	ok(e && !strcmp(json_object_get_string(json_object_object_get(e, "path")),
			"/docker") &&
	   json_object_get_uint64(json_object_object_get(e, "cgroup_id")) == target_id,
	   "policy show TARGET -j: path from the target when the kernel sends none");
	json_object_put(o);

	answer = dump_policies;
	ok(RUN(policy, true, "show") == 0 && n_reqs == 1 && reqs[0].dump &&
	   reqs[0].cmd == OFFLOADMOD_CMD_POLICY_GET && n_attrs(0) == 0,
	   "policy show: a dump without attributes");
	o = json_tokener_parse(out_buf);
	ok(o && json_object_array_length(o) == 2, "policy show -j: both policies");
	json_object_put(o);
	ok(RUN(policy, true, "") == 1 && strstr(err_buf, "unknown command \"\" for policy"),
	   "policy \"\": unknown command");
	ok(RUN(policy, false, "sh") == 0 && reqs[0].dump && out_buf &&
	   strstr(out_buf, "cgroup_id") && strstr(out_buf, "  /b\n"),
	   "policy sh: abbreviated show, a table");
	intr_left = 1;
	ok(RUN(policy, false, "show") == 0 && n_reqs == 2 && !err_buf[0] &&
	   !strstr(out_buf, "/gone"),
	   "policy show: an interrupted dump is done again");
	intr_left = 5;
	ok(RUN(policy, false, "show") == 0 && n_reqs == 3 &&
	   strstr(err_buf, "warning: the policy dump was interrupted 3 times"),
	   "policy show: warns after three interrupted dumps");
	intr_left = 0;
	open_fails = true;
	ok(RUN(policy, false, "show") == 2, "policy show: no module, exit 2");
	open_fails = false;
}

/* --- dev ---------------------------------------------------------------- */

static void test_dev(void)
{
	struct nlattr **tb;
	json_object *o;

	answer = ack;
	ok(RUN(dev, false, "set", "veth*", "gro", "off", "tso", "on") == 0 &&
	   n_reqs == 1 && reqs[0].cmd == OFFLOADMOD_CMD_DEV_SET &&
	   !out_buf[0] && !err_buf[0], "dev set: one request, silent");
	tb = req_attrs(0);
	ok(tb[OFFLOADMOD_A_DEV_PATTERN] &&
	   !strcmp(nla_get_string(tb[OFFLOADMOD_A_DEV_PATTERN]), "veth*") &&
	   !tb[OFFLOADMOD_A_DEV_NETNS_FD] &&
	   !nla_get_u8(tb[OFFLOADMOD_A_DEV_GRO]) &&
	   nla_get_u8(tb[OFFLOADMOD_A_DEV_TSO]) == 1 && n_attrs(0) == 3,
	   "dev set: pattern and settings, no netns fd by default");

	ok(RUN(dev, false, "set", "veth*", "netns", "/proc/self/ns/net", "gro",
	       "off") == 0 && reqs[0].netns_ino && reqs[0].netns_ino == my_netns,
	   "dev set netns PATH: the fd sent is that namespace");
	ok(RUN(dev, false, "set", "veth*", "netns", CID1, "gro", "off") == 0 &&
	   reqs[0].netns_ino == my_netns,
	   "dev set netns CONTAINER: the namespace of a process in its cgroup");
	ok(RUN(dev, false, "del", "veth*", "netns", "container:3f4e2a1b9c8d99") == 0 &&
	   reqs[0].cmd == OFFLOADMOD_CMD_DEV_DEL && reqs[0].netns_ino == my_netns,
	   "dev del netns container:PREFIX: a process in a sub-cgroup");
	ok(RUN(dev, false, "set", "veth*", "netns", "3f4e2a1b9c8d", "gro",
	       "off") == 1 && n_reqs == 0 && strstr(err_buf, "is ambiguous"),
	   "dev set netns: an ambiguous container prefix is a usage error");
	ok(RUN(dev, false, "set", "veth*", "netns", CID3, "gro", "off") == 2 &&
	   n_reqs == 0 &&
	   strstr(err_buf, "container 777777777777 (cgroup /docker/" CID3
			   ") has no process to take its network namespace from"),
	   "dev set netns: a container without a live process, exit 2");
	ok(RUN(dev, false, "set", "veth*", "netns", "aaaaaaaaaaaa", "gro",
	       "off") == 2 && strstr(err_buf, "no container aaaaaaaaaaaa"),
	   "dev set netns: no such container, exit 2");
	ok(RUN(dev, false, "show", "netns", "/dev/null") == 1 &&
	   n_reqs == 0 && strstr(err_buf, "/dev/null is not a network namespace"),
	   "dev show netns FILE: not a netns is a usage error");
	ok(RUN(dev, false, "show", "netns", "/nonexistent/ns") == 2 &&
	   strstr(err_buf, "no network namespace \"/nonexistent/ns\""),
	   "dev show netns PATH: no such file, exit 2");
	ok(RUN(dev, false, "show", "netns", "nosuchname") == 2 &&
	   strstr(err_buf, "/run/netns/nosuchname does not exist"),
	   "dev show netns NAME: not under /run/netns, exit 2");
	ok(RUN(dev, false, "show", "netns", "name:a/b") == 1 &&
	   strstr(err_buf, "invalid netns name \"a/b\""),
	   "dev show netns name:N with a slash: usage error");

	answer = dev_dump;
	ok(RUN(dev, true, "show") == 0 && reqs[0].dump &&
	   reqs[0].cmd == OFFLOADMOD_CMD_DEV_GET && n_attrs(0) == 0,
	   "dev show: a dump without attributes");
	o = json_tokener_parse(out_buf);
	ok(o && json_object_array_length(o) == 3, "dev show -j: every namespace");
	json_object_put(o);
	ok(RUN(dev, true, "show", "netns", "/proc/self/ns/net") == 0 &&
	   reqs[0].dump && n_attrs(0) == 0, "dev show netns NS: still a dump");
	o = json_tokener_parse(out_buf);
	ok(o && json_object_array_length(o) == 1 &&
	   !strcmp(json_object_get_string(json_object_object_get(
			   json_object_array_get_idx(o, 0), "pattern")), "veth*"),
	   "dev show netns NS: only that namespace's policies");
	json_object_put(o);

	answer = dev_one;
	ok(RUN(dev, false, "show", "veth*") == 0 && !reqs[0].dump &&
	   n_attrs(0) == 1 && out_buf && strstr(out_buf, "ifaces veth0\n"),
	   "dev show PATTERN: a do with the pattern");

	answer = fail_eperm;
	ok(RUN(dev, false, "set", "veth*", "gro", "off") == 2 &&
	   strstr(err_buf, "kernel: Operation not permitted") &&
	   strstr(err_buf, "changing interface policies needs CAP_NET_ADMIN"),
	   "dev set: EPERM, exit 2, says CAP_NET_ADMIN");
	answer = fail_enoent;
	ok(RUN(dev, false, "del", "veth*") == 2 &&
	   strstr(err_buf, "no interface policy \"veth*\" in this network namespace"),
	   "dev del: ENOENT names the pattern");
	ok(RUN(dev, false, "del", "veth*", "netns", "/proc/self/ns/net") == 2 &&
	   strstr(err_buf, "in network namespace \"/proc/self/ns/net\""),
	   "dev del netns NS: ENOENT names the namespace");
	answer = fail_eopnotsupp;
	ok(RUN(dev, false, "show") == 2 &&
	   strstr(err_buf, "does not support interface policies"),
	   "dev show: EOPNOTSUPP");
}

/* --- monitor ------------------------------------------------------------ */

static int ntf_calls;

/* First read: policy-set, an unknown one, policy-del, dev-set at once. */
static int deliver_batch(omnl_reply_cb cb, void *arg)
{
	int err;

	if (ntf_calls++)
		return 0;
	err = answer_with(cb, arg, policy_msg(OFFLOADMOD_CMD_POLICY_NTF, 42, "/x")) ?:
	      answer_with(cb, arg, msg_new(OFFLOADMOD_CMD_MAX + 1)) ?:
	      answer_with(cb, arg, policy_msg(OFFLOADMOD_CMD_POLICY_DEL_NTF, 42, "/x")) ?:
	      answer_with(cb, arg, dev_msg(OFFLOADMOD_CMD_DEV_NTF, 5, "veth*"));
	return err;
}

/* One event per read; the second read reports lost notifications. */
static int deliver_overrun(omnl_reply_cb cb, void *arg)
{
	switch (ntf_calls++) {
	case 0:
		return answer_with(cb, arg, dev_msg(OFFLOADMOD_CMD_DEV_NTF, 5, "a"));
	case 1:
		return -ENOBUFS;
	default:
		return answer_with(cb, arg, dev_msg(OFFLOADMOD_CMD_DEV_DEL_NTF, 5, "a"));
	}
}

static int deliver_error(omnl_reply_cb cb, void *arg)
{
	(void)cb, (void)arg;
	ctl_err("netlink receive failed: Broken");
	return -EIO;
}

static void test_monitor(void)
{
	char *line2;
	json_object *o;
	char byte = 'x';
	pid_t parent = getpid(), child;
	int quiet[2];

	if (pipe(ntf_pipe) || write(ntf_pipe[1], &byte, 1) != 1) {
		skip("no pipe", "monitor");
		return;
	}
	deliver = deliver_batch;
	ntf_calls = 0;
	ok(RUN(monitor, true, "count", "2") == 0 &&
	   !strcmp(subscribed, OFFLOADMOD_MCGRP_MONITOR) && ntf_calls == 1,
	   "monitor count 2: subscribes to the monitor group, exit 0");
	line2 = out_buf ? strchr(out_buf, '\n') : NULL;
	ok(line2 && line2[1] && strchr(line2 + 1, '\n') &&
	   !strchr(line2 + 1, '\n')[1],
	   "monitor -j count 2: two lines, the unknown one skipped");
	o = json_tokener_parse(out_buf);
	ok(o && !strcmp(json_object_get_string(json_object_object_get(o, "event")),
			"policy-set") &&
	   json_object_get_uint64(json_object_object_get(o, "cgroup_id")) == 42,
	   "monitor -j: first a policy-set of cgroup 42");
	json_object_put(o);
	o = line2 ? json_tokener_parse(line2 + 1) : NULL;
	ok(o && !strcmp(json_object_get_string(json_object_object_get(o, "event")),
			"policy-del") &&
	   json_object_get_uint64(json_object_object_get(o, "cgroup_id")) == 42,
	   "monitor -j: then its policy-del");
	json_object_put(o);

	ntf_calls = 0;
	ok(RUN(monitor, false, "c", "3") == 0 && out_buf &&
	   !strcmp(out_buf, "policy-set cgroup 42 /x gso off\n"
			    "policy-del cgroup 42 /x gso off\n"
			    "dev-set netns 5 pattern veth* gro off ifaces veth0\n"),
	   "monitor text count 3: one line per event");
	if (out_buf && !strstr(out_buf, "dev-set"))
		diag("stdout: %s", out_buf);

	deliver = deliver_overrun;
	ntf_calls = 0;
	ok(RUN(monitor, true, "count", "2") == 0 && ntf_calls == 3 &&
	   strstr(err_buf, "warning: some notifications were lost") &&
	   strstr(out_buf, "\"dev-del\""),
	   "monitor: lost notifications are a warning, it goes on");
	deliver = deliver_error;
	ok(RUN(monitor, false) == 2 && strstr(err_buf, "receive failed"),
	   "monitor: a receive error is exit 2");
	subscribe_err = -ENOENT;
	ok(RUN(monitor, false) == 2 && strstr(err_buf, "no multicast group \"monitor\""),
	   "monitor: no monitor group, exit 2");
	subscribe_err = 0;

	/* Nothing to read: it waits until SIGTERM, then exits 0. */
	close(ntf_pipe[0]);
	close(ntf_pipe[1]);
	if (pipe(quiet)) {
		skip("no pipe", "monitor SIGTERM");
		return;
	}
	ntf_pipe[0] = quiet[0];
	ntf_pipe[1] = quiet[1];
	child = fork();
	if (child == 0) {
		usleep(100000);
		kill(parent, SIGTERM);
		_exit(0);
	}
	ok(RUN(monitor, true) == 0 && out_buf && !out_buf[0],
	   "monitor: SIGTERM while waiting, exit 0");
	waitpid(child, NULL, 0);
	ok(signal(SIGTERM, SIG_DFL) == SIG_DFL, "monitor restores the SIGTERM handler");
	ok(RUN(monitor, false, "count") == 1 && strstr(err_buf, "count needs a value"),
	   "monitor count: needs a value");
	close(ntf_pipe[0]);
	close(ntf_pipe[1]);
}

int main(void)
{
	int i;

	if (!mkdtemp(root)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	setenv("OFFLOADMOD_CGROUP_ROOT", root, 1);
	make_tree();
	test_policy();
	test_dev();
	test_monitor();
	free(out_buf);
	for (i = 0; i < MAX_REQ; i++)
		if (reqs[i].msg)
			nlmsg_free(reqs[i].msg);
	remove_tree();
	return tap_done();
}
