// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl: text/JSON output, see output.h. JSON is built as a
 * json-c tree rather than streamed so that escaping, number formatting and
 * pretty-printing come from a maintained library, and so that a failed
 * command can drop a half-built document instead of printing it.
 */
#include <stdarg.h>
#include <stdlib.h>

#include <json.h>

#include "output.h"

/* Deeper than any reply we print; a bound keeps the stack a plain array. */
#define OUTPUT_MAX_DEPTH 32

static struct {
	bool json;
	bool pretty;
	bool failed;
	FILE *fp;
	unsigned int depth;
	json_object *stack[OUTPUT_MAX_DEPTH];
	/* Nesting opened beyond OUTPUT_MAX_DEPTH, tracked to stay balanced. */
	unsigned int overflow;
} out;

static FILE *stream(void)
{
	return out.fp ? out.fp : stdout;
}

static void drop_stack(void)
{
	/* Only stack[0] owns a reference; the rest belong to their parents. */
	if (out.depth)
		json_object_put(out.stack[0]);
	out.depth = 0;
	out.overflow = 0;
}

void output_init(bool json, bool pretty)
{
	drop_stack();
	out.json = json;
	out.pretty = pretty;
	out.failed = false;
}

void output_set_stream(FILE *fp)
{
	out.fp = fp;
}

bool output_is_json(void)
{
	return out.json;
}

int output_finish(void)
{
	if (out.depth || out.overflow)
		drop_stack();
	return out.failed ? -1 : 0;
}

static void emit(json_object *doc)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *s;

	flags |= out.pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;
	s = json_object_to_json_string_ext(doc, flags);
	if (!s) {
		out.failed = true;
		return;
	}
	fputs(s, stream());
	fputc('\n', stream());
}

/*
 * Attach val to the innermost container. Takes ownership of val (frees
 * it on failure). Returns false if val was not attached. json-c spells
 * JSON null as a NULL object, so is_null tells it from a failed
 * allocation.
 */
static bool attach_val(const char *key, json_object *val, bool is_null)
{
	json_object *parent;

	if (!val && !is_null) {
		out.failed = true;
		return false;
	}
	if (out.overflow) {
		json_object_put(val);
		return false;
	}
	if (!out.depth) {
		/* A bare value has nowhere to go: a bug in the caller. */
		out.failed = true;
		json_object_put(val);
		return false;
	}
	parent = out.stack[out.depth - 1];
	if (json_object_is_type(parent, json_type_array)) {
		if (json_object_array_add(parent, val))
			goto fail;
		return true;
	}
	if (!key || json_object_object_add(parent, key, val))
		goto fail;
	return true;
fail:
	out.failed = true;
	json_object_put(val);
	return false;
}

static bool attach(const char *key, json_object *val)
{
	return attach_val(key, val, false);
}

static void open_container(const char *key, json_object *c)
{
	if (!c) {
		out.failed = true;
		out.overflow++;	/* keep open/close balanced */
		return;
	}
	if (out.overflow || out.depth == OUTPUT_MAX_DEPTH) {
		out.failed = true;
		json_object_put(c);
		out.overflow++;
		return;
	}
	if (out.depth) {
		if (!attach(key, c)) {
			out.overflow++;
			return;
		}
	}
	out.stack[out.depth++] = c;
}

static void close_container(void)
{
	if (out.overflow) {
		out.overflow--;
		return;
	}
	if (!out.depth) {
		out.failed = true;	/* unbalanced close */
		return;
	}
	if (--out.depth == 0) {
		emit(out.stack[0]);
		json_object_put(out.stack[0]);
	}
}

void open_json_object(const char *key)
{
	if (out.json)
		open_container(key, json_object_new_object());
}

void close_json_object(void)
{
	if (out.json)
		close_container();
}

void open_json_array(enum output_type type, const char *key)
{
	if (out.json && (type & PRINT_JSON))
		open_container(key, json_object_new_array());
}

void close_json_array(enum output_type type)
{
	if (out.json && (type & PRINT_JSON))
		close_container();
}

/* True if this call prints text; false if it is JSON or does nothing. */
static bool text(enum output_type type, const char *fmt)
{
	return !out.json && (type & PRINT_FP) && fmt;
}

static bool json(enum output_type type)
{
	return out.json && (type & PRINT_JSON);
}

/*
 * The formats are the callers' literals passed through, as in iproute2;
 * the header documents which argument type each one receives.
 */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void print_string(enum output_type type, const char *key, const char *fmt,
		  const char *value)
{
	if (json(type))
		attach_val(key, value ? json_object_new_string(value) : NULL,
			   !value);
	else if (text(type, fmt))
		fprintf(stream(), fmt, value ? value : "");
}

void print_int(enum output_type type, const char *key, const char *fmt,
	       int value)
{
	if (json(type))
		attach(key, json_object_new_int(value));
	else if (text(type, fmt))
		fprintf(stream(), fmt, value);
}

void print_uint(enum output_type type, const char *key, const char *fmt,
		unsigned int value)
{
	if (json(type))
		attach(key, json_object_new_int64(value));
	else if (text(type, fmt))
		fprintf(stream(), fmt, value);
}

void print_s64(enum output_type type, const char *key, const char *fmt,
	       int64_t value)
{
	if (json(type))
		attach(key, json_object_new_int64(value));
	else if (text(type, fmt))
		fprintf(stream(), fmt, value);
}

void print_u64(enum output_type type, const char *key, const char *fmt,
	       uint64_t value)
{
	/* uint64 objects keep counters above INT64_MAX exact. */
	if (json(type))
		attach(key, json_object_new_uint64(value));
	else if (text(type, fmt))
		fprintf(stream(), fmt, value);
}

void print_bool(enum output_type type, const char *key, const char *fmt,
		bool value)
{
	if (json(type))
		attach(key, json_object_new_boolean(value));
	else if (text(type, fmt))
		fprintf(stream(), fmt, value ? "yes" : "no");
}

void print_null(enum output_type type, const char *key, const char *fmt)
{
	if (json(type))
		attach_val(key, NULL, true);
	else if (text(type, fmt))
		fputs(fmt, stream());
}

void print_fp(const char *fmt, ...)
{
	va_list ap;

	if (out.json)
		return;
	va_start(ap, fmt);
	vfprintf(stream(), fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	if (!out.json)
		fputc('\n', stream());
}
