// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl trace: the loader, see trace_bpf.h.
 *
 * Kernels differ in what they let a tracer hook: a function may be
 * missing from BTF (inlined, renamed), fentry may be refused (no BPF
 * trampoline, or a kernel that forbids it), kprobes may be compiled out,
 * a tracepoint may not exist. So each hook is loaded and attached on its
 * own terms, and one the kernel refuses costs only the stages that need
 * it (trace_avail.c says which), never the whole tracer:
 *
 *  1. Pick each hook's first plausible way: a tracepoint that the
 *     kernel's BTF has; an fentry whose function is in BTF and which the
 *     kernel accepts (a two-instruction fentry program loaded and
 *     attached for a moment tells: some kernels refuse fentry at load,
 *     others at attach); else the function's kprobe twin (entry only,
 *     never a kretprobe on the packet path).
 *  2. Load the object. libbpf loads every program of an object at once
 *     and cannot retry a failed object, so if the kernel refuses the load
 *     anyway, each picked program is loaded alone in a fresh object to
 *     find the ones it refuses; those fall back to their next way and the
 *     object is opened and loaded again.
 *  3. Attach each program alone. A kprobe fails here (no kprobe PMU, no
 *     such symbol); a failure with a way left (an fentry whose attach
 *     failed) means one more load.
 * Each retry drops at least one way, and the rounds are capped.
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
#include <linux/bpf.h>
#include <linux/types.h>

#include "ctl.h"
#include "trace_agg.h"
#include "trace_avail.h"
#include "trace_bpf.h"
#include "trace.skel.h"

/* Ways to hook one thing: the program, then its kprobe twin if any. */
#define HOOK_WAYS	2
/* Loads at most: the first, and a retry per way given up (rarely two). */
#define LOAD_ROUNDS	4
/* Where OFFLOADMOD_TRACE_DENY points a denied kprobe: no kernel has it. */
#define DENIED_TARGET	"offloadmod_trace_denied"
/* The kprobe PMU; without it (and without tracefs kprobe_events) no kprobes. */
#define KPROBE_PMU	"/sys/bus/event_source/devices/kprobe/type"
#define NAME_LEN	64

/* Each hook's programs in ../bpf/trace.bpf.c, in order of preference. */
static const char *const hook_progs[TRACE_HOOK_COUNT][HOOK_WAYS] = {
	[TRACE_HOOK_NET_DEV_QUEUE]	= { "om_net_dev_queue" },
	[TRACE_HOOK_QDISC_DEQUEUE]	= { "om_qdisc_dequeue" },
	[TRACE_HOOK_NET_DEV_START_XMIT]	= { "om_net_dev_start_xmit" },
	[TRACE_HOOK_SCHED_WAKEUP]	= { "om_sched_wakeup" },
	[TRACE_HOOK_SCHED_WAKEUP_NEW]	= { "om_sched_wakeup_new" },
	[TRACE_HOOK_SCHED_SWITCH]	= { "om_sched_switch" },
	[TRACE_HOOK_COPY_DATAGRAM]	= { "om_skb_copy_datagram_iovec" },
	[TRACE_HOOK_CONSUME_UDP]	= { "om_skb_consume_udp",
					    "om_skb_consume_udp_kp" },
	[TRACE_HOOK_NETIF_RECEIVE_SKB]	= { "om_netif_receive_skb" },
	[TRACE_HOOK_GRO_RECEIVE]	= { "om_napi_gro_receive_entry" },
	[TRACE_HOOK_IP_DELIVER]		= { "om_ip_deliver", "om_ip_deliver_kp" },
	[TRACE_HOOK_IP6_DELIVER]	= { "om_ip6_deliver",
					    "om_ip6_deliver_kp" },
};

struct trace_session {
	struct trace_bpf *skel;
	struct bpf_link *links[TRACE_HOOK_COUNT];
	struct trace_hook_state hooks[TRACE_HOOK_COUNT];
	char names[TRACE_HOOK_COUNT][NAME_LEN];
	int stamp_fd;		/* keeps RX timestamps on */
};

