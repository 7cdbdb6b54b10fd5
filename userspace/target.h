/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl: resolve a TARGET argument to a cgroup v2 directory.
 *
 * TARGET is one of (see offloadmod-ctl(8) "TARGETS"):
 *   /sys/fs/cgroup/foo/bar   absolute path inside the cgroup2 hierarchy
 *   foo/bar, /foo/bar        path relative to the cgroup2 root
 *   12345                    cgroup id (what "stat -c %i DIR" prints)
 *   <container id>           64 hex digits, or a unique prefix of >= 12,
 *                            found in the Docker, containerd, CRI-O and
 *                            Podman layouts of the cgroupfs and systemd
 *                            cgroup drivers
 *   id:N, container:HEX, path:P   force one interpretation
 *
 * The cgroup2 root is $OFFLOADMOD_CGROUP_ROOT if set, else the first
 * cgroup2 mount in /proc/self/mounts, else /sys/fs/cgroup.
 */
#ifndef OFFLOADMOD_TARGET_H
#define OFFLOADMOD_TARGET_H

#include <stddef.h>
#include <stdint.h>

/* Directory levels searched below the root for ids and containers. */
#define TARGET_MAX_DEPTH 16

struct target {
	uint64_t cgroup_id;	/* st_ino of the cgroup directory */
	char *path;		/* relative to the root, "/" for the root */
	char *container_id;	/* full id if resolved as a container */
};

/*
 * Resolve spec. Returns 0 and fills t (free with target_free), or a
 * negative errno with a one-line explanation in err:
 *   -EINVAL    malformed TARGET                       (exit status 1)
 *   -ENOTUNIQ  container id prefix matches several    (exit status 1)
 *   -ENOENT    no such cgroup / id / container       (exit status 2)
 *   other      system error, e.g. unreadable root    (exit status 2)
 */
int target_resolve(const char *spec, struct target *t, char *err,
		   size_t errlen);
void target_free(struct target *t);
/* The CTL_EXIT_* status for a target_resolve() error. */
int target_exit_status(int err);
/* The cgroup2 root in use (malloc'd), or NULL if out of memory. */
char *target_cgroup_root(void);

#endif /* OFFLOADMOD_TARGET_H */
