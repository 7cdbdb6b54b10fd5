// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl policy, dev and monitor: print decoded policies through
 * the output layer, see policy.h. Text spells settings as the command
 * line does ("gso off", "gro-flush-timeout 20000"); JSON uses the keys of
 * the settings tables, and leaves out a setting the policy does not have.
 */
#include <inttypes.h>
#include <stdio.h>

#include "output.h"
#include "policy.h"

static const char *mode_name(uint64_t mode)
{
	return mode <= OFFLOADMOD_POLICY_MODE_AUDIT ? policy_mode_names[mode] :
						      "unknown";
}

/* " gso off" in text, "gso": false in JSON. */
static void print_setting(const struct setting *s, uint64_t v)
{
	switch (s->kind) {
	case SETTING_ONOFF:
		print_bool(PRINT_JSON, s->key, NULL, v);
		print_fp(" %s %s", s->word, v ? "on" : "off");
		break;
	case SETTING_MODE:
		print_string(PRINT_JSON, s->key, NULL, mode_name(v));
		print_fp(" %s %s", s->word, mode_name(v));
		break;
	default:
		print_u64(PRINT_JSON, s->key, NULL, v);
		print_fp(" %s %" PRIu64, s->word, v);
		break;
	}
}

/* Every setting present; returns how many. */
static int print_settings(const struct setting *tab, uint32_t present,
			  const uint64_t *val)
{
	int i, n = 0;

	for (i = 0; tab[i].word; i++) {
		if (!((present >> tab[i].attr) & 1))
			continue;
		print_setting(&tab[i], val[tab[i].attr]);
		n++;
	}
	return n;
}

/* A counter: always in "show", only when sent in an event. JSON only. */
static void print_counter(const char *key, uint32_t present,
			  const uint64_t *val, int attr, bool event)
{
	if (!event || ((present >> attr) & 1))
		print_u64(PRINT_JSON, key, NULL, val[attr]);
}

static void print_policy_counters(const struct policy_info *p, bool event)
{
	print_counter("sockets", p->present, p->val,
		      OFFLOADMOD_A_POLICY_SOCKETS, event);
	print_counter("sockets_adjusted", p->present, p->val,
		      OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED, event);
	print_counter("audit_would_adjust", p->present, p->val,
		      OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST, event);
	print_counter("errors", p->present, p->val,
		      OFFLOADMOD_A_POLICY_ERRORS, event);
}

/*
 * One row of the "policy show" table. JSON: the settings the policy has
 * (mode always: enforce unless it says audit), then the counters.
 */
static void print_policy_row(const struct policy_info *p)
{
	static const int numbers[] = {
		OFFLOADMOD_A_POLICY_GSO_MAX_SIZE,
		OFFLOADMOD_A_POLICY_GSO_MAX_SEGS,
		OFFLOADMOD_A_POLICY_BUSY_POLL,
	};
	static const char *const keys[] = {
		"gso_max_size", "gso_max_segs", "busy_poll_us",
	};
	uint64_t mode = PRESENT(p, OFFLOADMOD_A_POLICY_MODE) ?
			p->val[OFFLOADMOD_A_POLICY_MODE] :
			OFFLOADMOD_POLICY_MODE_ENFORCE;
	unsigned int i;

	open_json_object(NULL);
	print_u64(PRINT_ANY, "cgroup_id", "%-12" PRIu64, p->cgroup_id);
	print_string(PRINT_JSON, "path", NULL, p->path);
	print_string(PRINT_ANY, "mode", " %-8s", mode_name(mode));
	if (PRESENT(p, OFFLOADMOD_A_POLICY_GSO)) {
		bool on = p->val[OFFLOADMOD_A_POLICY_GSO];

		print_bool(PRINT_JSON, "gso", NULL, on);
		print_fp(" %-4s", on ? "on" : "off");
	} else {
		print_fp(" %-4s", "-");
	}
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		if (PRESENT(p, numbers[i]))
			print_u64(PRINT_ANY, keys[i], " %12" PRIu64,
				  p->val[numbers[i]]);
		else
			print_fp(" %12s", "-");
	}
	print_policy_counters(p, false);
	print_fp(" %8" PRIu64 " %10" PRIu64 " %12" PRIu64 " %8" PRIu64,
		 p->val[OFFLOADMOD_A_POLICY_SOCKETS],
		 p->val[OFFLOADMOD_A_POLICY_SOCKETS_ADJUSTED],
		 p->val[OFFLOADMOD_A_POLICY_AUDIT_WOULD_ADJUST],
		 p->val[OFFLOADMOD_A_POLICY_ERRORS]);
	print_fp("  %s", p->path[0] ? p->path : "-");
	print_nl();
	close_json_object();
}

