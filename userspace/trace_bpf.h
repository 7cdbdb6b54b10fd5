/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl trace: the loader of ../bpf/trace.bpf.c. Picks each
 * hook's program for the running kernel, loads, attaches what the kernel
 * allows, reads the maps, detaches. Knows nothing of the command line or
 * of printing.
 */
#ifndef OFFLOADMOD_TRACE_BPF_H
#define OFFLOADMOD_TRACE_BPF_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "trace_avail.h"
#include "trace_maps.h"

struct trace_session;

/*
 * Load and attach, each hook on its own: its fentry or tracepoint program,
 * else its kprobe twin. A hook the kernel refuses is left out, with the
 * reason in trace_bpf_hooks(); the caller decides what is still worth
 * measuring. 0 (even if no hook attached), or a negative errno with a
 * one-line explanation in err (-EPERM: not privileged enough).
 */
int trace_bpf_start(struct trace_session **tp, char *err, size_t errlen);
/* Which hooks attached, and why the others did not. */
const struct trace_hook_state *trace_bpf_hooks(const struct trace_session *t);
/* Keep the tracer's CLOCK_REALTIME estimate current; call every second. */
void trace_bpf_tick(struct trace_session *t);
/*
 * Sum the per-CPU maps into list (one entry per cgroup seen, path "") and
 * lost[]. 0 or a negative errno (reported on stderr).
 */
int trace_bpf_collect(struct trace_session *t, struct stats_list *list,
		      uint64_t lost[TRACE_LOST_COUNT]);
/* Detach and free everything; NULL is fine. */
void trace_bpf_stop(struct trace_session *t);

#endif /* OFFLOADMOD_TRACE_BPF_H */
