/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl policy, dev and monitor: cgroup policies (POLICY_*) and
 * interface policies (DEV_*) as decoded from the kernel's messages, how
 * they are printed, and the command lines that set them. Split from the
 * commands so parsing, decoding and printing can be tested on synthetic
 * messages without a kernel.
 *
 * Both kinds keep their values in an array indexed by attribute type,
 * with a bit per attribute the message (or the command line) carried:
 * the settings of a policy are exactly the attributes that are present.
 */
#ifndef OFFLOADMOD_POLICY_H
#define OFFLOADMOD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/offloadmod.h>
#include <netlink/msg.h>

#include "nl.h"

_Static_assert(OFFLOADMOD_A_POLICY_MAX < 32 && OFFLOADMOD_A_DEV_MAX < 32,
	       "a presence bit per attribute fits in a uint32_t");

#define PRESENT(x, attr)	(((x)->present >> (attr)) & 1u)
#define SET_PRESENT(x, attr)	((x)->present |= 1u << (attr))

/* A cgroup policy (POLICY_GET reply, POLICY_NTF, POLICY_DEL_NTF). */
struct policy_info {
	uint64_t cgroup_id;
	char *path;			/* "" if the kernel sent none */
	uint32_t present;		/* 1 << OFFLOADMOD_A_POLICY_* */
	uint64_t val[OFFLOADMOD_A_POLICY_MAX + 1];
};

/* An interface policy (DEV_GET reply, DEV_NTF, DEV_DEL_NTF). */
struct dev_info {
	uint32_t netns_inum;
	char *pattern;			/* "" if the kernel sent none */
	uint32_t present;		/* 1 << OFFLOADMOD_A_DEV_* */
	uint64_t val[OFFLOADMOD_A_DEV_MAX + 1];
	char **ifaces;			/* where it is applied now */
	size_t n_ifaces;
};

struct policy_list {
	struct policy_info *v;
	size_t n, cap;
};

struct dev_list {
	struct dev_info *v;
	size_t n, cap;
};

/*
 * One setting of a policy: its attribute, its keyword on the command line
 * (and in text output), its JSON key, and for numbers the range the
 * command line accepts.
 */
enum setting_kind {
	SETTING_ONOFF,		/* u8 0/1: "on"/"off", JSON true/false */
	SETTING_MODE,		/* u32 enum offloadmod_policy_mode */
	SETTING_U32,
};

struct setting {
	int attr;
	const char *word;
	const char *key;
	enum setting_kind kind;
	uint32_t min, max;	/* besides 0 when zero_removes */
	bool zero_removes;	/* 0 removes this part of the policy */
	const char *unit;	/* for messages: "bytes", ... */
};

/* In command line order; NULL word ends each table. */
extern const struct setting policy_settings[];
extern const struct setting dev_settings[];

/* "enforce", "audit"; NULL-terminated, indexed by the enum. */
extern const char *const policy_mode_names[];

/*
 * Decode one message into a new entry of list. 0 or a negative errno,
 * reported on stderr: -EINVAL for a malformed message (wrong width, no
 * cgroup-id, no pattern), -ENOMEM. Attributes this tool does not know
 * are ignored. gso-max-size, gso-max-segs and busy-poll of 0 mean "not
 * set" and are dropped.
 */
int policy_parse(struct nl_msg *msg, struct policy_list *list);
int dev_parse(struct nl_msg *msg, struct dev_list *list);
void policy_list_free(struct policy_list *list);
void dev_list_free(struct dev_list *list);
/* One entry (zeroed after). */
void policy_info_free(struct policy_info *p);
void dev_info_free(struct dev_info *d);

/*
 * "policy show", "dev show": a JSON array with one object per entry; text:
 * a table with a header line (nothing at all for an empty list).
 */
void policy_print_list(const struct policy_list *list);
void dev_print_list(const struct dev_list *list);

/*
 * One monitor event: a JSON object with "event" first, or one line of
 * text starting with the event name. Counters (and the mode) appear only
 * when the notification carried them.
 */
void policy_print_event(const char *event, const struct policy_info *p);
void dev_print_event(const char *event, const struct dev_info *d);

/* The command lines of set, show and del. */

#define POLICY_SET_SYNOPSIS	"policy set TARGET SETTING..."
#define POLICY_SHOW_SYNOPSIS	"policy show [ TARGET ]"
#define POLICY_DEL_SYNOPSIS	"policy del TARGET"
#define DEV_SET_SYNOPSIS	"dev set PATTERN [ netns NS ] SETTING..."
#define DEV_SHOW_SYNOPSIS	"dev show [ PATTERN ] [ netns NS ]"
#define DEV_DEL_SYNOPSIS	"dev del PATTERN [ netns NS ]"

struct policy_args {
	const char *spec;		/* TARGET as given, NULL if none */
	struct policy_info set;		/* settings given (present bits) */
};

struct dev_args {
	const char *pattern;		/* NULL if none */
	const char *netns;		/* NS as given, NULL if none */
	struct dev_info set;		/* settings given (present bits) */
};

/*
 * Parse the arguments after "policy CMD" / "dev CMD". cmd is "set", "show"
 * or "del" (what is allowed and required follows from it). A CTL_EXIT_*
 * status; a usage error has been reported naming the bad argument.
 */
int policy_parse_args(const char *cmd, int argc, char **argv,
		      struct policy_args *a);
int dev_parse_args(const char *cmd, int argc, char **argv,
		   struct dev_args *a);

/*
 * Add the settings present in p / d to a request. 0 or -EMSGSIZE.
 */
int policy_put_settings(struct nl_msg *msg, const struct policy_info *p);
int dev_put_settings(struct nl_msg *msg, const struct dev_info *d);

/*
 * A monitor notification: print it as an event (policy-set, policy-del,
 * dev-set, dev-del). 1 if it was printed, 0 if it is no notification this
 * tool knows (a newer module's), a negative errno if it is malformed or
 * memory ran out (reported).
 */
int monitor_print_msg(struct nl_msg *msg);

/* The commands' shared parts (policy.c, dev.c). */

/*
 * Dump cmd into arg through cb, doing the dump again (after reset(arg))
 * if a concurrent change interrupted it; after three tries the data is
 * kept with a warning that names what. 0 or a negative errno (reported).
 */
int policy_dump(struct omnl *nl, uint8_t cmd, omnl_reply_cb cb, void *arg,
		void (*reset)(void *arg), const char *what);

#endif /* OFFLOADMOD_POLICY_H */