/* What trace_bpf_start() works with while it picks, loads and attaches. */
struct loader {
	struct trace_session *t;
	struct trace_bpf *ref;		/* opened, never loaded: program metadata */
	struct btf *vmlinux;
	const char *deny;		/* OFFLOADMOD_TRACE_DENY */
	int way[TRACE_HOOK_COUNT];	/* index into hook_progs[], HOOK_WAYS: none left */
	unsigned int prealloc_hists;	/* 0, or preallocate: see prealloc_maps() */
};

enum way_kind { WAY_TP_BTF, WAY_FENTRY, WAY_KPROBE };

/* For messages, and the words OFFLOADMOD_TRACE_DENY takes (section prefixes). */
static const char *const way_names[] = { "tracepoint", "fentry", "kprobe" };
static const char *const way_words[] = { "tp_btf", "fentry", "kprobe" };

/* libbpf's own messages only when asked: they are long. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG || !getenv("OFFLOADMOD_TRACE_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
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

/*
 * The kernel's refusals by name, as people look them up; 524 is the
 * kernel-internal ENOTSUPP that BPF returns, which libc cannot name.
 */
static const char *errname(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINVAL, "EINVAL" }, { EBUSY, "EBUSY" }, { EACCES, "EACCES" },
		{ E2BIG, "E2BIG" }, { EFAULT, "EFAULT" }, { ENODEV, "ENODEV" },
		{ ENOSPC, "ENOSPC" }, { ENOMEM, "ENOMEM" }, { ENOTSUP, "EOPNOTSUPP" },
		{ 524, "ENOTSUPP" },
	};
	size_t i;

	err = err < 0 ? -err : err;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	return strerror(err);
}

static struct bpf_program *prog_of(struct trace_bpf *s, const char *name)
{
	return name ? bpf_object__find_program_by_name(s->obj, name) : NULL;
}

static enum way_kind prog_kind(const struct bpf_program *p)
{
	if (bpf_program__type(p) == BPF_PROG_TYPE_KPROBE)
		return WAY_KPROBE;
	if (bpf_program__expected_attach_type(p) == BPF_TRACE_FENTRY)
		return WAY_FENTRY;
	return WAY_TP_BTF;
}

/* What a program hooks: its section name after the '/'. */
static const char *prog_target(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p), *slash;

	slash = strchr(sec, '/');
	return slash ? slash + 1 : sec;
}

/* Whether OFFLOADMOD_TRACE_DENY names p's kind or its target. */
static bool denied(const struct loader *ld, const struct bpf_program *p)
{
	const char *w = ld->deny, *want[2];
	size_t n, i;

	if (!w)
		return false;
	want[0] = way_words[prog_kind(p)];
	want[1] = prog_target(p);
	while (*w) {
		w += strspn(w, " ,");
		n = strcspn(w, " ,");
		for (i = 0; i < 2 && n; i++)
			if (strlen(want[i]) == n && !strncmp(w, want[i], n))
				return true;
		w += n;
	}
	return false;
}

/* The program hook h would use now, in skeleton s; NULL: no way left. */
static struct bpf_program *cur_prog(const struct loader *ld,
				    struct trace_bpf *s, unsigned int h)
{
	return ld->way[h] < HOOK_WAYS ? prog_of(s, hook_progs[h][ld->way[h]])
				      : NULL;
}

/* The current way of hook h failed: say why, move on to the next. */
static void way_failed(struct loader *ld, unsigned int h, const char *fmt,
		       ...) CTL_PRINTF(3, 4);

static void way_failed(struct loader *ld, unsigned int h, const char *fmt,
		       ...)
{
	struct trace_hook_state *hs = &ld->t->hooks[h];
	size_t off = strlen(hs->why);
	char msg[TRACE_WHY_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A full buffer just stays truncated. */
	snprintf(hs->why + off, sizeof(hs->why) - off, "%s%s%s",
		 off ? ", " : "", msg, denied(ld, cur_prog(ld, ld->ref, h)) ?
		 " [OFFLOADMOD_TRACE_DENY]" : "");
	ld->way[h]++;
}

/*
 * Whether the kernel lets an fentry program hook the function of BTF id
 * btf_id: a program that does nothing, loaded and attached for a moment.
 * 0 or the kernel's refusal.
 */
static int probe_fentry(int btf_id)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = btf_id);
	int fd, link, ret = 0;

	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	if (fd < 0)
		return -errno;
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0)
		ret = -errno;
	else
		close(link);
	close(fd);
	return ret;
}

