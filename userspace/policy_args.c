// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl policy and dev: the settings each kind of policy has, and
 * the command lines of set / show / del, see policy.h.
 *
 * A command line is one positional word (TARGET or PATTERN) and KEYWORD
 * VALUE pairs, in any order. A word spelled exactly like a keyword is that
 * keyword; otherwise the first such word is the positional one, and later
 * words may abbreviate keywords to a unique prefix. Values are checked
 * here against the uapi's bounds so that a typo gets a message naming the
 * argument before anything is sent; the kernel checks them again.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "ctl.h"
#include "policy.h"

const struct setting policy_settings[] = {
	{ OFFLOADMOD_A_POLICY_GSO, "gso", "gso", SETTING_ONOFF,
	  0, 1, false, NULL },
	{ OFFLOADMOD_A_POLICY_GSO_MAX_SIZE, "gso-max-size", "gso_max_size",
	  SETTING_U32, OFFLOADMOD_POLICY_GSO_MAX_SIZE_MIN,
	  OFFLOADMOD_POLICY_GSO_MAX_SIZE_MAX, true, "bytes" },
	{ OFFLOADMOD_A_POLICY_GSO_MAX_SEGS, "gso-max-segs", "gso_max_segs",
	  SETTING_U32, 1, OFFLOADMOD_POLICY_GSO_MAX_SEGS_MAX, true,
	  "segments" },
	{ OFFLOADMOD_A_POLICY_BUSY_POLL, "busy-poll", "busy_poll_us",
	  SETTING_U32, 1, OFFLOADMOD_POLICY_BUSY_POLL_MAX, true,
	  "microseconds" },
	{ OFFLOADMOD_A_POLICY_MODE, "mode", "mode", SETTING_MODE,
	  0, OFFLOADMOD_POLICY_MODE_AUDIT, false, NULL },
	{ 0 },
};

const struct setting dev_settings[] = {
	{ OFFLOADMOD_A_DEV_TSO, "tso", "tso", SETTING_ONOFF, 0, 1, false,
	  NULL },
	{ OFFLOADMOD_A_DEV_GSO, "gso", "gso", SETTING_ONOFF, 0, 1, false,
	  NULL },
	{ OFFLOADMOD_A_DEV_GRO, "gro", "gro", SETTING_ONOFF, 0, 1, false,
	  NULL },
	{ OFFLOADMOD_A_DEV_LRO, "lro", "lro", SETTING_ONOFF, 0, 1, false,
	  NULL },
	{ OFFLOADMOD_A_DEV_RX_GRO_HW, "rx-gro-hw", "rx_gro_hw", SETTING_ONOFF,
	  0, 1, false, NULL },
	{ OFFLOADMOD_A_DEV_TX_CSUM, "tx-checksumming", "tx_checksumming",
	  SETTING_ONOFF, 0, 1, false, NULL },
	{ OFFLOADMOD_A_DEV_GSO_MAX_SIZE, "gso-max-size", "gso_max_size",
	  SETTING_U32, 1, OFFLOADMOD_DEV_GSO_MAX_SIZE_MAX, false, "bytes" },
	{ OFFLOADMOD_A_DEV_GRO_MAX_SIZE, "gro-max-size", "gro_max_size",
	  SETTING_U32, 1, OFFLOADMOD_DEV_GRO_MAX_SIZE_MAX, false, "bytes" },
	{ OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT, "gro-flush-timeout",
	  "gro_flush_timeout_ns", SETTING_U32, 0, UINT32_MAX, false,
	  "nanoseconds" },
	{ OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS, "napi-defer-hard-irqs",
	  "napi_defer_hard_irqs", SETTING_U32, 0,
	  OFFLOADMOD_DEV_NAPI_DEFER_HARD_IRQS_MAX, false, "a count" },
	{ 0 },
};

const char *const policy_mode_names[] = {
	[OFFLOADMOD_POLICY_MODE_ENFORCE] = "enforce",
	[OFFLOADMOD_POLICY_MODE_AUDIT] = "audit",
	NULL,
};

