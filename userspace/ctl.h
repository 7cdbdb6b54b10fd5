/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl: what every object handler shares. An object (status,
 * stats, policy, dev, monitor) is one file that defines a
 * struct ctl_object; main.c lists it in its dispatch table.
 */
#ifndef OFFLOADMOD_CTL_H
#define OFFLOADMOD_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CTL_PROG "offloadmod-ctl"

#ifndef OFFLOADMOD_CTL_VERSION
#define OFFLOADMOD_CTL_VERSION "0.0.0"
#endif

/* Exit status contract, see offloadmod-ctl(8) "EXIT STATUS". */
enum {
	CTL_EXIT_OK	= 0,	/* success */
	CTL_EXIT_USAGE	= 1,	/* bad command line */
	CTL_EXIT_FAIL	= 2,	/* kernel or system error */
};

struct ctl_object {
	const char *name;
	/* Everything after "offloadmod-ctl [OPTIONS] ", for usage texts. */
	const char *synopsis;
	/*
	 * Runs with the arguments after the object word; returns a
	 * CTL_EXIT_* value. Global options are already applied.
	 */
	int (*run)(int argc, char **argv);
};

#define CTL_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* "offloadmod-ctl: <msg>\n" on stderr. */
void ctl_err(const char *fmt, ...) CTL_PRINTF(1, 2);
/* "offloadmod-ctl: warning: <msg>\n" on stderr. */
void ctl_warn(const char *fmt, ...) CTL_PRINTF(1, 2);
/*
 * Usage error: one-line message plus "Usage: offloadmod-ctl [OPTIONS]
 * <synopsis>" on stderr. Returns CTL_EXIT_USAGE so handlers can
 * "return ctl_usage_err(...)".
 */
int ctl_usage_err(const char *synopsis, const char *fmt, ...) CTL_PRINTF(2, 3);

/*
 * Look up a (possibly abbreviated) word in a NULL-terminated list: an
 * exact match wins, otherwise a unique prefix. Returns the index, -1
 * when nothing matches, -2 when the prefix is ambiguous. Unique-prefix
 * rather than first-match so that adding a word later cannot silently
 * change what an existing abbreviation means.
 */
int ctl_lookup(const char *arg, const char *const *words);

/*
 * Strict unsigned decimal: digits only (no sign, space, "0x" or suffix),
 * no overflow, min <= value <= max. False if s is anything else.
 */
bool ctl_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v);

#endif /* OFFLOADMOD_CTL_H */
