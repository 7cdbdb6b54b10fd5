/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who may join a generic netlink multicast group, across the kernels
 * offloadmod builds against. Included by netlink.c and status.c.
 *
 * Newer kernels (6.7, and 6.1 stable) have GENL_MCAST_CAP_NET_ADMIN for
 * genl_multicast_group.flags: genl_bind() refuses to add the socket to the
 * group unless the binding task has CAP_NET_ADMIN over the socket's
 * network namespace. Older stable kernels (5.10 from 5.10.20x on) got the
 * same check in genl_bind() with the field but not the name: there it
 * tests GENL_UNS_ADMIN_PERM in the group's flags (as psample and mptcp
 * did before the rename). The probes look for the name first, then for
 * the field.
 * A kernel with neither cannot refuse a listener:
 * OFFLOADMOD_GENL_MCGRP_ADMIN is 0 there, the module then sends no
 * notification at all, and get-status lists "monitor" as unsupported.
 * Kbuild: OFFLOADMOD_HAVE_GENL_MCAST_CAP, OFFLOADMOD_HAVE_GENL_MCGRP_FLAGS.
 */
#ifndef _OFFLOADMOD_COMPAT_GENETLINK_H
#define _OFFLOADMOD_COMPAT_GENETLINK_H

#include <net/genetlink.h>

#if defined(OFFLOADMOD_HAVE_GENL_MCAST_CAP)
#define OFFLOADMOD_GENL_MCGRP_ADMIN		1
#define OFFLOADMOD_GENL_MCGRP_ADMIN_INIT	.flags = GENL_MCAST_CAP_NET_ADMIN,
#elif defined(OFFLOADMOD_HAVE_GENL_MCGRP_FLAGS)
#define OFFLOADMOD_GENL_MCGRP_ADMIN		1
#define OFFLOADMOD_GENL_MCGRP_ADMIN_INIT	.flags = GENL_UNS_ADMIN_PERM,
#else
#define OFFLOADMOD_GENL_MCGRP_ADMIN		0
#define OFFLOADMOD_GENL_MCGRP_ADMIN_INIT
#endif

#endif /* _OFFLOADMOD_COMPAT_GENETLINK_H */