/*
 * Whether the current way of hook h can work here, as far as cheap checks
 * tell; if not, records why (and moves on). A denied program is left to
 * fail for real, at load (fentry, tracepoint) or attach (kprobe).
 */
static bool plausible(struct loader *ld, unsigned int h)
{
	struct bpf_program *p = cur_prog(ld, ld->ref, h);
	const char *target = prog_target(p);
	char name[NAME_LEN + 16];
	int id, ret;

	if (denied(ld, p))
		return true;
	switch (prog_kind(p)) {
	case WAY_TP_BTF:
		/* What libbpf resolves a tp_btf program's target by. */
		snprintf(name, sizeof(name), "btf_trace_%s", target);
		if (btf__find_by_name_kind(ld->vmlinux, name,
					   BTF_KIND_TYPEDEF) > 0)
			return true;
		way_failed(ld, h, "tracepoint not in this kernel");
		return false;
	case WAY_FENTRY:
		id = btf__find_by_name_kind(ld->vmlinux, target, BTF_KIND_FUNC);
		if (id <= 0) {
			way_failed(ld, h, "function not in kernel BTF (inlined or renamed)");
			return false;
		}
		ret = probe_fentry(id);
		if (!ret)
			return true;
		way_failed(ld, h, "fentry refused (%s)", errname(ret));
		return false;
	case WAY_KPROBE:
		break;
	}
	return true;	/* a kprobe can only be tried: at attach */
}

/* Settle hook h on its first plausible way from the current one. */
static void pick(struct loader *ld, unsigned int h)
{
	while (ld->way[h] < HOOK_WAYS && hook_progs[h][ld->way[h]] &&
	       !plausible(ld, h))
		;
	if (ld->way[h] < HOOK_WAYS && !hook_progs[h][ld->way[h]])
		ld->way[h] = HOOK_WAYS;
}

/*
 * Whether the kernel can allocate hash map entries from any context
 * (bpf_mem_alloc, 6.1). Before it, an entry inserted by a tracing program
 * comes from kmalloc and the percpu allocator in whatever context the hook
 * runs, under the scheduler's run-queue lock for sched_switch (where an
 * allocator that wakes a worker can deadlock), and a kprobe program
 * using such a map makes the verifier WARN ("trace type BPF program uses
 * run-time allocation"). There the maps are preallocated instead, the
 * histograms within a memory budget (trace_hist_prealloc_entries()).
 */
static unsigned int prealloc_hists(const struct btf *vmlinux,
				   unsigned int max)
{
	int ncpu;

	if (btf__find_by_name_kind(vmlinux, "bpf_mem_alloc",
				   BTF_KIND_STRUCT) > 0)
		return 0;
	ncpu = libbpf_num_possible_cpus();
	return trace_hist_prealloc_entries(ncpu > 0 ? (unsigned int)ncpu : 1,
					   max);
}

static void prealloc_maps(const struct loader *ld, struct trace_bpf *s)
{
	struct bpf_map *maps[] = { s->maps.hists, s->maps.cgroups };
	size_t i;

	if (!ld->prealloc_hists)
		return;
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		bpf_map__set_map_flags(maps[i], bpf_map__map_flags(maps[i]) &
					       ~BPF_F_NO_PREALLOC);
	bpf_map__set_max_entries(s->maps.hists, ld->prealloc_hists);
}

/*
 * A fresh skeleton with only the picked programs to load, or only hook
 * only's (-1: every hook's). Denied fentry and tracepoint programs lose
 * their program type, so that their load fails (in libbpf), as that of a
 * program the kernel refuses would.
 */
static struct trace_bpf *open_picked(const struct loader *ld, int only)
{
	struct trace_bpf *s = trace_bpf__open();
	struct bpf_program *p, *want;
	unsigned int h;

	if (!s)
		return NULL;
	prealloc_maps(ld, s);
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, false);
	for (h = 0; h < TRACE_HOOK_COUNT; h++) {
		want = cur_prog(ld, s, h);
		if (!want || (only >= 0 && (unsigned int)only != h))
			continue;
		bpf_program__set_autoload(want, true);
		if (prog_kind(want) != WAY_KPROBE && denied(ld, want))
			bpf_program__set_type(want, BPF_PROG_TYPE_UNSPEC);
	}
	return s;
}

