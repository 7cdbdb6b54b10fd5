// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl fastpath: the work behind enable / disable / show.
 *
 * State lives in bpffs, not in this process: the program and its three
 * maps are pinned under FP_PIN_DIR (bpffs is mounted at /sys/fs/bpf if it
 * is not), the program is attached as a direct-action filter on the
 * clsact ingress hook of each enabled host-side veth. Interfaces are
 * looked up over rtnetlink (veth kind, peer ifindex and namespace id,
 * bridge), the container-side MAC with IFLA_TARGET_NETNSID.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ctl.h"
#include "fastpath.h"
#include "target.h"

#include "fastpath.skel.h"
/* bpf/fastpath.h: the maps' keys and values. */
#include "../bpf/fastpath.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif
#define BPFFS		"/sys/fs/bpf"
#define PIN_PARENT	BPFFS "/offloadmod"
#define PIN_PROG	FP_PIN_DIR "/prog"
#define PIN_DST		FP_PIN_DIR "/fp_dst"
#define PIN_SRC		FP_PIN_DIR "/fp_src"
#define PIN_STATS	FP_PIN_DIR "/fp_stats"
/* Our tc filter: direct-action bpf, this handle and priority. */
#define FP_TC_HANDLE	0xfa57
#define FP_TC_PRIO	1

/* --- rtnetlink ---------------------------------------------------------- */

struct rt_link {
	unsigned int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];
	unsigned int link;		/* IFLA_LINK: the peer's ifindex */
	int link_nsid;			/* IFLA_LINK_NETNSID, -1 if absent */
	unsigned int master;
	unsigned int mtu;
	unsigned char mac[6];
	bool has_mac;
};

static int rtnl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int one = 1;

	if (fd < 0)
		return -errno;
	/* Errors for IFLA_TARGET_NETNSID lookups carry extack; fine without. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

static void parse_linkinfo(struct rtattr *li, struct rt_link *l)
{
	int len = RTA_PAYLOAD(li);
	struct rtattr *a;

	for (a = RTA_DATA(li); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_INFO_KIND)
			snprintf(l->kind, sizeof(l->kind), "%.*s",
				 (int)RTA_PAYLOAD(a), (char *)RTA_DATA(a));
}

static void parse_link(struct nlmsghdr *h, struct rt_link *l)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = IFLA_PAYLOAD(h);
	struct rtattr *a;

	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->link_nsid = -1;
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case IFLA_IFNAME:
			snprintf(l->name, sizeof(l->name), "%s",
				 (char *)RTA_DATA(a));
			break;
		case IFLA_LINK:
			l->link = *(__u32 *)RTA_DATA(a);
			break;
		case IFLA_LINK_NETNSID:
			l->link_nsid = *(__s32 *)RTA_DATA(a);
			break;
		case IFLA_MASTER:
			l->master = *(__u32 *)RTA_DATA(a);
			break;
		case IFLA_MTU:
			l->mtu = *(__u32 *)RTA_DATA(a);
			break;
		case IFLA_ADDRESS:
			if (RTA_PAYLOAD(a) == 6) {
				memcpy(l->mac, RTA_DATA(a), 6);
				l->has_mac = true;
			}
			break;
		case IFLA_LINKINFO:
			parse_linkinfo(a, l);
			break;
		}
	}
}

static void add_attr(char *msg, int type, const void *data, int len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct rtattr *a = (struct rtattr *)(msg + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/*
 * RTM_GETLINK on fd: one link (ifindex or name; in namespace nsid if
 * >= 0) or, with dump, every link through cb. 0 or a negative errno.
 */
