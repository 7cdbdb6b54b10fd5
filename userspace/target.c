// SPDX-License-Identifier: GPL-2.0
/*
 * offloadmod-ctl: TARGET resolution, see target.h.
 *
 * Container ids are found by walking the cgroup2 tree rather than asking
 * a runtime: it needs no daemon socket, works for every runtime that
 * names cgroups after container ids, and gives exactly the cgroup the
 * module attributes traffic to. The walk is bounded in depth, does not
 * follow symlinks and does not cross into other mounts.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "target.h"

#define ROOT_ENV	"OFFLOADMOD_CGROUP_ROOT"
#define DEFAULT_ROOT	"/sys/fs/cgroup"
#define CID_LEN		64	/* Docker/OCI container ids: sha256 in hex */
#define CID_MIN_PREFIX	12	/* what "docker ps" shows */

/*
 * "<runtime>-<id>[.scope]" cgroup names: systemd driver (docker-, and
 * cri-containerd-, crio-, libpod- under kubepods.slice / machine.slice)
 * and CRI-O under cgroupfs. Not "crio-conmon-<id>": that is the monitor
 * process next to the container, and would make every id ambiguous.
 */
static const char *const runtime_prefixes[] = {
	"docker", "cri-containerd", "crio", "libpod", NULL,
};

struct root {
	char *given;	/* as configured, trailing slashes trimmed */
	char *real;	/* realpath of it */
	int fd;
	struct stat st;
};

struct search {
	/* What we look for: a cgroup id, or a container id prefix. */
	bool by_id;
	uint64_t id;
	char prefix[CID_LEN + 1];
	size_t prefix_len;
	dev_t dev;
	/* Where the walk is: path relative to the root, "/a/b". */
	char path[PATH_MAX];
	size_t len;
	bool stop;
	/* What it found. */
	unsigned int matches;
	char *first, *second;
	char first_cid[CID_LEN + 1];
	uint64_t first_ino;
	bool nomem;
	int syserr;	/* negative errno if the root could not be read */
};

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

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Strict decimal u64: digits only, no sign, no overflow. */
static bool parse_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!all_digits(s))
		return false;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

char *target_cgroup_root(void)
{
	const char *env = getenv(ROOT_ENV);
	struct mntent *m;
	char *root = NULL;
	FILE *f;

	if (env && *env)
		return strdup(env);
	/* Hybrid hosts mount cgroup2 at /sys/fs/cgroup/unified. */
	f = setmntent("/proc/self/mounts", "re");
	if (f) {
		while ((m = getmntent(f)))
			if (!strcmp(m->mnt_type, "cgroup2")) {
				root = strdup(m->mnt_dir);
				break;
			}
		endmntent(f);
		if (m)
			return root;
	}
	return strdup(DEFAULT_ROOT);
}

/* If name is a container's cgroup, copy its id (lower case) to cid. */
static bool name_to_cid(const char *name, char cid[CID_LEN + 1])
{
	size_t n = strlen(name), plen, i;
	const char *id;

	if (n == CID_LEN && is_hex(name, n)) {
		id = name;	/* cgroupfs: docker/<id>, kubepods/.../<id> */
		goto found;
	}
	if (n > 6 && !strcmp(name + n - 6, ".scope"))
		n -= 6;
	if (n < CID_LEN + 2)
		return false;
	id = name + n - CID_LEN;
	if (id[-1] != '-' || !is_hex(id, CID_LEN))
		return false;
	plen = (size_t)(id - 1 - name);
	for (i = 0; runtime_prefixes[i]; i++)
		if (strlen(runtime_prefixes[i]) == plen &&
		    !strncmp(name, runtime_prefixes[i], plen))
			goto found;
	return false;
found:
	for (i = 0; i < CID_LEN; i++)
		cid[i] = (char)tolower((unsigned char)id[i]);
	cid[CID_LEN] = '\0';
	return true;
}

static void record(struct search *s, const char *cid, uint64_t ino)
{
	char **slot = NULL;

	s->matches++;
	if (s->matches == 1) {
		slot = &s->first;
		s->first_ino = ino;
		if (cid)
			memcpy(s->first_cid, cid, sizeof(s->first_cid));
	} else if (s->matches == 2) {
		slot = &s->second;
	}
	if (slot) {
		*slot = strdup(s->path);
		if (!*slot)
			s->nomem = true;
	}
	/* ids are unique in one hierarchy; container prefixes may not be. */
	if (s->by_id || s->nomem)
		s->stop = true;
}

static void check(struct search *s, const char *name, const struct stat *st)
{
	char cid[CID_LEN + 1];

	if (s->by_id) {
		if ((uint64_t)st->st_ino == s->id)
			record(s, NULL, st->st_ino);
		return;
	}
	if (name_to_cid(name, cid) && !strncmp(cid, s->prefix, s->prefix_len))
		record(s, cid, st->st_ino);
}

