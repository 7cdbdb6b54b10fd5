// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl: diagnostics and word matching shared by all objects.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static void vmsg(const char *tag, const char *fmt, va_list ap)
{
	/* stdout may hold buffered text; keep the streams in order on a tty. */
	fflush(stdout);
	fprintf(stderr, "%s: %s", CTL_PROG, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ctl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void ctl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int ctl_usage_err(const char *synopsis, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Usage: %s [OPTIONS] %s\n", CTL_PROG, synopsis);
	fprintf(stderr, "Try '%s help' for more information.\n", CTL_PROG);
	return CTL_EXIT_USAGE;
}

int ctl_lookup(const char *arg, const char *const *words)
{
	size_t len = strlen(arg);
	int i, found = -1;

	if (!len)
		return -1;
	for (i = 0; words[i]; i++)
		if (!strcmp(arg, words[i]))
			return i;
	for (i = 0; words[i]; i++) {
		if (strncmp(arg, words[i], len))
			continue;
		if (found >= 0)
			return -2;
		found = i;
	}
	return found;
}

bool ctl_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	const char *p;
	char *end;

	/* strtoull alone would take " 1", "+1", "-1" (as a huge number). */
	if (!*s)
		return false;
	for (p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return false;
	*v = x;
	return true;
}