void policy_print_list(const struct policy_list *list)
{
	size_t i;

	open_json_array(PRINT_JSON, NULL);
	if (list->n)
		print_fp("%-12s %-8s %-4s %12s %12s %12s %8s %10s %12s %8s  %s\n",
			 "cgroup_id", "mode", "gso", "gso_max_size",
			 "gso_max_segs", "busy_poll_us", "sockets", "adjusted",
			 "would_adjust", "errors", "path");
	for (i = 0; i < list->n; i++)
		print_policy_row(&list->v[i]);
	close_json_array(PRINT_JSON);
}

/* "veth0,veth1" in text (after prefix), an array in JSON (always). */
static void print_ifaces(const struct dev_info *d, const char *prefix)
{
	size_t i;

	if (d->n_ifaces)
		print_fp("%s", prefix);
	open_json_array(PRINT_JSON, "ifaces");
	for (i = 0; i < d->n_ifaces; i++)
		print_string(PRINT_ANY, NULL, i ? ",%s" : "%s", d->ifaces[i]);
	close_json_array(PRINT_JSON);
}

static void print_dev_counters(const struct dev_info *d, bool event)
{
	print_counter("ifaces_adjusted", d->present, d->val,
		      OFFLOADMOD_A_DEV_IFACES_ADJUSTED, event);
	print_counter("errors", d->present, d->val, OFFLOADMOD_A_DEV_ERRORS,
		      event);
}

/*
 * One row of "dev show": netns, pattern, counters, the settings; the
 * interfaces it applies to on a line of their own below.
 */
static void print_dev_row(const struct dev_info *d)
{
	open_json_object(NULL);
	print_uint(PRINT_ANY, "netns_inum", "%-12u", d->netns_inum);
	print_string(PRINT_ANY, "pattern", " %-16s", d->pattern);
	print_fp(" %8" PRIu64 " %8" PRIu64 " ",
		 d->val[OFFLOADMOD_A_DEV_IFACES_ADJUSTED],
		 d->val[OFFLOADMOD_A_DEV_ERRORS]);
	if (!print_settings(dev_settings, d->present, d->val))
		print_fp(" -");
	print_nl();
	print_ifaces(d, "             ifaces ");
	if (d->n_ifaces)
		print_nl();
	print_dev_counters(d, false);
	close_json_object();
}

void dev_print_list(const struct dev_list *list)
{
	size_t i;

	open_json_array(PRINT_JSON, NULL);
	if (list->n)
		print_fp("%-12s %-16s %8s %8s  %s\n", "netns_inum", "pattern",
			 "adjusted", "errors", "settings");
	for (i = 0; i < list->n; i++)
		print_dev_row(&list->v[i]);
	close_json_array(PRINT_JSON);
}

void policy_print_event(const char *event, const struct policy_info *p)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", event);
	print_u64(PRINT_ANY, "cgroup_id", " cgroup %" PRIu64, p->cgroup_id);
	if (PRESENT(p, OFFLOADMOD_A_POLICY_PATH))
		print_string(PRINT_ANY, "path", " %s", p->path);
	print_settings(policy_settings, p->present, p->val);
	print_policy_counters(p, true);
	print_nl();
	close_json_object();
}

void dev_print_event(const char *event, const struct dev_info *d)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", event);
	if (PRESENT(d, OFFLOADMOD_A_DEV_NETNS_INUM))
		print_uint(PRINT_ANY, "netns_inum", " netns %u", d->netns_inum);
	print_string(PRINT_ANY, "pattern", " pattern %s", d->pattern);
	print_settings(dev_settings, d->present, d->val);
	print_ifaces(d, " ifaces ");
	print_dev_counters(d, true);
	print_nl();
	close_json_object();
}