/*
 * Load the picked programs into ld->t->skel: 0; -EAGAIN when the kernel
 * refused some, which now fall back (load again); another negative errno
 * when nothing explains the refusal.
 */
static int load_round(struct loader *ld)
{
	struct trace_bpf *s = open_picked(ld, -1);
	bool progress = false;
	unsigned int h;
	int ret, r;

	if (!s)
		return -errno;
	ret = trace_bpf__load(s);
	if (!ret) {
		ld->t->skel = s;
		return 0;
	}
	trace_bpf__destroy(s);
	/* Not privileged: every program would say so, in turn. */
	if (ret == -EPERM && geteuid() != 0)
		return ret;
	for (h = 0; h < TRACE_HOOK_COUNT; h++) {
		if (!cur_prog(ld, ld->ref, h))
			continue;
		s = open_picked(ld, (int)h);
		if (!s)
			return -errno;
		r = trace_bpf__load(s);
		trace_bpf__destroy(s);
		if (!r)
			continue;
		way_failed(ld, h, "%s load failed (%s)",
			   way_names[prog_kind(cur_prog(ld, ld->ref, h))],
			   errname(r));
		pick(ld, h);
		progress = true;
	}
	return progress ? -EAGAIN : ret;
}

static struct bpf_link *attach_prog(const struct loader *ld,
				    struct bpf_program *p)
{
	if (prog_kind(p) == WAY_KPROBE && denied(ld, p))
		return bpf_program__attach_kprobe(p, false, DENIED_TARGET);
	return bpf_program__attach(p);
}

static void attach_failed(struct loader *ld, unsigned int h,
			  struct bpf_program *p, int err)
{
	if (prog_kind(p) != WAY_KPROBE)
		way_failed(ld, h, "%s attach failed (%s)",
			   way_names[prog_kind(p)], errname(err));
	else if (err == -ENOENT && access(KPROBE_PMU, F_OK))
		way_failed(ld, h, "no kprobes in this kernel (CONFIG_KPROBES or CONFIG_KPROBE_EVENTS off)");
	else if (err == -ENOENT)
		way_failed(ld, h, "kprobe: no such function (ENOENT)");
	else
		way_failed(ld, h, "kprobe attach failed (%s)", errname(err));
}

