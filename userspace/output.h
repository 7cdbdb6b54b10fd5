/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl: one print path for text and JSON, in the manner of
 * iproute2's lib/json_print.c. A command describes each value once:
 *
 *	print_string(PRINT_ANY, "name", "%-24s ", name);
 *
 * In text mode the value is printed through the printf-style format; in
 * JSON mode (-j) it is added under the key to the innermost open JSON
 * object or array. JSON is built with json-c and each top-level object
 * or array is written as one document (followed by a newline) when it is
 * closed, so a streaming command (monitor) can emit JSON lines and a
 * command that fails half-way leaves no partial JSON on stdout.
 */
#ifndef OFFLOADMOD_OUTPUT_H
#define OFFLOADMOD_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP	= 1,	/* text mode only */
	PRINT_JSON	= 2,	/* JSON mode only */
	PRINT_ANY	= 3,	/* both */
};

/* Select the mode; resets any state. pretty only affects JSON. */
void output_init(bool json, bool pretty);
/* Where output goes (default stdout); tests use a memory stream. */
void output_set_stream(FILE *fp);
bool output_is_json(void);
/*
 * Drop documents that were never closed (a command that failed) and
 * report whether anything went wrong (allocation failure, misuse such as
 * a keyless value inside an object, nesting too deep). 0 or -1.
 */
int output_finish(void);

/* key is NULL for the top level or for an element of an array. */
void open_json_object(const char *key);
void close_json_object(void);
/* Arrays exist only in JSON; type says whether to open it at all. */
void open_json_array(enum output_type type, const char *key);
void close_json_array(enum output_type type);

/*
 * Values. fmt is a printf format taking exactly the value (NULL: print
 * nothing in text mode). For print_u64/print_s64 use PRIu64/PRId64.
 * print_bool's text format takes a string: "yes" or "no".
 * print_string with a NULL value emits JSON null.
 */
void print_string(enum output_type type, const char *key, const char *fmt,
		  const char *value);
void print_int(enum output_type type, const char *key, const char *fmt,
	       int value);
void print_uint(enum output_type type, const char *key, const char *fmt,
		unsigned int value);
void print_s64(enum output_type type, const char *key, const char *fmt,
	       int64_t value);
void print_u64(enum output_type type, const char *key, const char *fmt,
	       uint64_t value);
void print_bool(enum output_type type, const char *key, const char *fmt,
		bool value);
void print_null(enum output_type type, const char *key, const char *fmt);

/* Text only: printf-style, checked by the compiler. */
void print_fp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Text only: end the line. */
void print_nl(void);

#endif /* OFFLOADMOD_OUTPUT_H */