static const char *const onoff_names[] = { "off", "on", NULL };

/* Longest keyword list: netns plus every dev setting. */
#define MAX_WORDS 16

/* What one command accepts. */
struct cmdline {
	const char *syn;		/* for usage errors */
	const char *what;		/* "TARGET" or "PATTERN" */
	bool need_pos;			/* the positional word is required */
	bool netns;			/* "netns NS" is accepted */
	const struct setting *settings;	/* accepted settings, or NULL */
	/* Results. */
	const char *pos;
	const char *netns_arg;
	uint32_t *present;
	uint64_t *val;
};

/* value of setting s from word arg, or a usage error naming both. */
static int parse_value(const struct cmdline *c, const struct setting *s,
		       const char *arg)
{
	uint64_t v;
	int i;

	switch (s->kind) {
	case SETTING_ONOFF:
		i = ctl_lookup(arg, onoff_names);
		if (i < 0)
			return ctl_usage_err(c->syn, "invalid %s \"%s\": on or off",
					     s->word, arg);
		v = (uint64_t)i;
		break;
	case SETTING_MODE:
		i = ctl_lookup(arg, policy_mode_names);
		if (i < 0)
			return ctl_usage_err(c->syn,
					     "invalid %s \"%s\": enforce or audit",
					     s->word, arg);
		v = (uint64_t)i;
		break;
	default:
		if (!ctl_parse_u64(arg, s->zero_removes ? 0 : s->min, s->max,
				   &v) ||
		    (s->zero_removes && v && v < s->min)) {
			if (s->zero_removes)
				return ctl_usage_err(c->syn,
						     "invalid %s \"%s\": %s, 0 (remove) or %" PRIu32 " to %" PRIu32,
						     s->word, arg, s->unit,
						     s->min, s->max);
			return ctl_usage_err(c->syn,
					     "invalid %s \"%s\": %s, %" PRIu32 " to %" PRIu32,
					     s->word, arg, s->unit, s->min,
					     s->max);
		}
		break;
	}
	c->val[s->attr] = v;
	*c->present |= 1u << s->attr;
	return CTL_EXIT_OK;
}

static int parse_cmdline(struct cmdline *c, int argc, char **argv)
{
	const char *words[MAX_WORDS + 1];
	bool netns_seen = false;
	int i, n = 0, w, netns_idx = -1;

	if (c->netns) {
		netns_idx = n;
		words[n++] = "netns";
	}
	for (i = 0; c->settings && c->settings[i].word; i++)
		words[n++] = c->settings[i].word;
	words[n] = NULL;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const struct setting *s;

		/* Exact keywords first; the positional word; then prefixes. */
		w = -1;
		for (n = 0; words[n]; n++)
			if (!strcmp(arg, words[n]))
				w = n;
		if (w < 0 && !c->pos) {
			c->pos = arg;
			continue;
		}
		if (w < 0)
			w = ctl_lookup(arg, words);
		if (w == -2)
			return ctl_usage_err(c->syn, "ambiguous argument \"%s\"",
					     arg);
		if (w < 0)
			return ctl_usage_err(c->syn, "unexpected argument \"%s\"",
					     arg);
		if (i + 1 >= argc)
			return ctl_usage_err(c->syn, "%s needs a value",
					     words[w]);
		if (w == netns_idx) {
			if (netns_seen)
				return ctl_usage_err(c->syn,
						     "\"netns\" given twice");
			netns_seen = true;
			c->netns_arg = argv[++i];
			if (!*c->netns_arg)
				return ctl_usage_err(c->syn, "empty netns");
			continue;
		}
		s = &c->settings[w - (netns_idx >= 0)];
		if ((*c->present >> s->attr) & 1)
			return ctl_usage_err(c->syn, "\"%s\" given twice",
					     s->word);
		if (parse_value(c, s, argv[++i]))
			return CTL_EXIT_USAGE;
	}
	if (c->need_pos && !c->pos) {
		if (argc && !strcmp(c->what, "TARGET"))
			return ctl_usage_err(c->syn,
					     "no TARGET given (a cgroup named like a keyword can be given as path:NAME)");
		return ctl_usage_err(c->syn, "no %s given", c->what);
	}
	if (c->settings && !*c->present) {
		char list[256] = "";

		for (i = 0; c->settings[i].word; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", i ? ", " : "", c->settings[i].word);
		return ctl_usage_err(c->syn, "no setting given (%s)", list);
	}
	return CTL_EXIT_OK;
}

