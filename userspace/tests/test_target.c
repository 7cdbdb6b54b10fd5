// SPDX-License-Identifier: GPL-2.0
/*
 * TARGET resolution against a fake cgroup tree in a temporary directory
 * (OFFLOADMOD_CGROUP_ROOT), laid out the way Docker, containerd, CRI-O
 * and Podman lay out cgroups under the cgroupfs and systemd drivers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ctl.h"
#include "target.h"
#include "tap.h"

static char root[] = "/tmp/offloadmod-target-XXXXXX";

/* A 64-hex container id starting with prefix, padded deterministically. */
static void mkid(char id[65], const char *prefix)
{
	static const char pad[] = "0123456789abcdef";
	size_t n = strlen(prefix), i;

	memcpy(id, prefix, n);
	for (i = n; i < 64; i++)
		id[i] = pad[(i * 7 + n) % 16];
	id[64] = '\0';
}

static char id_docker_fs[65], id_docker_sd[65], id_k8s_fs[65],
	    id_k8s_guar[65], id_k8s_sd[65], id_crio_sd[65], id_crio_fs[65],
	    id_podman[65], id_amb1[65], id_amb2[65], id_deep[65], id_file[65],
	    id_link[65], id_other_rt[65], id_digits[65];

static void mkdirs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void mkdirs(const char *fmt, ...)
{
	char path[4096], *p;
	va_list ap;
	int n;

	n = snprintf(path, sizeof(path), "%s/", root);
	va_start(ap, fmt);
	vsnprintf(path + n, sizeof(path) - (size_t)n, fmt, ap);
	va_end(ap);
	for (p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

static uint64_t ino_of(const char *rel)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

static void build_tree(void)
{
	char path[4096];
	int i, n;
	FILE *f;

	mkid(id_docker_fs, "d0c4e7f5a111");
	mkid(id_docker_sd, "d0c4e75d0222");
	mkid(id_k8s_fs, "c0ffee000333");
	mkid(id_k8s_guar, "c0ffee111444");
	mkid(id_k8s_sd, "5d5d5d5d0555");
	mkid(id_crio_sd, "c210000d0666");
	mkid(id_crio_fs, "c210000f0777");
	mkid(id_podman, "b0d3a0000888");
	mkid(id_amb1, "abcabcabcabc11");
	mkid(id_amb2, "abcabcabcabc22");
	mkid(id_deep, "dee9dee9d999");
	mkid(id_file, "f11ef11ef000");
	mkid(id_link, "11a1a1a1a000");
	mkid(id_other_rt, "07e207e20000");
	mkid(id_digits, "123456789012");

	/* Docker, cgroupfs driver (what the test VMs run). */
	mkdirs("docker/%s", id_docker_fs);
	mkdirs("docker/%s", id_amb1);
	mkdirs("docker/%s", id_digits);
	/* Docker, systemd driver. */
	mkdirs("system.slice/docker-%s.scope", id_docker_sd);
	mkdirs("system.slice/docker-%s.scope", id_amb2);
	mkdirs("system.slice/ssh.service");
	/* Kubernetes + containerd, cgroupfs driver. */
	mkdirs("kubepods/besteffort/pod0f2e4c1a-1111-2222-3333-444455556666/%s",
	       id_k8s_fs);
	mkdirs("kubepods/pod9a8b7c6d-1111-2222-3333-444455556666/%s",
	       id_k8s_guar);
	/* Kubernetes + containerd, systemd driver. */
	mkdirs("kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f2e4c1a_1111.slice/cri-containerd-%s.scope",
	       id_k8s_sd);
	/* Kubernetes + CRI-O, systemd driver, with its conmon sibling. */
	mkdirs("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod77_88.slice/crio-%s.scope",
	       id_crio_sd);
	mkdirs("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod77_88.slice/crio-conmon-%s.scope",
	       id_crio_sd);
	/* Kubernetes + CRI-O, cgroupfs driver. */
	mkdirs("kubepods/burstable/pod12345678-aaaa/crio-%s", id_crio_fs);
	/* Podman, systemd driver, with conmon. */
	mkdirs("machine.slice/libpod-%s.scope", id_podman);
	mkdirs("machine.slice/libpod-conmon-%s.scope", id_podman);
	/* An unknown runtime prefix is not taken for a container. */
	mkdirs("system.slice/sometool-%s.scope", id_other_rt);

	/* Deeper than TARGET_MAX_DEPTH: never found. */
	n = snprintf(path, sizeof(path), "deep");
	for (i = 0; i < TARGET_MAX_DEPTH + 2; i++)
		n += snprintf(path + n, sizeof(path) - (size_t)n, "/l%d", i);
	mkdirs("%s/%s", path, id_deep);

	/* A file and a symlink named like containers are not cgroups. */
	snprintf(path, sizeof(path), "%s/docker/%s", root, id_file);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/docker/%s", root, id_link);
	if (symlink("../system.slice", path))
		diag("symlink: %s", strerror(errno));
	/* A symlink out of the hierarchy. */
	snprintf(path, sizeof(path), "%s/escape", root);
	if (symlink("/tmp", path))
		diag("symlink: %s", strerror(errno));
}

static void rm_tree(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		diag("cleanup of %s failed", root);
}

static int resolve(const char *spec, struct target *t, char *err, size_t len)
{
	return target_resolve(spec, t, err, len);
}

/* spec resolves to rel (relative path) with the right id. */
static void expect_path(const char *spec, const char *rel, const char *cid,
			const char *name)
{
	struct target t;
	char err[512];
	int ret;

	ret = resolve(spec, &t, err, sizeof(err));
	if (!ok(ret == 0 && t.path && !strcmp(t.path, rel) &&
		t.cgroup_id == ino_of(strcmp(rel, "/") ? rel : "") &&
		t.cgroup_id != 0 &&
		(cid ? t.container_id && !strcmp(t.container_id, cid) :
		       !t.container_id), "%s", name))
		diag("spec \"%s\": ret %d (%s) path %s id %" PRIu64 " cid %s",
		     spec, ret, err, t.path ? t.path : "-", t.cgroup_id,
		     t.container_id ? t.container_id : "-");
	target_free(&t);
}

/* spec fails with want (and the matching exit status) and message. */
static void expect_err(const char *spec, int want, const char *msg_part,
		       const char *name)
{
	struct target t;
	char err[512];
	int ret;

	ret = resolve(spec, &t, err, sizeof(err));
	if (!ok(ret == want && !t.path && !t.container_id && err[0] &&
		(!msg_part || strstr(err, msg_part)), "%s", name))
		diag("spec \"%s\": ret %d want %d, message \"%s\"", spec, ret,
		     want, err);
}

static void test_paths(void)
{
	char spec[4096];

	snprintf(spec, sizeof(spec), "%s/docker", root);
	expect_path(spec, "/docker", NULL, "absolute path");
	snprintf(spec, sizeof(spec), "%s/docker/", root);
	expect_path(spec, "/docker", NULL, "absolute path, trailing slash");
	expect_path(root, "/", NULL, "absolute path of the root");
	expect_path("docker", "/docker", NULL, "relative path");
	expect_path("system.slice/ssh.service", "/system.slice/ssh.service",
		    NULL, "relative path, two levels");
	expect_path("/system.slice/ssh.service", "/system.slice/ssh.service",
		    NULL, "root-relative path with leading slash");
	expect_path("/", "/", NULL, "\"/\" is the root");
	expect_path("kubepods/../docker", "/docker", NULL,
		    ".. inside the hierarchy is fine");
	expect_path("path:docker", "/docker", NULL, "path: prefix");
	snprintf(spec, sizeof(spec), "/docker/%s", id_docker_fs);
	expect_path(spec + 1, spec, NULL,
		    "relative path to a container cgroup is a path");
}

static void test_ids(void)
{
	char spec[64];

	snprintf(spec, sizeof(spec), "%" PRIu64, ino_of("/kubepods/besteffort"));
	expect_path(spec, "/kubepods/besteffort", NULL, "cgroup id");
	snprintf(spec, sizeof(spec), "id:%" PRIu64, ino_of("/system.slice"));
	expect_path(spec, "/system.slice", NULL, "id: prefix");
	snprintf(spec, sizeof(spec), "%" PRIu64, ino_of(""));
	expect_path(spec, "/", NULL, "cgroup id of the root");
}

struct layout {
	const char *name;
	const char *id;
	const char *fmt;	/* relative path, %s = id */
};

static void test_containers(void)
{
	const struct layout layouts[] = {
		{ "docker, cgroupfs", id_docker_fs, "/docker/%s" },
		{ "docker, systemd", id_docker_sd,
		  "/system.slice/docker-%s.scope" },
		{ "kubernetes containerd, cgroupfs", id_k8s_fs,
		  "/kubepods/besteffort/pod0f2e4c1a-1111-2222-3333-444455556666/%s" },
		{ "kubernetes guaranteed pod, cgroupfs", id_k8s_guar,
		  "/kubepods/pod9a8b7c6d-1111-2222-3333-444455556666/%s" },
		{ "kubernetes containerd, systemd", id_k8s_sd,
		  "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0f2e4c1a_1111.slice/cri-containerd-%s.scope" },
		{ "kubernetes cri-o, systemd (conmon sibling)", id_crio_sd,
		  "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod77_88.slice/crio-%s.scope" },
		{ "kubernetes cri-o, cgroupfs", id_crio_fs,
		  "/kubepods/burstable/pod12345678-aaaa/crio-%s" },
		{ "podman, systemd (conmon sibling)", id_podman,
		  "/machine.slice/libpod-%s.scope" },
	};
	char rel[512], spec[128];
	size_t i, j;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		const struct layout *l = &layouts[i];
		char name[128];

		snprintf(rel, sizeof(rel), l->fmt, l->id);
		snprintf(name, sizeof(name), "%s: full id", l->name);
		expect_path(l->id, rel, l->id, name);
		snprintf(spec, sizeof(spec), "%.12s", l->id);
		snprintf(name, sizeof(name), "%s: 12-digit prefix", l->name);
		expect_path(spec, rel, l->id, name);
		snprintf(spec, sizeof(spec), "container:%.20s", l->id);
		snprintf(name, sizeof(name), "%s: container: prefix", l->name);
		expect_path(spec, rel, l->id, name);
	}

	/* Upper case as some tools print it. */
	snprintf(spec, sizeof(spec), "%.16s", id_docker_sd);
	for (j = 0; spec[j]; j++)
		if (spec[j] >= 'a' && spec[j] <= 'f')
			spec[j] = (char)(spec[j] - 'a' + 'A');
	snprintf(rel, sizeof(rel), "/system.slice/docker-%s.scope", id_docker_sd);
	expect_path(spec, rel, id_docker_sd, "upper-case prefix");

	/* All-digit prefix that is no cgroup id: tried as a container. */
	snprintf(rel, sizeof(rel), "/docker/%s", id_digits);
	expect_path("123456789012", rel, id_digits,
		    "all-digit container prefix");

	/* Full ids of the two that share a prefix are unique. */
	snprintf(rel, sizeof(rel), "/docker/%s", id_amb1);
	expect_path(id_amb1, rel, id_amb1, "full id despite shared prefix");
}

static void test_errors(void)
{
	char spec[256];
	struct target t;
	char small[8];
	int ret;

	/* Ambiguous: exit status 1, both candidates named. */
	expect_err("abcabcabcabc", -ENOTUNIQ, "ambiguous",
		   "ambiguous prefix rejected");
	ret = target_resolve("abcabcabcabc", &t, spec, sizeof(spec));
	ok(strstr(spec, "/docker/abcabcabcabc11") &&
	   strstr(spec, "/system.slice/docker-abcabcabcabc22"),
	   "ambiguous prefix: both cgroups named");
	ok(target_exit_status(ret) == CTL_EXIT_USAGE,
	   "ambiguous prefix: exit status 1");

	/* Not found: exit status 2. */
	expect_err("nosuch/dir", -ENOENT, "no cgroup", "path not found");
	ok(target_exit_status(-ENOENT) == CTL_EXIT_FAIL,
	   "not found: exit status 2");
	expect_err("999999999999999", -ENOENT, "no cgroup with id",
		   "id not found");
	expect_err("id:4294967295000", -ENOENT, "no cgroup with id",
		   "id: not found");
	expect_err("ffffffffffff", -ENOENT, "no container", "container not found");
	expect_err(id_deep, -ENOENT, "no container",
		   "container deeper than the search bound not found");
	expect_err(id_file, -ENOENT, "no container",
		   "regular file named like a container ignored");
	expect_err(id_link, -ENOENT, "no container",
		   "symlink named like a container ignored");
	expect_err(id_other_rt, -ENOENT, "no container",
		   "unknown runtime prefix not taken for a container");
	expect_err("abc", -ENOENT, "at least 12",
		   "short hex: not found, with a hint");
	snprintf(spec, sizeof(spec), "docker/%s", id_file);
	expect_err(spec, -ENOENT, "not a cgroup directory",
		   "path to a regular file");

	/* Malformed: exit status 1. */
	expect_err("", -EINVAL, "empty", "empty target");
	ok(target_exit_status(-EINVAL) == CTL_EXIT_USAGE,
	   "malformed: exit status 1");
	expect_err("id:", -EINVAL, "invalid cgroup id", "id: without number");
	expect_err("id:12x", -EINVAL, "invalid cgroup id", "id: not a number");
	expect_err("id:-1", -EINVAL, "invalid cgroup id", "id: negative");
	expect_err("id:99999999999999999999", -EINVAL, "invalid cgroup id",
		   "id: beyond 64 bits");
	expect_err("container:xyz", -EINVAL, "invalid container id",
		   "container: not hex");
	expect_err("container:abcdef", -EINVAL, "invalid container id",
		   "container: prefix too short");
	snprintf(spec, sizeof(spec), "%s0", id_docker_fs);
	expect_err(spec, -EINVAL, "longer than 64",
		   "65 hex digits rejected");
	memset(spec, '9', 70);
	spec[70] = '\0';
	expect_err(spec, -EINVAL, "out of range", "70-digit number rejected");
	expect_err("../..", -EINVAL, "outside", "path escaping with ..");
	expect_err("escape", -EINVAL, "outside", "symlink escaping the root");
	expect_err("path:", -EINVAL, "empty", "path: without path");

	/* Messages are truncated to the buffer, never overrun it. */
	ret = target_resolve("nosuch/dir/with/a/long/name", &t, small,
			     sizeof(small));
	ok(ret == -ENOENT && strlen(small) == sizeof(small) - 1,
	   "error message truncated to the buffer");
}

static void test_root(void)
{
	struct target t;
	char err[512], *r;

	r = target_cgroup_root();
	ok_str(r, root, "root from OFFLOADMOD_CGROUP_ROOT");
	free(r);

	setenv("OFFLOADMOD_CGROUP_ROOT", "/nonexistent/offloadmod", 1);
	ok(target_resolve("docker", &t, err, sizeof(err)) == -ENOENT &&
	   strstr(err, "cannot open the cgroup2 root"),
	   "missing root reported");
	ok(target_exit_status(-ENOENT) == CTL_EXIT_FAIL,
	   "missing root: exit status 2");

	unsetenv("OFFLOADMOD_CGROUP_ROOT");
	r = target_cgroup_root();
	ok(r && r[0] == '/', "default root is an absolute path (%s)",
	   r ? r : "NULL");
	free(r);
	setenv("OFFLOADMOD_CGROUP_ROOT", root, 1);
}

int main(void)
{
	if (!mkdtemp(root)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	setenv("OFFLOADMOD_CGROUP_ROOT", root, 1);
	build_tree();
	test_paths();
	test_ids();
	test_containers();
	test_errors();
	test_root();
	rm_tree();
	return tap_done();
}
