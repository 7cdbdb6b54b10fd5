// SPDX-License-Identifier: GPL-2.0
/*
 * <debugfs>/offloadmod/: developer views that are not a stable interface.
 *
 * hooks: per-CPU probe invocations, a header "hook cpu<N>... total" then one
 * line per hook, columns for every possible CPU.
 *
 * debugfs is optional (absent, or locked down): its functions return error
 * pointers that the rest of the debugfs API accepts, so nothing here checks
 * them and nothing here can fail the module load.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "hooks.h"
#include "offloadmod.h"

static struct dentry *offloadmod_debugfs_dir;

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

void offloadmod_debugfs_init(void)
{
	offloadmod_debugfs_dir = debugfs_create_dir("offloadmod", NULL);
	debugfs_create_file("hooks", 0444, offloadmod_debugfs_dir, NULL,
			    &hooks_fops);
}

/* Waits for running readers (debugfs file proxies) before returning. */
void offloadmod_debugfs_exit(void)
{
	debugfs_remove(offloadmod_debugfs_dir);
	offloadmod_debugfs_dir = NULL;
}
