// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl trace: the loader, see trace_bpf.h.
 *
 * The program's hooks are BTF tracepoints, which both supported kernels
 * have, plus fentry programs on three functions; a kernel whose BTF lacks
 * one of those (inlined, renamed) gets the kprobe twin instead, an entry
 * probe, never a kretprobe on the packet path.
 *
 * RX software timestamps: the kernel takes them only while someone asks
 * (net_enable_timestamp(), as the module does when it loads). A socket
 * with SO_TIMESTAMPNS set asks for as long as it is open, so the tracer
 * holds one: without it rx_wait would be untimed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "ctl.h"
#include "trace_agg.h"
#include "trace_bpf.h"
#include "trace.skel.h"

struct trace_session {
	struct trace_bpf *skel;
	int stamp_fd;		/* keeps RX timestamps on */
};

/* libbpf's own messages only when asked: they are long. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG || !getenv("OFFLOADMOD_TRACE_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* The function an fentry program and its kprobe twin hook. */
struct trace_fn_hook {
	const char *func;
	struct bpf_program *fentry, *kprobe;
};

/*
 * Use fentry where the kernel's BTF has the function, else (or with
 * no_fentry: the kernel refused to load an fentry program, e.g. no BPF
 * trampoline) the kprobe.
 */
static void pick_hooks(struct trace_bpf *s, bool no_fentry)
{
	struct trace_fn_hook hooks[] = {
		{ "ip_protocol_deliver_rcu", s->progs.om_ip_deliver,
		  s->progs.om_ip_deliver_kp },
		{ "ip6_protocol_deliver_rcu", s->progs.om_ip6_deliver,
		  s->progs.om_ip6_deliver_kp },
		{ "skb_consume_udp", s->progs.om_skb_consume_udp,
		  s->progs.om_skb_consume_udp_kp },
	};
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool have;
	size_t i;

	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		have = vmlinux && btf__find_by_name_kind(vmlinux, hooks[i].func,
							 BTF_KIND_FUNC) > 0;
		bpf_program__set_autoload(hooks[i].fentry, have && !no_fentry);
		bpf_program__set_autoload(hooks[i].kprobe, !have || no_fentry);
		if (!have)
			ctl_warn("trace: %s not in kernel BTF, using a kprobe",
				 hooks[i].func);
		else if (no_fentry)
			ctl_warn("trace: fentry on %s refused, using a kprobe",
				 hooks[i].func);
	}
	btf__free(vmlinux);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void trace_bpf_tick(struct trace_session *t)
{
	/* bpf_ktime_get_ns() is CLOCK_MONOTONIC; rx stamps are realtime. */
	t->skel->bss->real_off_ns = clock_ns(CLOCK_REALTIME) -
				    clock_ns(CLOCK_MONOTONIC);
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	CTL_PRINTF(3, 4);

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int open_and_load(struct trace_session *t, bool no_fentry)
{
	t->skel = trace_bpf__open();
	if (!t->skel)
		return -errno;
	pick_hooks(t->skel, no_fentry);

	return trace_bpf__load(t->skel);
}

int trace_bpf_start(struct trace_session **tp, char *err, size_t errlen)
{
	struct trace_session *t;
	int one = 1, ret;

	*tp = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->stamp_fd = -1;
	libbpf_set_print(libbpf_print);
	ret = open_and_load(t, false);
	/* Root, yet refused: perhaps only the fentry programs (no trampoline). */
	if (ret == -EPERM && geteuid() == 0) {
		trace_bpf__destroy(t->skel);
		ret = open_and_load(t, true);
	}
	if (ret) {
		seterr(err, errlen, "cannot load the eBPF program: %s%s",
		       strerror(-ret), ret == -EPERM ?
		       " (trace needs root, or CAP_BPF and CAP_PERFMON)" :
		       " (OFFLOADMOD_TRACE_DEBUG=1 shows the verifier log)");
		goto fail;
	}
	trace_bpf_tick(t);
	ret = trace_bpf__attach(t->skel);
	if (ret) {
		seterr(err, errlen, "cannot attach the eBPF program: %s",
		       strerror(-ret));
		goto fail;
	}
	t->stamp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->stamp_fd < 0 ||
	    setsockopt(t->stamp_fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
		       sizeof(one)))
		ctl_warn("trace: cannot enable RX timestamps (%s): rx_wait will be untimed",
			 strerror(errno));
	*tp = t;
	return 0;
fail:
	trace_bpf_stop(t);
	return ret;
}