/* "set", "show" or "del"; -1 for anything else. */
static int which_cmd(const char *cmd)
{
	static const char *const cmds[] = { "set", "show", "del", NULL };
	int i;

	for (i = 0; cmds[i]; i++)
		if (!strcmp(cmd, cmds[i]))
			return i;
	return -1;
}

int policy_parse_args(const char *cmd, int argc, char **argv,
		      struct policy_args *a)
{
	static const char *const syn[] = {
		POLICY_SET_SYNOPSIS, POLICY_SHOW_SYNOPSIS, POLICY_DEL_SYNOPSIS,
	};
	int k = which_cmd(cmd);
	struct cmdline c = {
		.what = "TARGET",
		.present = &a->set.present,
		.val = a->set.val,
	};
	int ret;

	memset(a, 0, sizeof(*a));
	if (k < 0)
		return CTL_EXIT_USAGE;
	c.syn = syn[k];
	c.need_pos = k != 1;
	c.settings = k == 0 ? policy_settings : NULL;
	ret = parse_cmdline(&c, argc, argv);
	a->spec = c.pos;
	return ret;
}

/* What the kernel would refuse, named here. */
static int check_pattern(const char *syn, const char *p)
{
	const char *s;

	if (!*p)
		return ctl_usage_err(syn, "empty PATTERN");
	if (strlen(p) > OFFLOADMOD_DEV_PATTERN_MAX - 1)
		return ctl_usage_err(syn, "PATTERN \"%s\" is longer than %d bytes",
				     p, OFFLOADMOD_DEV_PATTERN_MAX - 1);
	for (s = p; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return ctl_usage_err(syn,
					     "invalid PATTERN \"%s\": interface names have no '/', ':' or white space",
					     p);
	return CTL_EXIT_OK;
}

int dev_parse_args(const char *cmd, int argc, char **argv,
		   struct dev_args *a)
{
	static const char *const syn[] = {
		DEV_SET_SYNOPSIS, DEV_SHOW_SYNOPSIS, DEV_DEL_SYNOPSIS,
	};
	int k = which_cmd(cmd);
	struct cmdline c = {
		.what = "PATTERN",
		.netns = true,
		.present = &a->set.present,
		.val = a->set.val,
	};
	int ret;

	memset(a, 0, sizeof(*a));
	if (k < 0)
		return CTL_EXIT_USAGE;
	c.syn = syn[k];
	c.need_pos = k != 1;
	c.settings = k == 0 ? dev_settings : NULL;
	ret = parse_cmdline(&c, argc, argv);
	a->pattern = c.pos;
	a->netns = c.netns_arg;
	if (!ret && a->pattern)
		ret = check_pattern(c.syn, a->pattern);
	return ret;
}

static int put_settings(struct nl_msg *msg, const struct setting *tab,
			uint32_t present, const uint64_t *val)
{
	int i, err = 0;

	for (i = 0; tab[i].word && !err; i++) {
		if (!((present >> tab[i].attr) & 1))
			continue;
		if (tab[i].kind == SETTING_ONOFF)
			err = nla_put_u8(msg, tab[i].attr,
					 (uint8_t)val[tab[i].attr]);
		else
			err = nla_put_u32(msg, tab[i].attr,
					  (uint32_t)val[tab[i].attr]);
	}
	return err ? -EMSGSIZE : 0;
}

int policy_put_settings(struct nl_msg *msg, const struct policy_info *p)
{
	return put_settings(msg, policy_settings, p->present, p->val);
}

int dev_put_settings(struct nl_msg *msg, const struct dev_info *d)
{
	return put_settings(msg, dev_settings, d->present, d->val);
}
