// SPDX-License-Identifier: GPL-2.0
/*
 * Read scopes: which cgroups a reader sees, and their paths as it names
 * them (scope.h).
 *
 * Paths relative to the reader's cgroup namespace are what
 * cgroup_path_ns() gives, but that takes cgroup_mutex (every mkdir and
 * rmdir on the host takes it too), so a tenant's reads would wait on a lock
 * anyone can hold, and it cannot be called under RCU, where dumps walk the
 * tracked cgroups. kernfs_path_from_node() from the namespace's root, which
 * is what cgroup_path_ns() computes under that lock for the default
 * hierarchy, takes only the kernfs rename lock (a spinlock).
 */
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernfs.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>

#include "cgstats.h"
#include "scope.h"

/**
 * offloadmod_scope_get() - the scope of the calling task
 * @s: set; release with offloadmod_scope_put()
 *
 * Context: process, the reader's own task.
 * Return: 0, or -ESRCH for a task that has no namespaces any more (exiting).
 */
int offloadmod_scope_get(struct offloadmod_scope *s)
{
	struct nsproxy *nsp = current->nsproxy;
	struct cgroup *root;

	s->root = NULL;
	if (!nsp)
		return -ESRCH;
	/*
	 * The root of the namespace in the default hierarchy: fixed for the
	 * namespace's life, which our task's nsproxy holds.
	 */
	root = nsp->cgroup_ns->root_cset->dfl_cgrp;
	if (cgroup_parent(root)) {
		cgroup_get(root);
		s->root = root;
	}
	return 0;
}

/**
 * offloadmod_scope_put() - release a scope
 * @s: a scope from offloadmod_scope_get() (or all zero); sees everything
 *	after this
 */
void offloadmod_scope_put(struct offloadmod_scope *s)
{
	if (s->root)
		cgroup_put(s->root);
	s->root = NULL;
}

/**
 * offloadmod_scope_sees() - is @cgrp inside the scope?
 * @s: the scope
 * @cgrp: a cgroup; NULL (unknown) only for a scope that sees everything
 *
 * Context: any; @cgrp stays valid (referenced, or under RCU).
 */
bool offloadmod_scope_sees(const struct offloadmod_scope *s,
			   struct cgroup *cgrp)
{
	if (!s->root)
		return true;
	return cgrp && cgroup_is_descendant(cgrp, s->root);
}

/**
 * offloadmod_scope_find() - a live cgroup v2 by id, if the scope sees it
 * @s: the scope
 * @id: the cgroup id
 *
 * A cgroup outside the scope is not found, exactly like one that does not
 * exist.
 *
 * Context: process.
 * Return: the cgroup, referenced (cgroup_put() it), or NULL.
 */
struct cgroup *offloadmod_scope_find(const struct offloadmod_scope *s, u64 id)
{
	struct cgroup *cgrp = offloadmod_cgroup_get_by_id(id);

	if (IS_ERR_OR_NULL(cgrp))
		return NULL;
	if (!offloadmod_scope_sees(s, cgrp)) {
		cgroup_put(cgrp);
		return NULL;
	}
	return cgrp;
}

/**
 * offloadmod_scope_path() - path of a cgroup as the scope names it
 * @s: the scope
 * @cgrp: a cgroup the scope sees
 * @buf: output
 * @len: size of @buf
 *
 * "/" for the scope's root, "/a/b" below it; the full path below the
 * hierarchy's root for a scope that sees everything.
 *
 * Context: any, including the RCU read side (a spinlock inside).
 * Return: the length, -ENOENT for a cgroup outside the scope, or another
 * negative errno (the path does not fit).
 */
int offloadmod_scope_path(const struct offloadmod_scope *s,
			  struct cgroup *cgrp, char *buf, size_t len)
{
	int ret;

	if (!cgrp || !offloadmod_scope_sees(s, cgrp))
		return -ENOENT;
	ret = kernfs_path_from_node(cgrp->kn, s->root ? s->root->kn : NULL,
				    buf, len);
	if (ret >= 0 && (size_t)ret >= len)
		ret = -ENAMETOOLONG;
	return ret;
}
