// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl trace: which stages the attached hooks measure, and why
 * not; see trace_avail.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "trace_avail.h"

/*
 * How a unit depends on a hook. NEED: nothing is measured without it.
 * ANY: one of the unit's ANY hooks is enough; each covers a part
 * ("without" says which). PART: the unit is measured without it, only
 * less completely.
 */
enum trace_dep_kind { DEP_NEED, DEP_ANY, DEP_PART };

struct trace_dep {
	unsigned char unit, hook, kind;
	const char *without;	/* what the unit misses without the hook */
};

/*
 * Which hook each stage starts and ends at, and what counts the packets:
 * see the table in docs/TRACE.md and the programs in ../bpf/trace.bpf.c.
 */
static const struct trace_dep trace_deps[] = {
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_NETIF_RECEIVE_SKB, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_IP_DELIVER, DEP_ANY,
	  "IPv4 packets not measured" },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_IP6_DELIVER, DEP_ANY,
	  "IPv6 packets not measured" },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_CONSUME_UDP, DEP_PART,
	  "packets to unconnected UDP sockets not measured" },
	{ OFFLOADMOD_STAGE_RX_STACK, TRACE_HOOK_GRO_RECEIVE, DEP_PART,
	  "time held by GRO not included" },
	{ OFFLOADMOD_STAGE_RX_WAIT, TRACE_HOOK_COPY_DATAGRAM, DEP_ANY,
	  "TCP readers not measured" },
	{ OFFLOADMOD_STAGE_RX_WAIT, TRACE_HOOK_CONSUME_UDP, DEP_ANY,
	  "UDP readers not measured" },
	{ OFFLOADMOD_STAGE_TX_STACK, TRACE_HOOK_NET_DEV_QUEUE, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_TX_QDISC, TRACE_HOOK_NET_DEV_QUEUE, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_TX_QDISC, TRACE_HOOK_NET_DEV_START_XMIT, DEP_ANY,
	  "packets on devices without a qdisc (veth, loopback) not measured" },
	{ OFFLOADMOD_STAGE_TX_QDISC, TRACE_HOOK_QDISC_DEQUEUE, DEP_ANY,
	  "on devices with a qdisc it ends at the driver's transmit, not at the dequeue" },
	{ OFFLOADMOD_STAGE_SCHED_WAIT, TRACE_HOOK_SCHED_SWITCH, DEP_NEED, NULL },
	{ OFFLOADMOD_STAGE_SCHED_WAIT, TRACE_HOOK_SCHED_WAKEUP, DEP_PART,
	  "waits after a wakeup counted as untimed" },
	{ OFFLOADMOD_STAGE_SCHED_WAIT, TRACE_HOOK_SCHED_WAKEUP_NEW, DEP_PART,
	  "a new task's first wait counted as untimed" },
	{ TRACE_UNIT_RX, TRACE_HOOK_IP_DELIVER, DEP_ANY,
	  "IPv4 packets not counted" },
	{ TRACE_UNIT_RX, TRACE_HOOK_IP6_DELIVER, DEP_ANY,
	  "IPv6 packets not counted" },
	{ TRACE_UNIT_RX, TRACE_HOOK_CONSUME_UDP, DEP_PART,
	  "packets to unconnected UDP sockets not counted" },
	{ TRACE_UNIT_TX, TRACE_HOOK_NET_DEV_QUEUE, DEP_NEED, NULL },
};

#define N_DEPS (sizeof(trace_deps) / sizeof(trace_deps[0]))

_Static_assert(TRACE_HOOK_COUNT <= 32, "sets of hooks are unsigned int bits");

const char *trace_unit_name(unsigned int unit)
{
	if (unit < OFFLOADMOD_STAGE_COUNT)
		return stats_stage_names[unit];
	return unit == TRACE_UNIT_RX ? "rx counters" : "tx counters";
}

/* Append to a NUL-terminated buffer; a full one just stays truncated. */
static void append(char *buf, size_t len, const char *fmt, ...)
	CTL_PRINTF(3, 4);

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t off = strlen(buf);
	va_list ap;

	if (off + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
}

/*
 * "a, b: why; c: other why" for the hooks in failed (a bit per hook):
 * hooks that failed for the same reason share it, which is the usual case
 * (one kernel facility missing for every function hooked through it).
 */
static void explain_failed(const struct trace_hook_state *hooks,
			   unsigned int failed, char *buf, size_t len)
{
	unsigned int done = 0, i, j;

	for (i = 0; i < TRACE_HOOK_COUNT; i++) {
		if (!(failed & (1U << i)) || (done & (1U << i)))
			continue;
		if (*buf)
			append(buf, len, "; ");
		for (j = i; j < TRACE_HOOK_COUNT; j++) {
			if (!(failed & (1U << j)) ||
			    strcmp(hooks[j].why, hooks[i].why))
				continue;
			append(buf, len, "%s%s", j == i ? "" : ", ",
			       hooks[j].name);
			done |= 1U << j;
		}
		append(buf, len, ": %s", hooks[i].why);
	}
}

static void resolve_unit(const struct trace_hook_state *hooks,
			 unsigned int unit, struct trace_unit_state *u)
{
	unsigned int need_failed = 0, any_failed = 0, any = 0, k;
	const struct trace_dep *d;
	bool ok;

	u->reason[0] = '\0';
	for (k = 0; k < N_DEPS; k++) {
		d = &trace_deps[k];
		if (d->unit != unit)
			continue;
		ok = hooks[d->hook].attached;
		if (d->kind == DEP_NEED && !ok)
			need_failed |= 1U << d->hook;
		if (d->kind == DEP_ANY) {
			any |= 1U << d->hook;
			if (!ok)
				any_failed |= 1U << d->hook;
		}
	}
	u->available = !need_failed && (!any || any_failed != any);
	if (!u->available) {
		explain_failed(hooks, need_failed ? need_failed : any_failed,
			       u->reason, sizeof(u->reason));
		return;
	}
	/* Measured: say what it misses, each part with its hook's reason. */
	for (k = 0; k < N_DEPS; k++) {
		d = &trace_deps[k];
		if (d->unit != unit || d->kind == DEP_NEED ||
		    hooks[d->hook].attached)
			continue;
		append(u->reason, sizeof(u->reason), "%s%s (%s: %s)",
		       *u->reason ? "; " : "", d->without, hooks[d->hook].name,
		       hooks[d->hook].why);
	}
}

void trace_avail_resolve(const struct trace_hook_state hooks[TRACE_HOOK_COUNT],
			 struct trace_unit_state units[TRACE_UNIT_COUNT])
{
	unsigned int u;

	for (u = 0; u < TRACE_UNIT_COUNT; u++)
		resolve_unit(hooks, u, &units[u]);
}

void trace_avail_to_stats(const struct trace_unit_state units[TRACE_UNIT_COUNT],
			  struct stats_avail out[STATS_AVAIL_COUNT])
{
	unsigned int u;

	for (u = 0; u < TRACE_UNIT_COUNT; u++) {
		if (!units[u].available)
			out[u].state = STATS_UNAVAILABLE;
		else if (*units[u].reason)
			out[u].state = STATS_PARTIAL;
		else
			out[u].state = STATS_AVAILABLE;
		out[u].reason = units[u].reason;
	}
}
