/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cross-file API of offloadmod.ko: module parameters and the init/exit
 * pairs of each part. Hooks, status and policies have their own headers.
 */
#ifndef _OFFLOADMOD_H
#define _OFFLOADMOD_H

#include <linux/moduleparam.h>
#include <linux/types.h>
#include <net/genetlink.h>

#include "compat.h"

#ifndef OFFLOADMOD_VERSION
#error "OFFLOADMOD_VERSION is not set: build through kmod/Makefile"
#endif

/* max_cgroups bounds; the upper one keeps a later per-cgroup table sane. */
#define OFFLOADMOD_MAX_CGROUPS_DEFAULT	4096
#define OFFLOADMOD_MAX_CGROUPS_MIN	1
#define OFFLOADMOD_MAX_CGROUPS_MAX	1048576

/* main.c: module parameters, all 0444 so they are fixed after load. */
extern unsigned int offloadmod_max_cgroups;
extern bool offloadmod_restrict_reads;
extern bool offloadmod_attach_hooks;
extern char *offloadmod_hooks_only;

/* params.c: validation of the parameters that have a range. */
extern const struct kernel_param_ops offloadmod_max_cgroups_ops;
int offloadmod_param_set_max_cgroups(const char *val,
				     const struct kernel_param *kp);

/* netlink.c: the generic netlink family. */
extern struct genl_family offloadmod_genl_family;
enum offloadmod_nl_mcgrp {
	OFFLOADMOD_NL_MCGRP_MONITOR,
};

void offloadmod_nl_notify(struct sk_buff *msg);
int offloadmod_nl_may_read(struct sk_buff *skb, struct netlink_ext_ack *extack);
int offloadmod_netlink_init(void);
void offloadmod_netlink_exit(void);

/* sysfs.c: /sys/kernel/offloadmod/. */
int offloadmod_sysfs_init(void);
void offloadmod_sysfs_exit(void);

/* debugfs.c: <debugfs>/offloadmod/; optional, so it cannot fail. */
void offloadmod_debugfs_init(void);
void offloadmod_debugfs_exit(void);

#endif /* _OFFLOADMOD_H */
