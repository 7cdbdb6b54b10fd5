// SPDX-License-Identifier: GPL-2.0
/*
 * <debugfs>/offloadmod/: developer views that are not a stable interface.
 *
 * hooks: per-CPU probe invocations, a header "hook cpu<N>... total" then one
 * line per hook, columns for every possible CPU.
 *
 * cgroups/<id>/<stage>: one tracked cgroup's histogram of one stage, summed
 * over CPUs: "key value" lines (count, sum_ns, min_ns, max_ns, mean_ns,
 * p50_ns, p90_ns, p99_ns, p999_ns, untimed), then one line per non-empty
 * bucket: "bucket <lower_ns> <upper_ns> <count>". cgroups/<id>/path holds
 * the cgroup's path.
 *
 * Who reads what: debugfs is mounted 0700 (root only) by default and a
 * container cannot mount it, but the per-cgroup files are also 0400 (a
 * user of a host that mounts debugfs more openly still cannot read
 * them), and a reader sees only the cgroups of its own cgroup namespace,
 * with the path relative to it (scope.h), as over netlink; the others
 * read as absent (ENOENT). hooks holds host-wide totals only, like
 * /sys/kernel/offloadmod/status.
 *
 * debugfs is optional (absent, or locked down): its functions return error
 * pointers that the rest of the debugfs API accepts, so nothing here checks
 * them and nothing here can fail the module load.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/offloadmod.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "cgstats.h"
#include "hooks.h"
#include "offloadmod.h"
#include "scope.h"

static struct dentry *offloadmod_debugfs_dir;
static struct dentry *offloadmod_debugfs_cgroups;
static const char *const offloadmod_stage_names[] = OFFLOADMOD_STAGE_NAMES;

/* Per-cgroup data: root's, and only for a reader whose scope has it. */
#define OFFLOADMOD_DEBUGFS_CG_MODE	0400

static bool offloadmod_debugfs_reader_sees(const struct offloadmod_cg *cg)
{
	struct offloadmod_scope scope;
	bool sees;

	if (offloadmod_scope_get(&scope))
		return false;
	sees = offloadmod_scope_sees(&scope, cg->cgrp);
	offloadmod_scope_put(&scope);
	return sees;
}

static int hooks_show(struct seq_file *m, void *v)
{
	int id, cpu;

	seq_puts(m, "hook");
	for_each_possible_cpu(cpu)
		seq_printf(m, " cpu%d", cpu);
	seq_puts(m, " total\n");

	for (id = 0; id < OFFLOADMOD_HOOK_COUNT; id++) {
		u64 total = 0;

		seq_puts(m, offloadmod_hook_name(id));
		for_each_possible_cpu(cpu) {
			u64 n = offloadmod_hook_cpu_invocations(id, cpu);

			/* Sum what is printed, so each row adds up. */
			total += n;
			seq_printf(m, " %llu", n);
		}
		seq_printf(m, " %llu\n", total);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hooks);

/*
 * A stage file's private data encodes the stage in the low bits of the
 * entry pointer; debugfs removal waits for readers before the entry is
 * freed, so the pointer stays valid while a reader runs.
 */
static int stage_show(struct seq_file *m, void *v)
{
	unsigned long priv = (unsigned long)m->private;
	struct offloadmod_cg *cg = (void *)(priv & ~7UL);
	unsigned int stage = priv & 7, i;
	struct offloadmod_hist *h;
	static const struct { const char *name; u32 ppm; } q[] = {
		{ "p50_ns", 500000 }, { "p90_ns", 900000 },
		{ "p99_ns", 990000 }, { "p999_ns", 999000 },
	};

	if (!offloadmod_debugfs_reader_sees(cg))
		return -ENOENT;
	h = kvzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	offloadmod_hist_sum_cpus(h, &cg->pcpu->stage[stage]);
	seq_printf(m, "count %llu\nsum_ns %llu\nmin_ns %llu\nmax_ns %llu\nmean_ns %llu\n",
		   h->count, h->sum, h->count ? h->min : 0, h->max,
		   h->count ? div64_u64(h->sum, h->count) : 0);
	for (i = 0; i < ARRAY_SIZE(q); i++)
		seq_printf(m, "%s %llu\n", q[i].name,
			   offloadmod_hist_value_at(h, q[i].ppm));
	seq_printf(m, "untimed %llu\n", h->untimed);
	for (i = 0; i < OFFLOADMOD_HIST_BUCKETS; i++)
		if (h->buckets[i])
			seq_printf(m, "bucket %llu %llu %llu\n",
				   offloadmod_hist_lower(i),
				   offloadmod_hist_upper(i), h->buckets[i]);
	kvfree(h);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stage);

static int path_show(struct seq_file *m, void *v)
{
	struct offloadmod_cg *cg = m->private;
	struct offloadmod_scope scope;
	char *buf;
	int ret;

	ret = offloadmod_scope_get(&scope);
	if (ret)
		return ret;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = offloadmod_scope_path(&scope, cg->cgrp, buf, PATH_MAX);
	if (ret >= 0) {
		seq_printf(m, "%s\n", buf);
		ret = 0;
	}
out:
	kfree(buf);
	offloadmod_scope_put(&scope);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(path);

/* Called by cgstats.c under its mutex when a cgroup starts being tracked. */
void offloadmod_debugfs_cg_add(struct offloadmod_cg *cg)
{
	char name[24];
	unsigned int s;

	BUILD_BUG_ON(OFFLOADMOD_STAGE_COUNT > 8);
	snprintf(name, sizeof(name), "%llu", cg->id);
	cg->debugfs = debugfs_create_dir(name, offloadmod_debugfs_cgroups);
	debugfs_create_file("path", OFFLOADMOD_DEBUGFS_CG_MODE, cg->debugfs,
			    cg, &path_fops);
	for (s = 0; s < OFFLOADMOD_STAGE_COUNT; s++)
		debugfs_create_file(offloadmod_stage_names[s],
				    OFFLOADMOD_DEBUGFS_CG_MODE,
				    cg->debugfs, (void *)((unsigned long)cg | s),
				    &stage_fops);
}

/* Returns once no reader of the cgroup's files is left. */
void offloadmod_debugfs_cg_remove(struct offloadmod_cg *cg)
{
	debugfs_remove(cg->debugfs);
	cg->debugfs = NULL;
}

void offloadmod_debugfs_init(void)
{
	offloadmod_debugfs_dir = debugfs_create_dir("offloadmod", NULL);
	debugfs_create_file("hooks", 0444, offloadmod_debugfs_dir, NULL,
			    &hooks_fops);
	offloadmod_debugfs_cgroups = debugfs_create_dir("cgroups",
							offloadmod_debugfs_dir);
}

/* Waits for running readers (debugfs file proxies) before returning. */
void offloadmod_debugfs_exit(void)
{
	debugfs_remove(offloadmod_debugfs_dir);
	offloadmod_debugfs_dir = NULL;
}