static void detach_all(struct trace_session *t)
{
	unsigned int h;

	for (h = 0; h < TRACE_HOOK_COUNT; h++) {
		bpf_link__destroy(t->links[h]);
		t->links[h] = NULL;
		t->hooks[h].attached = false;
	}
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

/*
 * Attach each loaded program on its own. True when one failed and its
 * hook has another way, which needs another load (if retry allows).
 */
static bool attach_all(struct loader *ld, bool retry)
{
	struct trace_session *t = ld->t;
	bool again = false;
	struct bpf_program *p;
	unsigned int h;
	int err;

	trace_bpf_tick(t);	/* rx_wait's clock offset, before its hooks run */
	for (h = 0; h < TRACE_HOOK_COUNT; h++) {
		p = cur_prog(ld, t->skel, h);
		if (!p)
			continue;
		t->links[h] = attach_prog(ld, p);
		if (t->links[h]) {
			t->hooks[h].attached = true;
			/* Before IP delivery attaches: see udp_deferral. */
			if (h == TRACE_HOOK_CONSUME_UDP)
				t->skel->bss->udp_deferral = true;
			continue;
		}
		err = -errno;
		t->links[h] = NULL;
		attach_failed(ld, h, p, err);
		pick(ld, h);
		if (!cur_prog(ld, ld->ref, h))
			continue;
		if (retry)
			again = true;
		else
			way_failed(ld, h, "%s not tried (gave up after %d loads)",
				   way_names[prog_kind(cur_prog(ld, ld->ref, h))],
				   LOAD_ROUNDS);
	}
	return again;
}

/* Every program of the object must belong to a hook: none loads unseen. */
static int check_table(struct loader *ld, char *err, size_t errlen)
{
	struct bpf_program *p;
	unsigned int h, w;
	bool found;

	bpf_object__for_each_program(p, ld->ref->obj) {
		found = false;
		for (h = 0; h < TRACE_HOOK_COUNT && !found; h++)
			for (w = 0; w < HOOK_WAYS; w++)
				found |= hook_progs[h][w] &&
					 !strcmp(hook_progs[h][w],
						 bpf_program__name(p));
		if (!found) {
			seterr(err, errlen, "internal error: eBPF program %s belongs to no hook",
			       bpf_program__name(p));
			return -EINVAL;
		}
	}
	for (h = 0; h < TRACE_HOOK_COUNT; h++) {
		for (w = 0; w < HOOK_WAYS; w++) {
			if (!hook_progs[h][w] ||
			    prog_of(ld->ref, hook_progs[h][w]))
				continue;
			seterr(err, errlen, "internal error: no eBPF program %s",
			       hook_progs[h][w]);
			return -EINVAL;
		}
		p = prog_of(ld->ref, hook_progs[h][0]);
		snprintf(ld->t->names[h], NAME_LEN, "%s", prog_target(p));
		ld->t->hooks[h].name = ld->t->names[h];
	}
	return 0;
}

/* Pick, load, attach: see the top of this file. */
static int load_and_attach(struct loader *ld, char *err, size_t errlen)
{
	unsigned int h, round;
	int ret;

	for (h = 0; h < TRACE_HOOK_COUNT; h++)
		pick(ld, h);
	for (round = 1; ; round++) {
		ret = load_round(ld);
		if (ret == -EAGAIN && round < LOAD_ROUNDS)
			continue;
		if (ret == -EPERM && geteuid() != 0) {
			seterr(err, errlen, "cannot load the eBPF program: %s (trace needs root, or CAP_BPF and CAP_PERFMON)",
			       strerror(EPERM));
			return ret;
		}
		if (ret) {
			seterr(err, errlen, "cannot load the eBPF program: %s (OFFLOADMOD_TRACE_DEBUG=1 shows the verifier log)",
			       ret == -EAGAIN ? "the kernel refused every retry" :
			       strerror(-ret));
			return ret == -EAGAIN ? -EINVAL : ret;
		}
		if (!attach_all(ld, round < LOAD_ROUNDS))
			return 0;
		detach_all(ld->t);
		trace_bpf__destroy(ld->t->skel);
		ld->t->skel = NULL;
	}
}

int trace_bpf_start(struct trace_session **tp, char *err, size_t errlen)
{
	struct loader ld = { .deny = getenv("OFFLOADMOD_TRACE_DENY") };
	struct trace_session *t;
	unsigned int h;
	int one = 1, ret;

	*tp = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->stamp_fd = -1;
	ld.t = t;
	libbpf_set_print(libbpf_print);
	ld.ref = trace_bpf__open();
	ld.vmlinux = btf__load_vmlinux_btf();
	if (!ld.ref || !ld.vmlinux) {
		ret = -errno;
		seterr(err, errlen, "cannot %s: %s", ld.ref ?
		       "read the kernel's BTF" : "open the eBPF program",
		       strerror(errno));
		goto fail;
	}
	ld.prealloc_hists = prealloc_hists(ld.vmlinux,
					   bpf_map__max_entries(ld.ref->maps.hists));
	ret = check_table(&ld, err, errlen);
	if (!ret)
		ret = load_and_attach(&ld, err, errlen);
	if (ret)
		goto fail;
	/* A hook that works through its fallback: say so, as before. */
	for (h = 0; h < TRACE_HOOK_COUNT; h++)
		if (t->hooks[h].attached && *t->hooks[h].why)
			ctl_warn("trace: %s: %s; using a kprobe",
				 t->hooks[h].name, t->hooks[h].why);
	t->stamp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->stamp_fd < 0 ||
	    setsockopt(t->stamp_fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
		       sizeof(one)))
		ctl_warn("trace: cannot enable RX timestamps (%s): rx_wait will be untimed",
			 strerror(errno));
	trace_bpf__destroy(ld.ref);
	btf__free(ld.vmlinux);
	*tp = t;
	return 0;
fail:
	trace_bpf__destroy(ld.ref);
	btf__free(ld.vmlinux);
	trace_bpf_stop(t);
	return ret;
}

const struct trace_hook_state *trace_bpf_hooks(const struct trace_session *t)
{
	return t->hooks;
}

void trace_bpf_stop(struct trace_session *t)
{
	if (!t)
		return;
	if (t->stamp_fd >= 0)
		close(t->stamp_fd);
	detach_all(t);
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
