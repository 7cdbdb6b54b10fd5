// SPDX-License-Identifier: GPL-2.0
/*
 * Output layer: text formatting, JSON validity (parsed back with json-c),
 * escaping of odd strings, number ranges, document boundaries, misuse.
 */
#include <inttypes.h>
#include <stdlib.h>

#include <json.h>

#include "output.h"
#include "tap.h"

static char *buf;
static size_t buflen;
static FILE *mem;

static void begin(bool json, bool pretty)
{
	mem = open_memstream(&buf, &buflen);
	output_init(json, pretty);
	output_set_stream(mem);
}

/* Returns what was written (caller frees); *failed gets output_finish(). */
static char *end(int *failed)
{
	int f = output_finish();

	if (failed)
		*failed = f;
	fclose(mem);
	output_set_stream(NULL);
	return buf;
}

static json_object *parse(const char *s)
{
	enum json_tokener_error jerr;
	json_object *o = json_tokener_parse_verbose(s, &jerr);

	if (!o)
		diag("json-c: %s in: %s", json_tokener_error_desc(jerr), s);
	return o;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static void test_text(void)
{
	int failed;
	char *s;

	begin(false, false);
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "name %s", "eth0");
	print_uint(PRINT_ANY, "mtu", " mtu %u", 1500);
	print_int(PRINT_ANY, "delta", " delta %d", -3);
	print_u64(PRINT_ANY, "bytes", " bytes %" PRIu64, UINT64_MAX);
	print_s64(PRINT_ANY, "off", " off %" PRId64, INT64_MIN);
	print_bool(PRINT_ANY, "up", " up %s", true);
	print_bool(PRINT_ANY, "down", " down %s", false);
	print_string(PRINT_JSON, "json_only", "NOT IN TEXT %s", "x");
	print_string(PRINT_FP, NULL, " text-only %s", "y");
	print_fp(" %s=%d", "n", 7);
	print_null(PRINT_ANY, "nothing", " none");
	print_string(PRINT_ANY, "nofmt", NULL, "hidden");
	open_json_array(PRINT_JSON, "list");
	print_uint(PRINT_ANY, NULL, " [%u]", 1);
	close_json_array(PRINT_JSON);
	print_nl();
	close_json_object();
	s = end(&failed);
	ok_str(s, "name eth0 mtu 1500 delta -3 bytes 18446744073709551615 off -9223372036854775808 up yes down no text-only y n=7 none [1]\n",
	       "text mode prints formats, skips JSON-only values");
	ok(!failed, "text mode reports no error");
	free(s);

	begin(false, false);
	print_fp("%-8s|%5s|\n", "ab", "cd");
	s = end(NULL);
	ok_str(s, "ab      |   cd|\n", "print_fp pads like printf");
	free(s);
}

static const char *const odd[] = {
	"plain",
	"",
	"quote\" and backslash\\",
	"newline\ncr\rtab\tff\fbs\b",
	"ctrl \x01\x02\x1f del \x7f",
	"slash / and </script>",
	"utf-8 \xc3\xa9 \xe2\x98\x83 \xf0\x9f\x90\xa7",
	"percent %s %n %%",
};

#define N_ODD (sizeof(odd) / sizeof(odd[0]))