static int rtnl_getlink(int fd, bool dump, unsigned int ifindex,
			const char *name, int nsid, struct rt_link *one,
			int (*cb)(const struct rt_link *, void *), void *arg)
{
	union {
		struct {
			struct nlmsghdr h;
			struct ifinfomsg ifi;
		} req;
		char raw[256];
	} u;
	static char buf[32768];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	bool found = false;
	int ret = 0;

	memset(&u, 0, sizeof(u));
	u.req.h.nlmsg_len = NLMSG_LENGTH(sizeof(u.req.ifi));
	u.req.h.nlmsg_type = RTM_GETLINK;
	u.req.h.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	u.req.h.nlmsg_seq = 1;
	u.req.ifi.ifi_family = AF_UNSPEC;
	u.req.ifi.ifi_index = ifindex;
	if (name)
		add_attr(u.raw, IFLA_IFNAME, name, strlen(name) + 1);
	if (nsid >= 0) {
		__s32 v = nsid;

		add_attr(u.raw, IFLA_TARGET_NETNSID, &v, sizeof(v));
	}
	if (sendto(fd, u.raw, u.req.h.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (void *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct rt_link l;

			if (h->nlmsg_type == NLMSG_DONE)
				return ret;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (!e->error && !dump)
					return found ? 0 : -ENODEV;
				return e->error ? e->error : ret;
			}
			if (h->nlmsg_type != RTM_NEWLINK)
				continue;
			parse_link(h, &l);
			if (!dump) {
				*one = l;
				return 0;
			}
			if (!ret && cb)
				ret = cb(&l, arg);
		}
	}
}

/* The bridge-port host-side veth ifindex, checked; CTL_EXIT_*. */
static int host_veth(int fd, unsigned int ifindex, const char *name,
		     struct fp_link *out, bool quiet)
{
	struct rt_link h, peer, br;
	int ret;

	ret = rtnl_getlink(fd, false, ifindex, name, -1, &h, NULL, NULL);
	if (ret) {
		if (!quiet) {
			if (name)
				ctl_err("no interface \"%s\": %s", name,
					strerror(-ret));
			else
				ctl_err("no interface with ifindex %u: %s",
					ifindex, strerror(-ret));
		}
		return CTL_EXIT_FAIL;
	}
	if (strcmp(h.kind, "veth")) {
		if (!quiet)
			ctl_err("%s is not a veth (kind \"%s\"): the fast path works on the host side of a container's veth pair",
				h.name, h.kind[0] ? h.kind : "none");
		return CTL_EXIT_FAIL;
	}
	if (h.link_nsid < 0) {
		if (!quiet)
			ctl_err("the peer of %s is in this network namespace: not the host side of a container's veth",
				h.name);
		return CTL_EXIT_FAIL;
	}
	if (!h.master) {
		if (!quiet)
			ctl_err("%s is not a bridge port: nothing to bypass",
				h.name);
		return CTL_EXIT_FAIL;
	}
	if (rtnl_getlink(fd, false, h.master, NULL, -1, &br, NULL, NULL) ||
	    strcmp(br.kind, "bridge")) {
		if (!quiet)
			ctl_err("%s is enslaved to %s, which is not a Linux bridge",
				h.name, br.name);
		return CTL_EXIT_FAIL;
	}
	ret = rtnl_getlink(fd, false, h.link, NULL, h.link_nsid, &peer, NULL,
			   NULL);
	if (ret || !peer.has_mac) {
		if (!quiet)
			ctl_err("cannot read the peer of %s (ifindex %u in netns id %d): %s",
				h.name, h.link, h.link_nsid,
				ret ? strerror(-ret) : "no MAC address");
		return CTL_EXIT_FAIL;
	}
	memset(out, 0, sizeof(*out));
	out->ifindex = h.ifindex;
	snprintf(out->name, sizeof(out->name), "%s", h.name);
	out->master = h.master;
	out->mtu = peer.mtu;
	memcpy(out->mac, peer.mac, 6);
	return CTL_EXIT_OK;
}

/* Container-side veths found in a container's namespace. */
struct ns_scan {
	struct rt_link *v;
	int n;
};