/* List the directory dfd (at depth levels below the root); owns dfd. */
static void walk(struct search *s, int dfd, unsigned int depth)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while (!s->stop && (de = readdir(d))) {
		const char *name = de->d_name;
		size_t nlen = strlen(name), old = s->len;
		int fd;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode) || st.st_dev != s->dev)
			continue;
		/* A path we could not name is one we could not return. */
		if (s->len + 1 + nlen >= sizeof(s->path))
			continue;
		s->path[s->len++] = '/';
		memcpy(s->path + s->len, name, nlen + 1);
		s->len += nlen;

		check(s, name, &st);
		if (!s->stop && depth + 1 < TARGET_MAX_DEPTH) {
			fd = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				walk(s, fd, depth + 1);
		}
		s->len = old;
		s->path[old] = '\0';
	}
	closedir(d);
}

static void run_search(struct search *s, const struct root *r)
{
	/*
	 * A fresh open, not dup(): a dup shares the directory offset, and
	 * a second search (id, then container) would start at its end.
	 * walk() closes what it is given.
	 */
	int fd = openat(r->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	s->dev = r->st.st_dev;
	s->path[0] = '\0';
	s->len = 0;
	if (fd >= 0)
		walk(s, fd, 0);
	else
		s->syserr = -errno;
}

/* Non-zero (and err set) if the search itself failed. */
static int search_failed(const struct search *s, const struct root *r,
			 char *err, size_t errlen)
{
	if (s->syserr) {
		seterr(err, errlen, "cannot read %s: %s", r->given,
		       strerror(-s->syserr));
		return s->syserr;
	}
	return s->nomem ? -ENOMEM : 0;
}

static void search_free(struct search *s)
{
	free(s->first);
	free(s->second);
}

static int by_id(const struct root *r, uint64_t id, struct target *t,
		 char *err, size_t errlen)
{
	struct search s = { .by_id = true, .id = id };
	int ret;

	if ((uint64_t)r->st.st_ino == id) {
		t->cgroup_id = id;
		t->path = strdup("/");
		return t->path ? 0 : -ENOMEM;
	}
	run_search(&s, r);
	ret = search_failed(&s, r, err, errlen);
	if (ret) {
		search_free(&s);
		return ret;
	}
	if (!s.matches) {
		seterr(err, errlen, "no cgroup with id %llu under %s",
		       (unsigned long long)id, r->given);
		return -ENOENT;
	}
	t->cgroup_id = s.first_ino;
	t->path = s.first;	/* handed over */
	s.first = NULL;
	search_free(&s);
	return 0;
}

static int by_container(const struct root *r, const char *prefix,
			struct target *t, char *err, size_t errlen)
{
	struct search s = { .by_id = false };
	size_t i, n = strlen(prefix);
	int ret;

	if (n < CID_MIN_PREFIX || n > CID_LEN || !is_hex(prefix, n)) {
		seterr(err, errlen,
		       "invalid container id \"%s\": need %d to %d hex digits",
		       prefix, CID_MIN_PREFIX, CID_LEN);
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		s.prefix[i] = (char)tolower((unsigned char)prefix[i]);
	s.prefix_len = n;

	run_search(&s, r);
	ret = search_failed(&s, r, err, errlen);
	if (ret) {
		/* reported */
	} else if (!s.matches) {
		seterr(err, errlen, "no container %s under %s", s.prefix,
		       r->given);
		ret = -ENOENT;
	} else if (s.matches > 1) {
		if (s.matches > 2)
			seterr(err, errlen,
			       "container id %s is ambiguous: %s, %s and %u more",
			       s.prefix, s.first, s.second, s.matches - 2);
		else
			seterr(err, errlen,
			       "container id %s is ambiguous: %s and %s",
			       s.prefix, s.first, s.second);
		ret = -ENOTUNIQ;
	} else {
		t->cgroup_id = s.first_ino;
		t->path = s.first;
		s.first = NULL;
		t->container_id = strdup(s.first_cid);
		ret = t->container_id ? 0 : -ENOMEM;
	}
	search_free(&s);
	return ret;
}

/* s is dir or below it (dir has no trailing slash, or is "/"). */
static const char *under(const char *s, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return s;
	if (strncmp(s, dir, n) || (s[n] && s[n] != '/'))
		return NULL;
	return s + n;
}

static int by_path(const struct root *r, const char *spec, struct target *t,
		   char *err, size_t errlen)
{
	const char *rel, *inside;
	char *full = NULL, *real = NULL;
	struct stat st;
	int ret;

	if (!*spec) {
		seterr(err, errlen, "empty cgroup path");
		return -EINVAL;
	}
	/* Absolute inside the root, else relative to it (leading / or not). */
	rel = under(spec, r->given);
	if (!rel && *spec == '/')
		rel = under(spec, r->real);
	if (!rel)
		rel = spec;
	while (*rel == '/')
		rel++;
	if (asprintf(&full, "%s/%s", r->real, rel) < 0)
		return -ENOMEM;

	real = realpath(full, NULL);
	if (!real) {
		ret = -errno;
		if (ret == -ENOENT || ret == -ENOTDIR)
			seterr(err, errlen, "no cgroup \"%s\" under %s", spec,
			       r->given);
		else
			seterr(err, errlen, "%s: %s", full, strerror(-ret));
		goto out;
	}
	/* ".." or a symlink must not lead out of the hierarchy. */
	inside = under(real, r->real);
	if (!inside) {
		seterr(err, errlen, "\"%s\" is outside the cgroup2 hierarchy at %s",
		       spec, r->given);
		ret = -EINVAL;
		goto out;
	}
	if (stat(real, &st)) {
		ret = -errno;
		seterr(err, errlen, "%s: %s", real, strerror(-ret));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		seterr(err, errlen, "\"%s\" is not a cgroup directory", spec);
		ret = -ENOENT;
		goto out;
	}
	if (st.st_dev != r->st.st_dev) {
		seterr(err, errlen, "\"%s\" is on another mount than the cgroup2 hierarchy at %s",
		       spec, r->given);
		ret = -EINVAL;
		goto out;
	}
	t->cgroup_id = st.st_ino;
	t->path = strdup(*inside ? inside : "/");
	ret = t->path ? 0 : -ENOMEM;
out:
	free(full);
	free(real);
	return ret;
}

static int classify(const struct root *r, const char *spec, struct target *t,
		    char *err, size_t errlen)
{
	size_t n = strlen(spec);
	uint64_t id;
	int ret;

	if (!n) {
		seterr(err, errlen, "empty target");
		return -EINVAL;
	}
	if (!strncmp(spec, "id:", 3)) {
		if (!parse_u64(spec + 3, &id)) {
			seterr(err, errlen, "invalid cgroup id \"%s\"", spec + 3);
			return -EINVAL;
		}
		return by_id(r, id, t, err, errlen);
	}
	if (!strncmp(spec, "container:", 10))
		return by_container(r, spec + 10, t, err, errlen);
	if (!strncmp(spec, "path:", 5))
		return by_path(r, spec + 5, t, err, errlen);

	if (all_digits(spec)) {
		/*
		 * A number is a cgroup id; a long one that is no cgroup's
		 * id may still be a container id that has no hex letter in
		 * its first digits.
		 */
		bool cid_len = n >= CID_MIN_PREFIX && n <= CID_LEN;

		if (parse_u64(spec, &id)) {
			ret = by_id(r, id, t, err, errlen);
			if (ret != -ENOENT || !cid_len)
				return ret;
			ret = by_container(r, spec, t, err, errlen);
			if (ret == -ENOENT)
				seterr(err, errlen,
				       "no cgroup with id %s and no container %s under %s",
				       spec, spec, r->given);
			return ret;
		}
		if (cid_len)
			return by_container(r, spec, t, err, errlen);
		seterr(err, errlen, "cgroup id \"%s\" out of range", spec);
		return -EINVAL;
	}
	if (is_hex(spec, n) && n >= CID_MIN_PREFIX) {
		if (n > CID_LEN) {
			seterr(err, errlen,
			       "invalid container id \"%s\": longer than %d hex digits",
			       spec, CID_LEN);
			return -EINVAL;
		}
		return by_container(r, spec, t, err, errlen);
	}
	ret = by_path(r, spec, t, err, errlen);
	if (ret == -ENOENT && is_hex(spec, n))
		seterr(err, errlen,
		       "no cgroup \"%s\" under %s (a container id prefix needs at least %d hex digits)",
		       spec, r->given, CID_MIN_PREFIX);
	return ret;
}

int target_resolve(const char *spec, struct target *t, char *err,
		   size_t errlen)
{
	struct root r = { .fd = -1 };
	size_t n;
	int ret;

	memset(t, 0, sizeof(*t));
	if (errlen)
		err[0] = '\0';

	r.given = target_cgroup_root();
	if (!r.given) {
		ret = -ENOMEM;
		goto out;
	}
	n = strlen(r.given);
	while (n > 1 && r.given[n - 1] == '/')
		r.given[--n] = '\0';
	r.fd = open(r.given, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.fd >= 0 && !fstat(r.fd, &r.st))
		r.real = realpath(r.given, NULL);
	if (!r.real) {
		ret = -errno;
		seterr(err, errlen, "cannot open the cgroup2 root %s: %s",
		       r.given, strerror(errno));
		goto out;
	}
	ret = classify(&r, spec, t, err, errlen);
out:
	if (ret == -ENOMEM)
		seterr(err, errlen, "%s", strerror(ENOMEM));
	if (ret)
		target_free(t);
	if (r.fd >= 0)
		close(r.fd);
	free(r.given);
	free(r.real);
	return ret;
}

void target_free(struct target *t)
{
	free(t->path);
	free(t->container_id);
	memset(t, 0, sizeof(*t));
}

int target_exit_status(int err)
{
	if (!err)
		return CTL_EXIT_OK;
	if (err == -EINVAL || err == -ENOTUNIQ)
		return CTL_EXIT_USAGE;
	return CTL_EXIT_FAIL;
}
