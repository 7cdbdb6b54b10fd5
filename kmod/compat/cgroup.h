/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cgroup v2 id to its cgroup, across the kernels offloadmod builds
 * against. Included by cgstats.c only, which wraps it for the rest of the
 * module (offloadmod_cgroup_get_by_id()); kmod/compat.h has the rest of the
 * compat layer.
 *
 * 6.1 and later export cgroup_get_from_id(): the live cgroup with that id,
 * referenced, if the caller's cgroup namespace can see it. 5.10 exports
 * nothing that maps an id to a cgroup (its kernfs_find_and_get_node_by_id()
 * is internal), and walking the hierarchy to find one would cost a pass
 * over every cgroup per lookup. What 5.10 does export is the kernel's own
 * id lookup behind open_by_handle_at() on cgroupfs: the cgroup2
 * superblock's export operations (kernfs_export_ops, fh_to_dentry) take a
 * file handle carrying the kernfs node id, which is the cgroup id. So the
 * fallback finds the cgroup2 superblock (get_fs_type(),
 * iterate_supers_type()), decodes the id there into the directory's dentry,
 * and takes the cgroup from its kernfs node as cgroup_get_from_id() does
 * (kn->priv, cleared under RCU when the cgroup is released, then
 * cgroup_tryget()). One hash lookup, no walk; it needs cgroup2 mounted
 * somewhere, as anything that learned a cgroup id from stat(2) has.
 * Then, as cgroup_get_from_id() does since 6.1, a cgroup outside the
 * caller's cgroup namespace is not found.
 * Kbuild: OFFLOADMOD_HAVE_CGROUP_GET_FROM_ID.
 */
#ifndef _OFFLOADMOD_COMPAT_CGROUP_H
#define _OFFLOADMOD_COMPAT_CGROUP_H

#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/types.h>

#ifdef OFFLOADMOD_HAVE_CGROUP_GET_FROM_ID
/* Context: process. Return: the cgroup, referenced, or an ERR_PTR. */
static inline struct cgroup *offloadmod_compat_cgroup_get_from_id(u64 id)
{
	return cgroup_get_from_id(id);
}
#else
#include <linux/dcache.h>
#include <linux/exportfs.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/rcupdate.h>

struct offloadmod_cgroup_lookup {
	u64 id;
	struct cgroup *cgrp;	/* found, referenced */
};

/* Called with @sb->s_umount held for reading (iterate_supers_type()). */
static inline void offloadmod_cgroup_lookup_sb(struct super_block *sb,
					       void *arg)
{
	struct offloadmod_cgroup_lookup *l = arg;
	/* The 64-bit kernfs id as the two halves of FILEID_INO32_GEN. */
	struct fid fid = {
		.i32.ino = lower_32_bits(l->id),
		.i32.gen = upper_32_bits(l->id),
	};
	struct kernfs_node *kn;
	struct cgroup *cgrp;
	struct dentry *d;

	if (l->cgrp || !sb->s_export_op || !sb->s_export_op->fh_to_dentry)
		return;
	d = sb->s_export_op->fh_to_dentry(sb, &fid, 2, FILEID_INO32_GEN);
	if (IS_ERR_OR_NULL(d))
		return;
	/* A cgroup is a directory; its files have ids too. */
	if (d_is_dir(d) && d_inode(d)) {
		kn = d_inode(d)->i_private;
		rcu_read_lock();
		cgrp = rcu_dereference(*(void __rcu __force **)&kn->priv);
		if (cgrp && cgroup_tryget(cgrp))
			l->cgrp = cgrp;
		rcu_read_unlock();
	}
	dput(d);
}

/* Context: process (may sleep). Return: as cgroup_get_from_id(). */
static inline struct cgroup *offloadmod_compat_cgroup_get_from_id(u64 id)
{
	struct offloadmod_cgroup_lookup l = { .id = id };
	struct file_system_type *type;
	struct cgroup *ns_root;

	type = get_fs_type("cgroup2");
	if (!type)
		return ERR_PTR(-ENOENT);
	iterate_supers_type(type, offloadmod_cgroup_lookup_sb, &l);
	/* put_filesystem(), which is not exported (cgroup2 is built in). */
	module_put(type->owner);
	if (!l.cgrp)
		return ERR_PTR(-ENOENT);
	/* The root of the caller's cgroup namespace: fixed for the namespace. */
	ns_root = current->nsproxy->cgroup_ns->root_cset->dfl_cgrp;
	if (!cgroup_is_descendant(l.cgrp, ns_root)) {
		cgroup_put(l.cgrp);
		return ERR_PTR(-ENOENT);
	}
	return l.cgrp;
}
#endif

#endif /* _OFFLOADMOD_COMPAT_CGROUP_H */
