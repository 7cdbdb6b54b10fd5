// SPDX-License-Identifier: GPL-2.0
/*
 * The sched_wait stage: how long a task that became runnable (woken, new,
 * or preempted while still runnable) waited on a run queue before it ran,
 * attributed to that task's cgroup - the woken task's, never the waker's.
 *
 * No side table and no wakeup probe: the scheduler already stamps the
 * moment a task is queued (sched_info.last_queued, on the rq clock that
 * local_clock() reads) and clears it only after sched_switch has fired
 * for the task. A task migrated while waiting restarts its wait on the new
 * CPU, as the scheduler's own run_delay accounting does.
 */
#include <linux/cgroup.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include "cgstats.h"
#include "compat.h"
#include "hooks.h"
#include "probes.h"

notrace void offloadmod_probe_sched_switch(void *data,
					   OFFLOADMOD_SCHED_SWITCH_PROTO)
{
	struct offloadmod_cg *cg;
	u64 queued, now;

	offloadmod_hook_hit(OFFLOADMOD_HOOK_SCHED_SWITCH);
	if (is_idle_task(next))
		return;
	queued = offloadmod_task_queued_since(next);
	now = local_clock();

	rcu_read_lock();
	cg = offloadmod_cg_get(cgroup_id(task_dfl_cgroup(next)));
	if (!cg) {
		offloadmod_lost_inc(OFFLOADMOD_LOST_UNATTRIBUTED_SCHED);
	} else if (queued && queued <= now) {
		offloadmod_hist_record(&cg->pcpu->stage[OFFLOADMOD_STAGE_SCHED_WAIT],
				       now - queued);
	} else {
		offloadmod_hist_untimed(&cg->pcpu->stage[OFFLOADMOD_STAGE_SCHED_WAIT]);
	}
	rcu_read_unlock();
}