void trace_bpf_stop(struct trace_session *t)
{
	if (!t)
		return;
	if (t->stamp_fd >= 0)
		close(t->stamp_fd);
	trace_bpf__destroy(t->skel);
	free(t);
}

/* Per-CPU values come as one slot per possible CPU, 8-byte aligned. */
#define PCPU_STRIDE(sz) (((sz) + 7) & ~(size_t)7)

static int collect_hists(int fd, int ncpu, struct stats_list *list)
{
	size_t stride = PCPU_STRIDE(sizeof(struct trace_hist));
	struct trace_hist_key key, next, *prev = NULL;
	struct trace_hist *sum = malloc(sizeof(*sum));
	char *vals = malloc(stride * ncpu);
	struct stats_cgroup *cg;
	int ret = 0, cpu;

	if (!sum || !vals) {
		ret = -ENOMEM;
		goto out;
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;	/* cannot happen: nothing deletes */
		if (key.stage >= TRACE_STAGES)
			continue;
		memset(sum, 0, sizeof(*sum));
		for (cpu = 0; cpu < ncpu; cpu++)
			trace_hist_sum(sum, (struct trace_hist *)
				       (vals + cpu * stride));
		cg = trace_list_get(list, key.cgroup_id);
		if (!cg || trace_hist_to_hist(sum, &cg->stage[key.stage])) {
			ret = -ENOMEM;
			break;
		}
	}
out:
	free(sum);
	free(vals);
	return ret;
}

static int collect_cgroups(int fd, int ncpu, struct stats_list *list)
{
	size_t stride = PCPU_STRIDE(sizeof(struct trace_cg));
	char *vals = malloc(stride * ncpu);
	uint64_t key, next, *prev = NULL;
	struct stats_cgroup *cg;
	struct trace_cg sum;
	int cpu;

	if (!vals)
		return -ENOMEM;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		memset(&sum, 0, sizeof(sum));
		for (cpu = 0; cpu < ncpu; cpu++)
			trace_cg_sum(&sum, (struct trace_cg *)
				     (vals + cpu * stride));
		cg = trace_list_get(list, key);
		if (!cg) {
			free(vals);
			return -ENOMEM;
		}
		cg->rx = (struct stats_dir){ sum.rx.packets, sum.rx.bytes,
			sum.rx.offload_packets, sum.rx.offload_segments };
		cg->tx = (struct stats_dir){ sum.tx.packets, sum.tx.bytes,
			sum.tx.offload_packets, sum.tx.offload_segments };
	}
	free(vals);
	return 0;
}

static int collect_lost(int fd, int ncpu, uint64_t lost[TRACE_LOST_COUNT])
{
	uint64_t *vals = calloc(ncpu, sizeof(*vals));
	__u32 i;
	int cpu;

	if (!vals)
		return -ENOMEM;
	for (i = 0; i < TRACE_LOST_COUNT; i++) {
		lost[i] = 0;
		if (bpf_map_lookup_elem(fd, &i, vals))
			continue;
		for (cpu = 0; cpu < ncpu; cpu++)
			lost[i] += vals[cpu];
	}
	free(vals);
	return 0;
}

int trace_bpf_collect(struct trace_session *t, struct stats_list *list,
		      uint64_t lost[TRACE_LOST_COUNT])
{
	int ncpu = libbpf_num_possible_cpus(), ret;

	if (ncpu <= 0) {
		ctl_err("trace: cannot count the possible CPUs: %s",
			strerror(-ncpu));
		return ncpu ? ncpu : -EINVAL;
	}
	ret = collect_hists(bpf_map__fd(t->skel->maps.hists), ncpu, list);
	if (!ret)
		ret = collect_cgroups(bpf_map__fd(t->skel->maps.cgroups), ncpu,
				      list);
	if (!ret)
		ret = collect_lost(bpf_map__fd(t->skel->maps.lost), ncpu, lost);
	if (ret)
		ctl_err("trace: reading the maps: %s", strerror(-ret));
	return ret;
}