static void test_json_escaping(void)
{
	json_object *root, *arr;
	int failed;
	size_t i;
	char *s;

	begin(true, false);
	open_json_object(NULL);
	for (i = 0; i < N_ODD; i++) {
		char key[32];

		snprintf(key, sizeof(key), "s%zu", i);
		print_string(PRINT_ANY, key, "%s", odd[i]);
	}
	/* Odd keys must be escaped too. */
	print_string(PRINT_ANY, "key \"with\"\nnewline", "%s", "v");
	open_json_array(PRINT_ANY, "all");
	for (i = 0; i < N_ODD; i++)
		print_string(PRINT_ANY, NULL, "%s", odd[i]);
	close_json_array(PRINT_ANY);
	close_json_object();
	s = end(&failed);

	ok(!failed, "JSON: no output error");
	ok(s && strchr(s, '\n') == s + strlen(s) - 1,
	   "JSON: one document on one line, newline-terminated");
	ok(s && strstr(s, "\\\"") && strstr(s, "\\\\") && strstr(s, "\\n") &&
	   strstr(s, "\\u0001"),
	   "JSON: quote, backslash, newline, control chars escaped");
	ok(s && strstr(s, "slash / and </script>") != NULL,
	   "JSON: slash left unescaped");
	root = parse(s);
	ok(root != NULL, "JSON: odd strings give valid JSON");
	for (i = 0; i < N_ODD; i++) {
		char key[32];
		json_object *v;

		snprintf(key, sizeof(key), "s%zu", i);
		v = get(root, key);
		ok(v && json_object_is_type(v, json_type_string) &&
		   !strcmp(json_object_get_string(v), odd[i]),
		   "JSON: string %zu round-trips", i);
	}
	ok(json_object_is_type(get(root, "key \"with\"\nnewline"),
			       json_type_string),
	   "JSON: odd key round-trips");
	arr = get(root, "all");
	ok(arr && json_object_is_type(arr, json_type_array) &&
	   json_object_array_length(arr) == N_ODD &&
	   !strcmp(json_object_get_string(json_object_array_get_idx(arr, 3)),
		   odd[3]),
	   "JSON: strings in arrays round-trip");
	json_object_put(root);
	free(s);
}

static void test_json_types(void)
{
	json_object *root, *v, *hooks;
	int failed;
	char *s;

	begin(true, false);
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "name %s ", "x");
	print_uint(PRINT_ANY, "u32", "%u", UINT32_MAX);
	print_int(PRINT_ANY, "int", "%d", -42);
	print_u64(PRINT_ANY, "u64", "%" PRIu64, UINT64_MAX);
	print_s64(PRINT_ANY, "s64", "%" PRId64, INT64_MIN);
	print_bool(PRINT_ANY, "t", "%s", true);
	print_bool(PRINT_ANY, "f", "%s", false);
	print_null(PRINT_ANY, "n", "none");
	print_string(PRINT_ANY, "nullstr", "%s", NULL);
	print_string(PRINT_FP, "text_only", "%s", "hidden");
	print_fp("text %d", 1);
	print_nl();
	open_json_array(PRINT_JSON, "hooks");
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "%s", "h1");
	close_json_object();
	open_json_object(NULL);
	print_string(PRINT_ANY, "name", "%s", "h2");
	open_json_object("nested");
	print_uint(PRINT_ANY, "depth", "%u", 2);
	close_json_object();
	close_json_object();
	close_json_array(PRINT_JSON);
	open_json_array(PRINT_JSON, "empty");
	close_json_array(PRINT_JSON);
	close_json_object();
	s = end(&failed);

	ok(!failed, "JSON types: no output error");
	root = parse(s);
	ok(root != NULL, "JSON types: valid JSON");
	v = get(root, "u32");
	ok(json_object_is_type(v, json_type_int) &&
	   json_object_get_int64(v) == UINT32_MAX, "JSON: u32 max exact");
	v = get(root, "int");
	ok(json_object_get_int(v) == -42, "JSON: negative int");
	ok(s && strstr(s, "\"u64\":18446744073709551615"),
	   "JSON: u64 max printed exactly");
	v = get(root, "u64");
	ok(json_object_get_uint64(v) == UINT64_MAX, "JSON: u64 max parses back");
	ok(json_object_get_int64(get(root, "s64")) == INT64_MIN,
	   "JSON: s64 min exact");
	ok(json_object_is_type(get(root, "t"), json_type_boolean) &&
	   json_object_get_boolean(get(root, "t")) &&
	   !json_object_get_boolean(get(root, "f")), "JSON: booleans");
	ok(json_object_object_get_ex(root, "n", &v) && v == NULL,
	   "JSON: print_null gives null");
	ok(json_object_object_get_ex(root, "nullstr", &v) && v == NULL,
	   "JSON: NULL string gives null");
	ok(!json_object_object_get_ex(root, "text_only", NULL) &&
	   !strstr(s, "text 1"), "JSON: text-only output left out");
	hooks = get(root, "hooks");
	ok(hooks && json_object_array_length(hooks) == 2 &&
	   json_object_get_int(get(get(json_object_array_get_idx(hooks, 1),
				       "nested"), "depth")) == 2,
	   "JSON: arrays of nested objects");
	v = get(root, "empty");
	ok(v && json_object_is_type(v, json_type_array) &&
	   json_object_array_length(v) == 0, "JSON: empty array");
	json_object_put(root);
	free(s);
}

