/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl status: the decoded get-status reply. Split from the
 * command so the parser and printer can be tested on synthetic replies.
 */
#ifndef OFFLOADMOD_STATUS_H
#define OFFLOADMOD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

struct status_hook {
	char *name;
	bool available;
	bool attached;
	uint64_t invocations;
};

/* Counters newer modules add to the reply; printed only when sent. */
enum status_counter {
	STATUS_TRACKED_CGROUPS,		/* u32 on the wire */
	STATUS_CGROUP_OVERFLOW,
	STATUS_UNATTRIBUTED_RX,
	STATUS_UNATTRIBUTED_TX,
	STATUS_UNATTRIBUTED_SCHED,
	STATUS_ALLOC_FAILURES,
	STATUS_N_COUNTERS
};

struct status_info {
	bool received;
	char *module_version;
	uint32_t uapi_version;
	char *kernel_release;
	uint32_t max_cgroups;
	uint64_t counters[STATUS_N_COUNTERS];
	bool has_counter[STATUS_N_COUNTERS];
	struct status_hook *hooks;
	size_t n_hooks;
	/* Features the running kernel lacks ("dev.gro-max-size"). */
	char **unsupported;
	size_t n_unsupported;
};

/* Decode one get-status reply into st; 0 or negative errno (reported). */
int status_parse(struct nl_msg *msg, struct status_info *st);
/*
 * Warn on stderr if the module speaks another uapi version than this
 * tool was built for; the caller prints anyway. False on mismatch.
 */
bool status_check_version(const struct status_info *st);
/* Print st through the output layer (text or JSON). */
void status_print(const struct status_info *st);
void status_free(struct status_info *st);

#endif /* OFFLOADMOD_STATUS_H */
