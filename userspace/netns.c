// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl: NS arguments, see netns.h.
 *
 * A container's namespace is taken from a process in its cgroup, found
 * the way TARGET finds the cgroup (target.c): no runtime socket needed,
 * and it is the namespace the container's processes really use. The
 * cgroup itself may hold no process (a pod's cgroup, a systemd scope with
 * sub-cgroups), so its descendants are searched too, a few levels deep.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/nsfs.h>

#include "netns.h"
#include "target.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* Sub-cgroup levels searched for a process of a container. */
#define PROC_SEARCH_DEPTH 4

static void seterr(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/*
 * fd is a network namespace: an nsfs file whose /proc/self/fd link reads
 * "net:[INUM]". That link, rather than the NS_GET_NSTYPE ioctl, so that
 * tools such as valgrind see nothing unusual; the ioctl only without /proc.
 */
static bool is_netns(int fd)
{
	char link[64], target[64];
	struct statfs sfs;
	ssize_t n;

	if (fstatfs(fd, &sfs) || (unsigned long)sfs.f_type != NSFS_MAGIC)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		return !strncmp(target, "net:[", 5);
	}
	return ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
}

/* Take fd (a namespace candidate opened from path) into ns. */
static int take_fd(int fd, const char *path, struct netns *ns, char *err,
		   size_t errlen)
{
	struct stat st;
	int ret;

	if (!is_netns(fd)) {
		close(fd);
		seterr(err, errlen, "%s is not a network namespace", path);
		return -EINVAL;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		seterr(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ns->fd = fd;
	ns->inum = (uint32_t)st.st_ino;
	return 0;
}

static int by_path(const char *path, const char *spec, struct netns *ns,
		   char *err, size_t errlen)
{
	int fd, ret;

	if (!*path) {
		seterr(err, errlen, "empty netns");
		return -EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT || ret == -ENOTDIR)
			seterr(err, errlen, "no network namespace \"%s\": %s does not exist",
			       spec, path);
		else
			seterr(err, errlen, "%s: %s", path, strerror(-ret));
		return ret == -ENOTDIR ? -ENOENT : ret;
	}
	return take_fd(fd, path, ns, err, errlen);
}

static int by_name(const char *name, const char *spec, struct netns *ns,
		   char *err, size_t errlen)
{
	char path[sizeof(NETNS_RUN_DIR) + 256];

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) > 255) {
		seterr(err, errlen, "invalid netns name \"%s\"", name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	return by_path(path, spec, ns, err, errlen);
}

/* The namespace of the first process listed in dir/cgroup.procs that we can open. */
static int procs_netns(int dfd)
{
	char line[32], path[64];
	int fd, pfd = -1;
	FILE *f;

	fd = openat(dfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -1;
	}
	while (pfd < 0 && fgets(line, sizeof(line), f)) {
		long pid = strtol(line, NULL, 10);

		if (pid <= 0)
			continue;
		/* A process that exits meanwhile: try the next one. */
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		pfd = open(path, O_RDONLY | O_CLOEXEC);
	}
	fclose(f);
	return pfd;
}

/* dfd's processes first, then its descendants'; owns dfd. */
static int cgroup_netns(int dfd, unsigned int depth)
{
	struct dirent *de;
	int fd = procs_netns(dfd), sub;
	DIR *d;

	if (fd >= 0 || depth >= PROC_SEARCH_DEPTH) {
		close(dfd);
		return fd;
	}
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	while (fd < 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
			     O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			fd = cgroup_netns(sub, depth + 1);
	}
	closedir(d);
	return fd;
}

static int by_container(const char *id, const char *spec, struct netns *ns,
			char *err, size_t errlen)
{
	char tspec[80], *root = NULL, *dir = NULL;
	struct target t;
	int fd, ret;

	if (strlen(id) > 64) {
		seterr(err, errlen,
		       "invalid container id \"%s\": longer than 64 hex digits",
		       id);
		return -EINVAL;
	}
	snprintf(tspec, sizeof(tspec), "container:%s", id);
	ret = target_resolve(tspec, &t, err, errlen);
	if (ret)
		return ret;
	root = target_cgroup_root();
	if (!root || asprintf(&dir, "%s%s", root, t.path) < 0) {
		dir = NULL;
		ret = -ENOMEM;
		seterr(err, errlen, "%s", strerror(ENOMEM));
		goto out;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		seterr(err, errlen, "%s: %s", dir, strerror(-ret));
		goto out;
	}
	fd = cgroup_netns(fd, 0);
	if (fd < 0) {
		seterr(err, errlen,
		       "container %.12s (cgroup %s) has no process to take its network namespace from",
		       t.container_id ? t.container_id : id, t.path);
		ret = -ENOENT;
		goto out;
	}
	ret = take_fd(fd, spec, ns, err, errlen);
out:
	free(dir);
	free(root);
	target_free(&t);
	return ret;
}

static bool hex_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 12 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

int netns_open(const char *spec, struct netns *ns, char *err, size_t errlen)
{
	struct stat st;
	char path[sizeof(NETNS_RUN_DIR) + 256];

	ns->fd = -1;
	ns->inum = 0;
	if (errlen)
		err[0] = '\0';
	if (!*spec) {
		seterr(err, errlen, "empty netns");
		return -EINVAL;
	}
	if (!strncmp(spec, "name:", 5))
		return by_name(spec + 5, spec, ns, err, errlen);
	if (!strncmp(spec, "path:", 5))
		return by_path(spec + 5, spec, ns, err, errlen);
	if (!strncmp(spec, "container:", 10))
		return by_container(spec + 10, spec, ns, err, errlen);
	if (strchr(spec, '/'))
		return by_path(spec, spec, ns, err, errlen);
	/* A name that exists wins over a container id spelled the same. */
	if (strlen(spec) <= 255) {
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, spec);
		if (!stat(path, &st) || !hex_id(spec))
			return by_name(spec, spec, ns, err, errlen);
	}
	if (hex_id(spec))
		return by_container(spec, spec, ns, err, errlen);
	seterr(err, errlen,
	       "no network namespace \"%s\": not a name under %s, a path or a container id",
	       spec, NETNS_RUN_DIR);
	return -ENOENT;
}

void netns_close(struct netns *ns)
{
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
}
