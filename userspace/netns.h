/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl: resolve an NS argument to an open network namespace
 * file, whose descriptor the kernel takes in OFFLOADMOD_A_DEV_NETNS_FD.
 *
 * NS is one of (see offloadmod-ctl(8) "NETWORK NAMESPACES"):
 *   NAME                a name under /run/netns, as "ip netns add" makes
 *   /proc/1234/ns/net   a path (anything with a slash) to a netns file
 *   <container id>      12 to 64 hex digits, found as for TARGET: the
 *                       namespace of a process in the container's cgroup
 *   name:N, path:P, container:HEX   force one interpretation
 */
#ifndef OFFLOADMOD_NETNS_H
#define OFFLOADMOD_NETNS_H

#include <stddef.h>
#include <stdint.h>

#define NETNS_RUN_DIR "/run/netns"

struct netns {
	int fd;			/* O_RDONLY on the namespace, -1 if none */
	uint32_t inum;		/* inode number: what the kernel reports */
};

/*
 * Open the namespace spec names. Returns 0 and fills ns (close with
 * netns_close), or a negative errno with a one-line explanation in err,
 * mapped to an exit status by target_exit_status():
 *   -EINVAL    malformed NS, or a file that is no network namespace
 *   -ENOTUNIQ  container id prefix matches several containers
 *   -ENOENT    no such name, file or container, or a container with no
 *              process to take the namespace from
 *   other      system error
 */
int netns_open(const char *spec, struct netns *ns, char *err, size_t errlen);
void netns_close(struct netns *ns);

#endif /* OFFLOADMOD_NETNS_H */
