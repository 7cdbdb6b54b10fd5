// SPDX-License-Identifier: GPL-2.0
/*
 * status: decode synthetic get-status replies (built as the module
 * builds them, per uapi/linux/offloadmod.h) and print them as text and
 * JSON; malformed replies are rejected.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <json.h>
#include <linux/offloadmod.h>
#include <netlink/genl/genl.h>

#include "output.h"
#include "status.h"
#include "tap.h"

#define FAKE_FAMILY 0x20

struct hook_spec {
	const char *name;
	int available, attached;
	uint64_t invocations;
};

static const struct hook_spec hooks[] = {
	{ "net_dev_queue", 1, 1, 12345 },
	{ "netif_receive_skb", 1, 0, 0 },
	{ "netif_receive_skb_list_entry", 0, 0, UINT64_MAX },
};

static struct nl_msg *reply(size_t n_hooks)
{
	struct nl_msg *m = nlmsg_alloc();
	size_t i;

	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, OFFLOADMOD_CMD_GET_STATUS,
		    OFFLOADMOD_FAMILY_VERSION);
	nla_put_string(m, OFFLOADMOD_A_STATUS_MODULE_VERSION, "0.1.0");
	nla_put_u32(m, OFFLOADMOD_A_STATUS_UAPI_VERSION, 1);
	nla_put_string(m, OFFLOADMOD_A_STATUS_KERNEL_RELEASE,
		       "6.12.117+deb12-amd64");
	nla_put_u32(m, OFFLOADMOD_A_STATUS_MAX_CGROUPS, 4096);
	for (i = 0; i < n_hooks; i++) {
		struct nlattr *n = nla_nest_start(m, OFFLOADMOD_A_STATUS_HOOK);

		nla_put_string(m, OFFLOADMOD_A_HOOK_NAME, hooks[i].name);
		nla_put_u8(m, OFFLOADMOD_A_HOOK_AVAILABLE,
			   (uint8_t)hooks[i].available);
		nla_put_u8(m, OFFLOADMOD_A_HOOK_ATTACHED,
			   (uint8_t)hooks[i].attached);
		nla_put_u64(m, OFFLOADMOD_A_HOOK_INVOCATIONS,
			    hooks[i].invocations);
		nla_put_u32(m, 99, 1);	/* newer module: ignored */
		nla_nest_end(m, n);
	}
	nla_put_u32(m, 77, 1);	/* newer module: ignored */
	return m;
}

