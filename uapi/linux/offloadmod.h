/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * offloadmod: the user/kernel contract of the "offloadmod" generic netlink
 * family. This header is the only place that defines wire numbers; the YNL
 * spec uapi/offloadmod.yaml describes the same contract and must be kept in
 * step with it. Usable from kernel, userspace (libnl, raw sockets) and BPF.
 */
#ifndef _UAPI_LINUX_OFFLOADMOD_H
#define _UAPI_LINUX_OFFLOADMOD_H

#define OFFLOADMOD_FAMILY_NAME		"offloadmod"
#define OFFLOADMOD_FAMILY_VERSION	1

/*
 * Longest hook name, in bytes including the NUL. Other strings (kernel
 * release, module version) are sent whole and have no fixed bound.
 */
#define OFFLOADMOD_NAME_MAX		64

/* Reply of OFFLOADMOD_CMD_GET_STATUS. Every attribute is output only. */
enum {
	OFFLOADMOD_A_STATUS_UNSPEC,
	OFFLOADMOD_A_STATUS_PAD,
	OFFLOADMOD_A_STATUS_MODULE_VERSION,	/* string */
	OFFLOADMOD_A_STATUS_UAPI_VERSION,	/* u32: OFFLOADMOD_FAMILY_VERSION */
	OFFLOADMOD_A_STATUS_KERNEL_RELEASE,	/* string: utsname release */
	OFFLOADMOD_A_STATUS_MAX_CGROUPS,	/* u32: module parameter */
	OFFLOADMOD_A_STATUS_HOOK,		/* nest, repeated: OFFLOADMOD_A_HOOK_* */

	__OFFLOADMOD_A_STATUS_MAX,
	OFFLOADMOD_A_STATUS_MAX = (__OFFLOADMOD_A_STATUS_MAX - 1)
};

/* One kernel hook point (a tracepoint) the module knows about. */
enum {
	OFFLOADMOD_A_HOOK_UNSPEC,
	OFFLOADMOD_A_HOOK_PAD,
	OFFLOADMOD_A_HOOK_NAME,		/* string: tracepoint name */
	OFFLOADMOD_A_HOOK_AVAILABLE,	/* u8: the running kernel has it */
	OFFLOADMOD_A_HOOK_ATTACHED,	/* u8: the module's probe is registered */
	OFFLOADMOD_A_HOOK_INVOCATIONS,	/* u64: probe calls since load */

	__OFFLOADMOD_A_HOOK_MAX,
	OFFLOADMOD_A_HOOK_MAX = (__OFFLOADMOD_A_HOOK_MAX - 1)
};

enum {
	OFFLOADMOD_CMD_UNSPEC,
	OFFLOADMOD_CMD_GET_STATUS,

	__OFFLOADMOD_CMD_MAX,
	OFFLOADMOD_CMD_MAX = (__OFFLOADMOD_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_OFFLOADMOD_H */