static void test_json_docs(void)
{
	json_object *a, *b, *p;
	char *s, *nl;
	int failed;

	/* Two top-level objects: two JSON lines (the monitor case). */
	begin(true, false);
	open_json_object(NULL);
	print_uint(PRINT_ANY, "seq", "%u", 1);
	close_json_object();
	open_json_object(NULL);
	print_uint(PRINT_ANY, "seq", "%u", 2);
	close_json_object();
	s = end(&failed);
	nl = s ? strchr(s, '\n') : NULL;
	ok(nl && !failed, "JSON lines: first document ends its line");
	if (nl) {
		*nl = '\0';
		a = parse(s);
		b = parse(nl + 1);
		ok(a && b && json_object_get_int(get(a, "seq")) == 1 &&
		   json_object_get_int(get(b, "seq")) == 2,
		   "JSON lines: each line is a document");
		json_object_put(a);
		json_object_put(b);
	}
	free(s);

	/* Top-level array. */
	begin(true, false);
	open_json_array(PRINT_JSON, NULL);
	print_uint(PRINT_ANY, NULL, "%u", 5);
	close_json_array(PRINT_JSON);
	s = end(&failed);
	ok_str(s, "[5]\n", "JSON: top-level array");
	free(s);

	/* Pretty output: indented, same content. */
	begin(true, true);
	open_json_object(NULL);
	print_string(PRINT_ANY, "a", "%s", "x");
	open_json_array(PRINT_JSON, "b");
	print_uint(PRINT_ANY, NULL, "%u", 1);
	close_json_array(PRINT_JSON);
	close_json_object();
	s = end(&failed);
	p = parse(s);
	ok(p && s && strstr(s, "\n  \"a\"") && !failed,
	   "JSON pretty: indented and valid");
	json_object_put(p);
	free(s);

	/* A command that fails half-way leaves no partial JSON. */
	begin(true, false);
	open_json_object(NULL);
	print_string(PRINT_ANY, "a", "%s", "x");
	open_json_array(PRINT_JSON, "b");
	s = end(&failed);
	ok_str(s, "", "JSON: unclosed document is dropped");
	ok(!failed, "JSON: dropping is not an error");
	free(s);
}

static void test_misuse(void)
{
	int failed, i;
	char *s;

	begin(true, false);
	open_json_object(NULL);
	print_string(PRINT_ANY, NULL, "%s", "keyless");
	close_json_object();
	s = end(&failed);
	ok(failed, "JSON: keyless value in an object is reported");
	free(s);

	begin(true, false);
	print_string(PRINT_ANY, "k", "%s", "outside");
	s = end(&failed);
	ok(failed && !strcmp(s, ""), "JSON: value outside any object reported, not printed");
	free(s);

	/* Nesting past the bound: no crash, stays balanced, reported. */
	begin(true, false);
	for (i = 0; i < 40; i++)
		open_json_object(i ? "n" : NULL);
	print_uint(PRINT_ANY, "deep", "%u", 1);
	for (i = 0; i < 40; i++)
		close_json_object();
	s = end(&failed);
	ok(failed, "JSON: too deep nesting reported");
	free(s);

	begin(true, false);
	close_json_object();
	s = end(&failed);
	ok(failed, "JSON: unbalanced close reported");
	free(s);

	/* State is reset by output_init. */
	begin(true, false);
	open_json_object(NULL);
	close_json_object();
	s = end(&failed);
	ok(!failed && !strcmp(s, "{}\n"), "output_init resets error state");
	free(s);
}

int main(void)
{
	test_text();
	test_json_escaping();
	test_json_types();
	test_json_docs();
	test_misuse();
	return tap_done();
}