static int collect_veth(const struct rt_link *l, void *arg)
{
	struct ns_scan *s = arg;
	struct rt_link *nv;

	if (strcmp(l->kind, "veth") || l->link_nsid < 0 || !l->has_mac)
		return 0;
	nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	s->v = nv;
	s->v[s->n++] = *l;
	return 0;
}

/* An rtnetlink socket in the namespace of a task of cgroup dir; -errno. */
static int cgroup_rtnl(const char *dir, char *why, size_t whylen)
{
	char path[4200], line[32];
	int self, ns = -1, fd;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f) {
		snprintf(why, whylen, "cannot read %.300s: %s", path,
			 strerror(errno));
		return -errno;
	}
	while (ns < 0 && fgets(line, sizeof(line), f)) {
		long pid = strtol(line, NULL, 10);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		ns = open(path, O_RDONLY | O_CLOEXEC);
	}
	fclose(f);
	if (ns < 0) {
		snprintf(why, whylen, "cgroup %.300s has no process to take a network namespace from",
			 dir);
		return -ENOENT;
	}
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(ns, CLONE_NEWNET)) {
		int e = errno;

		snprintf(why, whylen, "cannot enter the network namespace of %.300s: %s",
			 dir, strerror(e));
		close(ns);
		if (self >= 0)
			close(self);
		return -e;
	}
	fd = rtnl_open();
	if (setns(self, CLONE_NEWNET)) {
		/* Cannot happen with the rights setns needed; be loud. */
		perror("setns back");
		exit(CTL_EXIT_FAIL);
	}
	close(self);
	close(ns);
	if (fd < 0)
		snprintf(why, whylen, "rtnetlink: %s", strerror(-fd));
	return fd;
}

static bool same_netns_as_us(const char *dir)
{
	char path[4200], line[32];
	struct stat a, b;
	bool same = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(line, sizeof(line), f)) {
		snprintf(path, sizeof(path), "/proc/%ld/ns/net",
			 strtol(line, NULL, 10));
		same = !stat(path, &a) && !stat("/proc/self/ns/net", &b) &&
		       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
	}
	fclose(f);
	return same;
}

int fp_resolve(const char *spec, struct fp_link **out)
{
	struct ns_scan scan = { 0 };
	char err[512], dir[4096];
	struct fp_link *v = NULL;
	struct target t;
	char *root;
	int fd, cfd, ret, i, n = 0;

	fd = rtnl_open();
	if (fd < 0) {
		ctl_err("rtnetlink: %s", strerror(-fd));
		return -CTL_EXIT_FAIL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		close(fd);
		ctl_err("out of memory");
		return -CTL_EXIT_FAIL;
	}
	/* An interface name: "dev:NAME" or any name that exists here. */
	if (!strncmp(spec, "dev:", 4) ||
	    (!strchr(spec, '/') && strlen(spec) < IF_NAMESIZE &&
	     if_nametoindex(spec))) {
		const char *name = strncmp(spec, "dev:", 4) ? spec : spec + 4;

		if (!*name || strlen(name) >= IF_NAMESIZE) {
			free(v);
			close(fd);
			return -ctl_usage_err("fastpath { enable | disable | show | help } [ TARGET ]",
					      "invalid interface name \"%s\"", name);
		}
		ret = host_veth(fd, 0, name, v, false);
		close(fd);
		if (ret) {
			free(v);
			return -ret;
		}
		*out = v;
		return 1;
	}
	ret = target_resolve(spec, &t, err, sizeof(err));
	if (ret) {
		free(v);
		close(fd);
		ctl_err("%s (TARGET is an interface name, a cgroup or a container)", err);
		return -target_exit_status(ret);
	}
	root = target_cgroup_root();
	snprintf(dir, sizeof(dir), "%s%s", root ? root : "/sys/fs/cgroup",
		 strcmp(t.path, "/") ? t.path : "");
	free(root);
	target_free(&t);
	if (same_netns_as_us(dir)) {
		free(v);
		close(fd);
		ctl_err("the processes of %s are in this network namespace: no container veth to find",
			dir);
		return -CTL_EXIT_FAIL;
	}
	cfd = cgroup_rtnl(dir, err, sizeof(err));
	if (cfd < 0) {
		free(v);
		close(fd);
		ctl_err("%s", err);
		return -CTL_EXIT_FAIL;
	}
	ret = rtnl_getlink(cfd, true, 0, NULL, -1, NULL, collect_veth, &scan);
	close(cfd);
	if (ret) {
		ctl_err("listing the interfaces of %s: %s", dir, strerror(-ret));
		goto fail;
	}
	for (i = 0; i < scan.n; i++) {
		struct fp_link l, *nv;

		/* Its peer, seen from here, must point back at it. */
		if (host_veth(fd, scan.v[i].link, NULL, &l, true) ||
		    memcmp(l.mac, scan.v[i].mac, 6))
			continue;
		nv = realloc(v, (n + 1) * sizeof(*nv));
		if (!nv) {
			ctl_err("out of memory");
			goto fail;
		}
		v = nv;
		v[n++] = l;
	}
	if (!n) {
		ctl_err("%s: no veth in its network namespace whose peer is a bridge port here",
			dir);
		goto fail;
	}
	free(scan.v);
	close(fd);
	*out = v;
	return n;
fail:
	free(scan.v);
	free(v);
	close(fd);
	return -CTL_EXIT_FAIL;
}