static char *render(const struct status_info *st, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	output_init(json, false);
	output_set_stream(f);
	status_print(st);
	if (output_finish())
		diag("output_finish reported an error");
	fclose(f);
	output_set_stream(NULL);
	return buf;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static void test_good(void)
{
	struct status_info st = { 0 };
	json_object *root, *hk, *h;
	struct nl_msg *m = reply(3);
	char *s;

	ok(status_parse(m, &st) == 0 && st.received, "parse a full reply");
	ok(!strcmp(st.module_version, "0.1.0") && st.uapi_version == 1 &&
	   !strcmp(st.kernel_release, "6.12.117+deb12-amd64") &&
	   st.max_cgroups == 4096, "scalar fields");
	ok(st.n_hooks == 3 && !strcmp(st.hooks[2].name, hooks[2].name) &&
	   st.hooks[0].available && st.hooks[0].attached &&
	   !st.hooks[1].attached && st.hooks[0].invocations == 12345 &&
	   st.hooks[2].invocations == UINT64_MAX, "repeated hook nests");
	nlmsg_free(m);

	s = render(&st, false);
	ok_str(s,
	       "offloadmod 0.1.0  uapi 1  kernel 6.12.117+deb12-amd64\n"
	       "max_cgroups 4096\n"
	       "hook                         available attached invocations\n"
	       "net_dev_queue                yes       yes      12345\n"
	       "netif_receive_skb            yes       no       0\n"
	       "netif_receive_skb_list_entry no        no       18446744073709551615\n",
	       "text output, column fits the longest hook name");
	free(s);

	s = render(&st, true);
	root = json_tokener_parse(s);
	ok(root != NULL, "JSON output is valid");
	ok(json_object_is_type(get(root, "module_version"), json_type_string) &&
	   json_object_get_int(get(root, "uapi_version")) == 1 &&
	   !strcmp(json_object_get_string(get(root, "kernel_release")),
		   "6.12.117+deb12-amd64") &&
	   json_object_get_int(get(root, "max_cgroups")) == 4096,
	   "JSON scalar fields and names");
	hk = get(root, "hooks");
	h = hk ? json_object_array_get_idx(hk, 0) : NULL;
	ok(hk && json_object_array_length(hk) == 3 && h &&
	   !strcmp(json_object_get_string(get(h, "name")), "net_dev_queue") &&
	   json_object_is_type(get(h, "available"), json_type_boolean) &&
	   json_object_get_boolean(get(h, "attached")) &&
	   json_object_get_uint64(get(h, "invocations")) == 12345,
	   "JSON hooks array");
	ok(json_object_object_length(root) == 5 &&
	   json_object_object_length(h) == 4, "JSON has exactly the documented keys");
	h = hk ? json_object_array_get_idx(hk, 2) : NULL;
	ok(h && json_object_get_uint64(get(h, "invocations")) == UINT64_MAX,
	   "JSON u64 counter exact");
	ok(s && !strncmp(s, "{\"module_version\":\"0.1.0\",\"uapi_version\":1,", 42),
	   "JSON field order follows the reply");
	json_object_put(root);
	free(s);
	status_free(&st);
}

static void test_no_hooks(void)
{
	struct status_info st = { 0 };
	struct nl_msg *m = reply(0);
	char *s;

	ok(status_parse(m, &st) == 0 && st.n_hooks == 0, "reply without hooks");
	nlmsg_free(m);
	s = render(&st, false);
	ok(s && !strstr(s, "available"), "no hook table header without hooks");
	free(s);
	s = render(&st, true);
	ok(s && strstr(s, "\"hooks\":[]"), "JSON has an empty hooks array");
	free(s);
	status_free(&st);
}

/* Counters of newer modules: printed when sent, and only then. */
static void test_counters(void)
{
	static const char *const keys[] = {
		"tracked_cgroups", "cgroup_overflow", "unattributed_rx",
		"unattributed_tx", "unattributed_sched", "alloc_failures",
	};
	struct status_info st = { 0 };
	struct nl_msg *m = reply(1);
	json_object *root;
	bool all = true;
	int saved;
	size_t i;
	char *s;

	nla_put_u32(m, OFFLOADMOD_A_STATUS_TRACKED_CGROUPS, 12);
	nla_put_u64(m, OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW, 3);
	nla_put_u64(m, OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX, 100);
	nla_put_u64(m, OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX, 200);
	nla_put_u64(m, OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED, 300);
	nla_put_u64(m, OFFLOADMOD_A_STATUS_ALLOC_FAILURES, UINT64_MAX);
	ok(status_parse(m, &st) == 0, "parse a reply with the stats counters");
	nlmsg_free(m);
	s = render(&st, false);
	ok_str(s,
	       "offloadmod 0.1.0  uapi 1  kernel 6.12.117+deb12-amd64\n"
	       "max_cgroups 4096  tracked_cgroups 12  cgroup_overflow 3\n"
	       "unattributed_rx 100  unattributed_tx 200  unattributed_sched 300  alloc_failures 18446744073709551615\n"
	       "hook                     available attached invocations\n"
	       "net_dev_queue            yes       yes      12345\n",
	       "text output with the counters");
	free(s);
	s = render(&st, true);
	root = json_tokener_parse(s);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		all &= json_object_is_type(get(root, keys[i]), json_type_int);
	ok(all && json_object_object_length(root) == 11 &&
	   json_object_get_uint64(get(root, "tracked_cgroups")) == 12 &&
	   json_object_get_uint64(get(root, "alloc_failures")) == UINT64_MAX,
	   "JSON has the counter keys");
	json_object_put(root);
	free(s);
	status_free(&st);

	m = reply(0);
	nla_put_u32(m, OFFLOADMOD_A_STATUS_TRACKED_CGROUPS, 2);
	nla_put_u64(m, OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX, 5);
	ok(status_parse(m, &st) == 0, "parse a reply with some counters");
	nlmsg_free(m);
	s = render(&st, false);
	ok(s && strstr(s, "\nmax_cgroups 4096  tracked_cgroups 2\nunattributed_tx 5\n"),
	   "text prints only the counters sent");
	free(s);
	s = render(&st, true);
	root = json_tokener_parse(s);
	ok(root && json_object_object_length(root) == 7 &&
	   !get(root, "cgroup_overflow") && get(root, "unattributed_tx"),
	   "JSON has only the counters sent");
	json_object_put(root);
	free(s);
	status_free(&st);

	m = reply(0);
	nla_put_u64(m, OFFLOADMOD_A_STATUS_TRACKED_CGROUPS, 2);
	memset(&st, 0, sizeof(st));
	saved = quiet_stderr();
	ok(status_parse(m, &st) == -EINVAL,
	   "tracked-cgroups of the wrong width rejected");
	restore_stderr(saved);
	nlmsg_free(m);
	status_free(&st);
}

/* Replies that must be refused, each built from scratch. */
static void test_bad(void)
{
	struct status_info st;
	struct nlattr *n;
	struct nl_msg *m;
	int saved, err;

	/* Missing required attribute. */
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, OFFLOADMOD_CMD_GET_STATUS, 1);
	nla_put_u32(m, OFFLOADMOD_A_STATUS_UAPI_VERSION, 1);
	memset(&st, 0, sizeof(st));
	saved = quiet_stderr();
	err = status_parse(m, &st);
	restore_stderr(saved);
	ok(err == -EINVAL && !st.received, "missing module-version rejected");
	status_free(&st);
	nlmsg_free(m);

	/* Hook u8 sent as u32. */
	m = reply(1);
	n = nla_nest_start(m, OFFLOADMOD_A_STATUS_HOOK);
	nla_put_string(m, OFFLOADMOD_A_HOOK_NAME, "x");
	nla_put_u32(m, OFFLOADMOD_A_HOOK_AVAILABLE, 1);
	nla_nest_end(m, n);
	memset(&st, 0, sizeof(st));
	saved = quiet_stderr();
	err = status_parse(m, &st);
	restore_stderr(saved);
	ok(err == -EINVAL, "hook u8 of the wrong width rejected");
	status_free(&st);
	nlmsg_free(m);

	/* Hook without a name. */
	m = reply(2);
	n = nla_nest_start(m, OFFLOADMOD_A_STATUS_HOOK);
	nla_put_u8(m, OFFLOADMOD_A_HOOK_AVAILABLE, 1);
	nla_nest_end(m, n);
	memset(&st, 0, sizeof(st));
	saved = quiet_stderr();
	err = status_parse(m, &st);
	restore_stderr(saved);
	ok(err == -EINVAL, "hook without a name rejected (no leak of earlier hooks)");
	status_free(&st);
	nlmsg_free(m);

	/* Over-long string. */
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, FAKE_FAMILY, 0, 0, OFFLOADMOD_CMD_GET_STATUS, 1);
	{
		char big[200];

		memset(big, 'v', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		nla_put_string(m, OFFLOADMOD_A_STATUS_MODULE_VERSION, big);
	}
	memset(&st, 0, sizeof(st));
	saved = quiet_stderr();
	err = status_parse(m, &st);
	restore_stderr(saved);
	ok(err == -EINVAL, "over-long module-version rejected");
	status_free(&st);
	nlmsg_free(m);
}

static void test_version(void)
{
	struct status_info st = { .uapi_version = OFFLOADMOD_FAMILY_VERSION };
	char buf[512] = "";
	FILE *f = tmpfile();
	int saved;
	size_t n;

	ok(status_check_version(&st), "same uapi version: no warning");
	st.uapi_version = OFFLOADMOD_FAMILY_VERSION + 1;
	fflush(stderr);
	saved = dup(2);
	if (f)
		dup2(fileno(f), 2);
	ok(!status_check_version(&st), "other uapi version detected");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (f) {
		rewind(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
	ok(!strncmp(buf, "offloadmod-ctl: warning: the module speaks uapi version", 55),
	   "uapi mismatch warned on stderr");
}

int main(void)
{
	test_version();
	test_good();
	test_no_hooks();
	test_counters();
	test_bad();
	return tap_done();
}
