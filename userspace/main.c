// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl: global options and object dispatch.
 *
 * To add an object: write OBJECT.c defining
 * "const struct ctl_object ctl_obj_OBJECT", add it to the Makefile and
 * to objects[] below (and to the completion and man page).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/offloadmod.h>

#include "ctl.h"
#include "output.h"

extern const struct ctl_object ctl_obj_status;
extern const struct ctl_object ctl_obj_stats;
extern const struct ctl_object ctl_obj_policy;
extern const struct ctl_object ctl_obj_dev;
extern const struct ctl_object ctl_obj_monitor;
extern const struct ctl_object ctl_obj_trace;
extern const struct ctl_object ctl_obj_fastpath;
static const struct ctl_object ctl_obj_help;

/* Order is the order of "help"; lookup is exact or unique-prefix. */
static const struct ctl_object *const objects[] = {
	&ctl_obj_status,
	&ctl_obj_stats,
	&ctl_obj_policy,
	&ctl_obj_dev,
	&ctl_obj_monitor,
	&ctl_obj_trace,
	&ctl_obj_fastpath,
	&ctl_obj_help,
};

#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]))

static void short_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "Usage: %s [OPTIONS] OBJECT [COMMAND] [ARGS]\n", CTL_PROG);
	fprintf(fp, "where  OBJECT := {");
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(fp, " %s%s", objects[i]->name,
			i + 1 < N_OBJECTS ? " |" : " }\n");
	fprintf(fp, "       OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }\n");
}

static void usage(FILE *fp)
{
	size_t i;

	short_usage(fp);
	fprintf(fp,
		"\n"
		"Options:\n"
		"  -j, --json     print JSON instead of text\n"
		"  -p, --pretty   indent JSON output (with -j)\n"
		"  -V, --version  print the version and exit\n"
		"  -h, --help     print this help and exit\n"
		"\n"
		"Objects:\n");
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(fp, "  %s [OPTIONS] %s\n", CTL_PROG, objects[i]->synopsis);
	fprintf(fp,
		"\n"
		"Exit status: 0 success, 1 usage error, 2 kernel or system error.\n"
		"See offloadmod-ctl(8).\n");
}

static int usage_err(const char *fmt, ...) CTL_PRINTF(1, 2);

static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", CTL_PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	short_usage(stderr);
	return CTL_EXIT_USAGE;
}

/* NULL: not found (*ambiguous tells why). */
static const struct ctl_object *lookup_object(const char *name,
					      bool *ambiguous)
{
	const char *names[N_OBJECTS + 1];
	size_t i;
	int idx;

	for (i = 0; i < N_OBJECTS; i++)
		names[i] = objects[i]->name;
	names[N_OBJECTS] = NULL;
	idx = ctl_lookup(name, names);
	*ambiguous = idx == -2;
	return idx >= 0 ? objects[idx] : NULL;
}

static int do_help(int argc, char **argv)
{
	const struct ctl_object *obj;
	bool ambiguous;
	char *sub[] = { "help", NULL };

	if (argc == 0) {
		usage(stdout);
		return CTL_EXIT_OK;
	}
	if (argc > 1)
		return usage_err("unexpected argument \"%s\"", argv[1]);
	obj = lookup_object(argv[0], &ambiguous);
	if (!obj)
		return usage_err("%s object \"%s\"",
				 ambiguous ? "ambiguous" : "unknown", argv[0]);
	if (obj == &ctl_obj_help) {
		usage(stdout);
		return CTL_EXIT_OK;
	}
	/* Every object answers "OBJECT help" with its own usage. */
	return obj->run(1, sub);
}

static const struct ctl_object ctl_obj_help = {
	.name		= "help",
	.synopsis	= "help [ OBJECT ]",
	.run		= do_help,
};

/* Flush stdout and report a failed write (full disk, closed pipe). */
static int close_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", CTL_PROG,
			strerror(errno));
		return CTL_EXIT_FAIL;
	}
	return status;
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json",	no_argument, NULL, 'j' },
		{ "pretty",	no_argument, NULL, 'p' },
		{ "version",	no_argument, NULL, 'V' },
		{ "help",	no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct ctl_object *obj;
	bool json = false, pretty = false, ambiguous;
	int opt, ret;

	/* Our own messages: getopt's would use argv[0] and no usage. */
	opterr = 0;
	/* "+": stop at the object; what follows belongs to it. */
	while ((opt = getopt_long(argc, argv, "+jpVh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'V':
			printf("%s %s (uapi %d)\n", CTL_PROG,
			       OFFLOADMOD_CTL_VERSION, OFFLOADMOD_FAMILY_VERSION);
			return close_stdout(CTL_EXIT_OK);
		case 'h':
			usage(stdout);
			return close_stdout(CTL_EXIT_OK);
		default:
			if (optopt) {
				char opt_s[2] = { (char)optopt, '\0' };

				return usage_err("unknown option \"-%s\"",
						 opt_s);
			}
			return usage_err("unknown option \"%s\"",
					 argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_err("no OBJECT given");

	obj = lookup_object(argv[optind], &ambiguous);
	if (!obj)
		return usage_err("%s object \"%s\"",
				 ambiguous ? "ambiguous" : "unknown", argv[optind]);

	output_init(json, pretty);
	ret = obj->run(argc - optind - 1, argv + optind + 1);
	if (output_finish() && ret == CTL_EXIT_OK) {
		fprintf(stderr, "%s: internal error while formatting output\n",
			CTL_PROG);
		ret = CTL_EXIT_FAIL;
	}
	return close_stdout(ret);
}