/* --- bpffs, program, maps ----------------------------------------------- */

struct fp_fds {
	int prog, dst, src, stats;
};

static void fds_close(struct fp_fds *f)
{
	int *p[] = { &f->prog, &f->dst, &f->src, &f->stats };
	size_t i;

	for (i = 0; i < 4; i++)
		if (*p[i] >= 0) {
			close(*p[i]);
			*p[i] = -1;
		}
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* Failures are reported by the caller; libbpf's detail on request. */
	(void)level;
	if (!getenv("OFFLOADMOD_BPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int fp_mode(void)
{
	static int mode = -1;

	if (mode < 0)
		mode = libbpf_probe_bpf_helper(BPF_PROG_TYPE_SCHED_CLS,
					       BPF_FUNC_redirect_peer, NULL) > 0 ?
		       FP_MODE_PEER : FP_MODE_REDIRECT;
	return mode;
}

const char *fp_mode_name(void)
{
	return fp_mode() == FP_MODE_PEER ? "peer" : "redirect";
}

int fp_require_root(void)
{
	if (geteuid() != 0) {
		ctl_err("fastpath needs root (CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN for bpffs)");
		return CTL_EXIT_FAIL;
	}
	libbpf_set_print(libbpf_quiet);
	return CTL_EXIT_OK;
}

/* bpffs at /sys/fs/bpf, mounted if absent; with mkdirs of our dir. */
static int ensure_bpffs(bool create)
{
	struct statfs st;

	if (statfs(BPFFS, &st) || st.f_type != BPF_FS_MAGIC) {
		if (!create)
			return -ENOENT;
		if (mount("bpf", BPFFS, "bpf", 0, "mode=0700")) {
			ctl_err("mounting bpffs on %s: %s", BPFFS,
				strerror(errno));
			return -errno;
		}
	}
	if (!create)
		return 0;
	if ((mkdir(PIN_PARENT, 0700) && errno != EEXIST) ||
	    (mkdir(FP_PIN_DIR, 0700) && errno != EEXIST)) {
		ctl_err("creating %s: %s", FP_PIN_DIR, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Open the pinned objects; -ENOENT when the fast path was never set up. */
static int open_pinned(struct fp_fds *f)
{
	f->prog = f->dst = f->src = f->stats = -1;
	if (ensure_bpffs(false))
		return -ENOENT;
	f->prog = bpf_obj_get(PIN_PROG);
	f->dst = bpf_obj_get(PIN_DST);
	f->src = bpf_obj_get(PIN_SRC);
	f->stats = bpf_obj_get(PIN_STATS);
	if (f->prog < 0 || f->dst < 0 || f->src < 0 || f->stats < 0) {
		int e = errno;

		fds_close(f);
		return e == ENOENT ? -ENOENT : -e;
	}
	return 0;
}

/* Load the program with its maps pinned (maps reused if pinned). */
static int load_and_pin(struct fp_fds *f)
{
	struct fastpath_bpf *skel;
	int ret;

	skel = fastpath_bpf__open();
	if (!skel) {
		ctl_err("opening the fastpath BPF object: %s", strerror(errno));
		return CTL_EXIT_FAIL;
	}
	skel->rodata->fp_mode = fp_mode();
	bpf_map__set_pin_path(skel->maps.fp_dst, PIN_DST);
	bpf_map__set_pin_path(skel->maps.fp_src, PIN_SRC);
	bpf_map__set_pin_path(skel->maps.fp_stats, PIN_STATS);
	ret = fastpath_bpf__load(skel);
	if (ret) {
		ctl_err("loading the fastpath BPF program: %s (OFFLOADMOD_BPF_DEBUG=1 shows the verifier log)",
			strerror(-ret));
		fastpath_bpf__destroy(skel);
		return CTL_EXIT_FAIL;
	}
	ret = bpf_program__pin(skel->progs.fastpath_ingress, PIN_PROG);
	fastpath_bpf__destroy(skel);
	if (ret) {
		ctl_err("pinning the fastpath program at %s: %s", PIN_PROG,
			strerror(-ret));
		return CTL_EXIT_FAIL;
	}
	ret = open_pinned(f);
	if (ret) {
		ctl_err("reopening %s: %s", FP_PIN_DIR, strerror(-ret));
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}

static void unpin_all(void)
{
	unlink(PIN_PROG);
	unlink(PIN_DST);
	unlink(PIN_SRC);
	unlink(PIN_STATS);
	rmdir(FP_PIN_DIR);
	rmdir(PIN_PARENT);	/* fails harmlessly if others live there */
}

/* Our filter on ifindex's clsact ingress: its prog id, 0 if none. */
static unsigned int tc_prog_id(unsigned int ifindex)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FP_TC_HANDLE,
			    .priority = FP_TC_PRIO);

	return bpf_tc_query(&hook, &opts) ? 0 : opts.prog_id;
}

static unsigned int prog_id(int fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static int tc_detach(unsigned int ifindex)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FP_TC_HANDLE,
			    .priority = FP_TC_PRIO);
	int ret = bpf_tc_detach(&hook, &opts);

	return ret == -ENOENT || ret == -EINVAL || ret == -ENODEV ? 0 : ret;
}

/* Sum of the per-CPU counters of ifindex; false if it has none. */
static bool read_stats(int fd, unsigned int ifindex, struct fp_stats *sum)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct fp_stats *v;
	bool ok;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0)
		return false;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return false;
	ok = !bpf_map_lookup_elem(fd, &ifindex, v);
	for (i = 0; ok && i < ncpu; i++) {
		sum->redirected += v[i].redirected;
		sum->passed += v[i].passed;
	}
	free(v);
	return ok;
}

static void forget(const struct fp_fds *f, unsigned int ifindex)
{
	struct fp_src s;
	struct fp_mac key = { 0 };
	struct fp_dst d;

	if (!bpf_map_lookup_elem(f->src, &ifindex, &s)) {
		memcpy(key.addr, s.mac, 6);
		if (!bpf_map_lookup_elem(f->dst, &key, &d) &&
		    d.ifindex == ifindex)
			bpf_map_delete_elem(f->dst, &key);
	}
	bpf_map_delete_elem(f->src, &ifindex);
	bpf_map_delete_elem(f->stats, &ifindex);
}

/*
 * Drop entries of interfaces that are gone or are no longer what was
 * enabled (deleted container: the filter died with the device, and the
 * ifindex may come back as something else). Returns the live count.
 */
static int gc(const struct fp_fds *f)
{
	unsigned int key, next, *pkey = NULL, gone[FP_MAX_IFACES];
	struct fp_mac mkey, mnext, *pm = NULL, mgone[FP_MAX_IFACES];
	int fd = rtnl_open(), n = 0, ngone = 0, nm = 0, i;

	if (fd < 0)
		return -1;
	while (!bpf_map_get_next_key(f->src, pkey, &next) &&
	       ngone < FP_MAX_IFACES) {
		struct fp_link l;
		struct fp_src s;

		key = next;
		pkey = &key;
		if (bpf_map_lookup_elem(f->src, &key, &s))
			continue;
		if (host_veth(fd, key, NULL, &l, true) ||
		    memcmp(l.mac, s.mac, 6) || l.master != s.master)
			gone[ngone++] = key;
		else
			n++;
	}
	close(fd);
	for (i = 0; i < ngone; i++)
		forget(f, gone[i]);
	/* Destinations without a source entry (half-done enable). */
	while (!bpf_map_get_next_key(f->dst, pm, &mnext) && nm < FP_MAX_IFACES) {
		struct fp_dst d;
		struct fp_src s;

		mkey = mnext;
		pm = &mkey;
		if (!bpf_map_lookup_elem(f->dst, &mkey, &d) &&
		    bpf_map_lookup_elem(f->src, &d.ifindex, &s))
			mgone[nm++] = mkey;
	}
	for (i = 0; i < nm; i++)
		bpf_map_delete_elem(f->dst, &mgone[i]);
	return n;
}

static int map_err(const char *what, const struct fp_link *l, int err)
{
	ctl_err("%s for %s: %s", what, l->name, strerror(err));
	return CTL_EXIT_FAIL;
}

int fp_enable(const struct fp_link *l)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = l->ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FP_TC_HANDLE,
			    .priority = FP_TC_PRIO, .flags = BPF_TC_F_REPLACE);
	int ncpu = libbpf_num_possible_cpus(), ret;
	struct fp_dst d = { 0 }, old;
	struct fp_src s = { 0 };
	struct fp_mac key = { 0 };
	struct fp_stats *zero;
	struct fp_fds f;

	if (ensure_bpffs(true))
		return CTL_EXIT_FAIL;
	ret = open_pinned(&f);
	if (ret == -ENOENT)
		ret = load_and_pin(&f);
	else if (ret)
		return map_err("opening " FP_PIN_DIR, l, -ret);
	if (ret)
		return ret;
	gc(&f);

	memcpy(key.addr, l->mac, 6);
	if (!bpf_map_lookup_elem(f.dst, &key, &old) &&
	    old.ifindex != l->ifindex)
		ctl_warn("MAC of %s's peer was enabled for ifindex %u: replaced",
			 l->name, old.ifindex);
	d.ifindex = l->ifindex;
	d.master = l->master;
	d.mtu = l->mtu;
	s.master = l->master;
	memcpy(s.mac, l->mac, 6);
	zero = calloc(ncpu > 0 ? ncpu : 1, sizeof(*zero));
	if (!zero) {
		fds_close(&f);
		ctl_err("out of memory");
		return CTL_EXIT_FAIL;
	}
	/* Counters survive a repeated enable. */
	if (bpf_map_update_elem(f.stats, &l->ifindex, zero, BPF_NOEXIST) &&
	    errno != EEXIST)
		ret = map_err("adding counters", l, errno);
	free(zero);
	if (!ret && bpf_map_update_elem(f.src, &l->ifindex, &s, BPF_ANY))
		ret = map_err("adding the source entry", l, errno);
	if (!ret && bpf_map_update_elem(f.dst, &key, &d, BPF_ANY))
		ret = map_err("adding the destination entry", l, errno);
	if (!ret) {
		int e = bpf_tc_hook_create(&hook);

		if (e && e != -EEXIST)
			ret = map_err("creating the clsact qdisc", l, -e);
	}
	if (!ret) {
		int e;

		opts.prog_fd = f.prog;
		e = bpf_tc_attach(&hook, &opts);
		if (e)
			ret = map_err("attaching the tc filter", l, -e);
	}
	if (ret)
		forget(&f, l->ifindex);
	fds_close(&f);
	return ret;
}

