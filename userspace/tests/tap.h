/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the host unit tests: "ok N - name",
 * "not ok N - name", "ok N - name # SKIP why", and the "1..N" plan at
 * the end. tap_done() is the test's exit status.
 */
#ifndef OFFLOADMOD_TAP_H
#define OFFLOADMOD_TAP_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int tap_count, tap_failed;

static void tap_vresult(bool pass, const char *skip, const char *fmt,
			va_list ap)
{
	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	vprintf(fmt, ap);
	if (skip)
		printf(" # SKIP %s", skip);
	putchar('\n');
	fflush(stdout);
	if (!pass)
		tap_failed++;
}

static bool __attribute__((format(printf, 2, 3), unused))
ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(pass, NULL, fmt, ap);
	va_end(ap);
	return pass;
}

static void __attribute__((format(printf, 2, 3), unused))
skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(true, why, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 1, 2), unused))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Equal strings, with a diagnostic showing both when they are not. */
static bool __attribute__((unused))
ok_str(const char *got, const char *want, const char *name)
{
	bool pass = got && want ? !strcmp(got, want) : got == want;

	ok(pass, "%s", name);
	if (!pass)
		diag("got  \"%s\"\n# want \"%s\"", got ? got : "(null)",
		     want ? want : "(null)");
	return pass;
}

/*
 * Silence stderr around calls that are expected to complain, so a
 * passing run reads clean. quiet_stderr() returns the saved fd.
 */
static int __attribute__((unused)) quiet_stderr(void)
{
	int saved, devnull;

	fflush(stderr);
	saved = dup(2);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, 2);
		close(devnull);
	}
	return saved;
}

static void __attribute__((unused)) restore_stderr(int saved)
{
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
}

static int __attribute__((unused)) tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* OFFLOADMOD_TAP_H */
