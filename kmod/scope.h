/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a reader may see (DESIGN.md, "Security model: a shared host"): the
 * cgroups inside its own cgroup namespace, named by paths relative to that
 * namespace's root. A namespace rooted at the root of the hierarchy (the
 * initial one) sees every cgroup, with its full path.
 *
 * A scope is the root cgroup of the calling task's cgroup namespace, taken
 * where the caller is current: a netlink do request and the start of a
 * dump run in the requester's sendmsg(), a debugfs read in the reader's
 * read(). A dump keeps the scope of the request that started it (in its
 * callback) for every part, whoever reads the parts.
 */
#ifndef _OFFLOADMOD_SCOPE_H
#define _OFFLOADMOD_SCOPE_H

#include <linux/netlink.h>
#include <linux/types.h>

struct cgroup;

struct offloadmod_scope {
	struct cgroup *root;	/* referenced; NULL: every cgroup */
};

int offloadmod_scope_get(struct offloadmod_scope *s);
void offloadmod_scope_put(struct offloadmod_scope *s);
bool offloadmod_scope_sees(const struct offloadmod_scope *s,
			   struct cgroup *cgrp);
struct cgroup *offloadmod_scope_find(const struct offloadmod_scope *s, u64 id);
int offloadmod_scope_path(const struct offloadmod_scope *s,
			  struct cgroup *cgrp, char *buf, size_t len);

/*
 * Dumps of per-cgroup data (netlink.c): start takes the requester's scope
 * (after offloadmod_nl_may_read()), done drops it, and the dump callback
 * reads it back with offloadmod_nl_dump_scope().
 */
int offloadmod_nl_read_dump_start(struct netlink_callback *cb);
int offloadmod_nl_dump_scope_start(struct netlink_callback *cb);
int offloadmod_nl_read_dump_done(struct netlink_callback *cb);
void offloadmod_nl_dump_scope(const struct netlink_callback *cb,
			      struct offloadmod_scope *s);

#endif /* _OFFLOADMOD_SCOPE_H */