int fp_disable(const struct fp_link *l)
{
	struct fp_mac key = { 0 };
	struct fp_dst d;
	struct fp_fds f;
	int ret;

	ret = tc_detach(l->ifindex);
	if (ret)
		return map_err("removing the tc filter", l, -ret);
	ret = open_pinned(&f);
	if (ret == -ENOENT)
		return CTL_EXIT_OK;	/* nothing enabled anywhere */
	if (ret)
		return map_err("opening " FP_PIN_DIR, l, -ret);
	forget(&f, l->ifindex);
	/* Also a destination entry whose source entry was lost. */
	memcpy(key.addr, l->mac, 6);
	if (!bpf_map_lookup_elem(f.dst, &key, &d) && d.ifindex == l->ifindex)
		bpf_map_delete_elem(f.dst, &key);
	if (gc(&f) == 0)
		unpin_all();
	fds_close(&f);
	return CTL_EXIT_OK;
}

static void fill_row(const struct fp_fds *f, unsigned int ifindex,
		     struct fp_iface *r)
{
	struct fp_stats st;
	struct fp_link l;
	struct fp_src s;
	unsigned int ours = f->prog >= 0 ? prog_id(f->prog) : 0;
	char br[IF_NAMESIZE];
	int fd = rtnl_open();

	memset(r, 0, sizeof(*r));
	r->ifindex = ifindex;
	if (!if_indextoname(ifindex, r->name))
		r->name[0] = '\0';
	if (fd >= 0 && !host_veth(fd, ifindex, NULL, &l, true)) {
		memcpy(r->mac, l.mac, 6);
		r->has_mac = true;
		if (if_indextoname(l.master, br))
			snprintf(r->master, sizeof(r->master), "%s", br);
	}
	if (fd >= 0)
		close(fd);
	r->enabled = f->src >= 0 && !bpf_map_lookup_elem(f->src, &ifindex, &s);
	r->attached = ours && tc_prog_id(ifindex) == ours;
	if (f->stats >= 0 && read_stats(f->stats, ifindex, &st)) {
		r->redirected = st.redirected;
		r->passed = st.passed;
	}
}

int fp_show(const struct fp_link *links, int n, struct fp_iface **rows,
	    int *nrows)
{
	unsigned int key, next, *pkey = NULL;
	struct fp_iface *v;
	struct fp_fds f;
	int ret, i;

	ret = open_pinned(&f);
	if (ret && ret != -ENOENT) {
		ctl_err("opening %s: %s", FP_PIN_DIR, strerror(-ret));
		return CTL_EXIT_FAIL;
	}
	if (!ret)
		gc(&f);
	if (!links) {
		n = 0;
		while (!ret && !bpf_map_get_next_key(f.src, pkey, &next)) {
			key = next;
			pkey = &key;
			n++;
		}
	}
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		fds_close(&f);
		ctl_err("out of memory");
		return CTL_EXIT_FAIL;
	}
	if (links) {
		for (i = 0; i < n; i++)
			fill_row(&f, links[i].ifindex, &v[i]);
	} else {
		pkey = NULL;
		for (i = 0; i < n && !bpf_map_get_next_key(f.src, pkey, &next);
		     i++) {
			key = next;
			pkey = &key;
			fill_row(&f, key, &v[i]);
		}
		n = i;
	}
	fds_close(&f);
	*rows = v;
	*nrows = n;
	return CTL_EXIT_OK;
}
