// SPDX-License-Identifier: GPL-2.0
/*
 * fastpath without a kernel: the command line (valid and invalid, with
 * the message naming the argument) and the text and JSON "show" prints,
 * with exactly the documented field names.
 */
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "ctl.h"
#include "fastpath.h"
#include "output.h"
#include "tap.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static char err_buf[4096];

static int parse(int argc, char **argv, struct fp_args *a)
{
	FILE *ef = tmpfile();
	int saved, ret;
	size_t n;

	fflush(stderr);
	saved = dup(2);
	dup2(fileno(ef), 2);
	ret = fastpath_parse_args(argc, argv, a);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(ef);
	n = fread(err_buf, 1, sizeof(err_buf) - 1, ef);
	err_buf[n] = '\0';
	fclose(ef);
	return ret;
}

#define PARSE(a, ...) ({						\
	char *args_[] = { __VA_ARGS__ };				\
	parse((int)N_OF(args_), args_, a);				\
})

#define BAD(want, ...) do {						\
	struct fp_args a_;						\
	int r_ = PARSE(&a_, __VA_ARGS__);				\
	ok(r_ == CTL_EXIT_USAGE && strstr(err_buf, want) &&		\
	   strstr(err_buf, "Usage: offloadmod-ctl "),			\
	   "usage error: %s", want);					\
} while (0)

static char *render(const struct fp_iface *v, size_t n, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	output_init(json, false);
	output_set_stream(mem);
	fastpath_print(v, n, "peer");
	output_finish();
	output_set_stream(NULL);
	fclose(mem);
	return buf;
}

int main(void)
{
	struct fp_iface rows[2] = {
		{ .name = "vethA", .ifindex = 7, .enabled = true,
		  .attached = true, .mac = { 0x02, 0, 0, 0, 0, 0x0a },
		  .has_mac = true, .master = "br0", .redirected = 123,
		  .passed = 4 },
		{ .name = "vethB", .ifindex = 9 },
	};
	struct json_object *j, *o, *f;
	struct fp_args a;
	char *s;

	ok(PARSE(&a, "enable", "vethA") == CTL_EXIT_OK &&
	   a.cmd == FP_CMD_ENABLE && !strcmp(a.target, "vethA"),
	   "enable TARGET");
	ok(PARSE(&a, "dis", "/sys/fs/cgroup/x") == CTL_EXIT_OK &&
	   a.cmd == FP_CMD_DISABLE, "disable abbreviated");
	ok(PARSE(&a, "show") == CTL_EXIT_OK && a.cmd == FP_CMD_SHOW &&
	   !a.target, "show without TARGET");
	ok(PARSE(&a, "help") == CTL_EXIT_OK && a.cmd == FP_CMD_HELP, "help");
	{
		struct fp_args a0;

		ok(parse(0, NULL, &a0) == CTL_EXIT_USAGE &&
		   strstr(err_buf, "no COMMAND given"),
		   "usage error: no COMMAND given");
	}
	BAD("unknown command \"bogus\"", "bogus", "x");
	BAD("enable needs a TARGET", "enable");
	BAD("disable needs a TARGET", "disable");
	BAD("unexpected argument \"y\"", "enable", "x", "y");
	BAD("empty TARGET", "show", "");
	BAD("unexpected argument \"x\"", "help", "x");

	s = render(rows, 2, false);
	ok(strstr(s, "vethA ifindex 7: enabled peer 02:00:00:00:00:0a bridge br0 redirect peer\n    redirected 123 passed 4\n") != NULL,
	   "text: enabled row");
	ok(strstr(s, "vethB ifindex 9: disabled\n    redirected 0 passed 0\n") != NULL,
	   "text: disabled row");
	free(s);

	s = render(rows, 2, true);
	j = json_tokener_parse(s);
	ok(j && json_object_is_type(j, json_type_array) &&
	   json_object_array_length(j) == 2, "JSON: an array of 2");
	o = j ? json_object_array_get_idx(j, 0) : NULL;
	ok(o && json_object_object_get_ex(o, "ifname", &f) &&
	   !strcmp(json_object_get_string(f), "vethA"), "JSON: ifname");
	ok(o && json_object_object_get_ex(o, "redirected", &f) &&
	   json_object_get_int64(f) == 123, "JSON: redirected");
	ok(o && json_object_object_get_ex(o, "passed", &f) &&
	   json_object_get_int64(f) == 4, "JSON: passed");
	ok(o && json_object_object_get_ex(o, "enabled", &f) &&
	   json_object_get_boolean(f), "JSON: enabled");
	ok(o && json_object_object_get_ex(o, "peer_mac", &f) &&
	   !strcmp(json_object_get_string(f), "02:00:00:00:00:0a"),
	   "JSON: peer_mac");
	ok(o && json_object_object_get_ex(o, "redirect", &f) &&
	   !strcmp(json_object_get_string(f), "peer"), "JSON: redirect");
	o = j ? json_object_array_get_idx(j, 1) : NULL;
	ok(o && json_object_object_get_ex(o, "bridge", &f) && !f &&
	   json_object_object_get_ex(o, "attached", &f) &&
	   !json_object_get_boolean(f), "JSON: disabled row has null bridge");
	json_object_put(j);
	free(s);

	s = render(rows, 0, true);
	ok(!strcmp(s, "[]\n"), "JSON: nothing enabled is []");
	free(s);
	return tap_done();
}
