// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/offloadmod/: read-only version and status for tools and
 * tests that do not speak netlink. The "status" file is a "key value" line
 * summary (one line per hook, one per feature this kernel lacks:
 * "unsupported dev.gro-max-size") of the same snapshot get-status returns.
 *
 * sysfs is mounted in containers too. Nothing here is per cgroup or per
 * network namespace: versions, limits and host-wide totals, which
 * get-status gives any caller (docs/SECURITY.md). With restrict_reads,
 * where get-status needs CAP_NET_ADMIN, status is root's only (0400).
 */
#include <linux/kobject.h>
#include <linux/offloadmod.h>
#include <linux/sysfs.h>

#include "offloadmod.h"
#include "status.h"

static struct kobject *offloadmod_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", OFFLOADMOD_VERSION);
}

static ssize_t uapi_version_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", OFFLOADMOD_FAMILY_VERSION);
}

static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct offloadmod_status st;
	unsigned int i;
	int len;

	offloadmod_status_gather(&st);

	len = sysfs_emit(buf,
			 "module_version %s\nuapi_version %u\nkernel_release %s\nmax_cgroups %u\nrestrict_reads %d\n",
			 st.module_version, st.uapi_version, st.kernel_release,
			 st.max_cgroups, st.restrict_reads);
	len += sysfs_emit_at(buf, len,
			     "tracked_cgroups %u\ncgroup_overflow %llu\nunattributed_rx %llu\nunattributed_tx %llu\nunattributed_sched %llu\nalloc_failures %llu\n",
			     st.tracked_cgroups, st.cgroup_overflow,
			     st.unattributed_rx, st.unattributed_tx,
			     st.unattributed_sched, st.alloc_failures);
	for (i = 0; i < st.n_hooks; i++) {
		const struct offloadmod_hook_status *h = &st.hooks[i];

		len += sysfs_emit_at(buf, len,
				     "hook %s available %d attached %d invocations %llu\n",
				     h->name, h->available, h->attached,
				     h->invocations);
	}
	for (i = 0; i < st.n_unsupported; i++)
		len += sysfs_emit_at(buf, len, "unsupported %s\n",
				     st.unsupported[i]);
	return len;
}

static struct kobj_attribute offloadmod_version_attr = __ATTR_RO(version);
static struct kobj_attribute offloadmod_uapi_version_attr =
	__ATTR_RO(uapi_version);
static struct kobj_attribute offloadmod_status_attr = __ATTR_RO(status);

static struct attribute *offloadmod_attrs[] = {
	&offloadmod_version_attr.attr,
	&offloadmod_uapi_version_attr.attr,
	&offloadmod_status_attr.attr,
	NULL,
};

static umode_t offloadmod_attr_visible(struct kobject *kobj,
				       struct attribute *attr, int n)
{
	if (attr == &offloadmod_status_attr.attr && offloadmod_restrict_reads)
		return 0400;
	return attr->mode;
}

static const struct attribute_group offloadmod_attr_group = {
	.attrs = offloadmod_attrs,
	.is_visible = offloadmod_attr_visible,
};

int offloadmod_sysfs_init(void)
{
	int err;

	offloadmod_kobj = kobject_create_and_add("offloadmod", kernel_kobj);
	if (!offloadmod_kobj)
		return -ENOMEM;

	err = sysfs_create_group(offloadmod_kobj, &offloadmod_attr_group);
	if (err) {
		kobject_put(offloadmod_kobj);
		offloadmod_kobj = NULL;
	}
	return err;
}

/* Returns once no show() is running; removes the group with the kobject. */
void offloadmod_sysfs_exit(void)
{
	kobject_put(offloadmod_kobj);
	offloadmod_kobj = NULL;
}
