/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offloadmod-ctl fastpath: the tc eBPF container fast path.
 *
 * fastpath.c      command line, target resolution, printing (no libbpf)
 * fastpath_bpf.c  bpffs pins, maps, tc clsact attach, rtnetlink lookups
 */
#ifndef OFFLOADMOD_FASTPATH_CTL_H
#define OFFLOADMOD_FASTPATH_CTL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fp_cmd { FP_CMD_ENABLE, FP_CMD_DISABLE, FP_CMD_SHOW, FP_CMD_HELP };

struct fp_args {
	enum fp_cmd cmd;
	const char *target;	/* NULL: show every enabled interface */
};

/* Parse the words after "fastpath"; a CTL_EXIT_* status (reported). */
int fastpath_parse_args(int argc, char **argv, struct fp_args *a);

/* One host-side veth, as "show" prints it. */
struct fp_iface {
	char name[IF_NAMESIZE];		/* "" if the device is gone */
	unsigned int ifindex;
	bool enabled;			/* in the fast path's maps */
	bool attached;			/* our filter is on its clsact ingress */
	unsigned char mac[6];		/* container-side MAC */
	bool has_mac;
	char master[IF_NAMESIZE];	/* bridge */
	uint64_t redirected, passed;
};

/* Print rows through the output layer (text or JSON). */
void fastpath_print(const struct fp_iface *v, size_t n, const char *mode);

/* --- fastpath_bpf.c ---------------------------------------------------- */

/* A veth pair seen from the host: what enable needs. */
struct fp_link {
	unsigned int ifindex;		/* host side */
	char name[IF_NAMESIZE];
	unsigned int master;		/* bridge ifindex, 0 if none */
	unsigned int mtu;		/* container side */
	unsigned char mac[6];		/* container side */
};

/*
 * Host-side veths of a target. spec is an interface name ("dev:NAME"
 * forces it) or a TARGET (cgroup path / id / container id): then every
 * veth in the network namespace of the cgroup's tasks whose peer is in
 * this namespace. Returns the count (>= 1) with *out malloc'd, or a
 * CTL_EXIT_* status negated (error reported).
 */
int fp_resolve(const char *spec, struct fp_link **out);

/* Redirect helper this kernel has: "peer" or "redirect". */
const char *fp_mode_name(void);

int fp_enable(const struct fp_link *l);		/* CTL_EXIT_* */
int fp_disable(const struct fp_link *l);	/* CTL_EXIT_* */
/* Fill rows for links (or every enabled interface when links is NULL). */
int fp_show(const struct fp_link *links, int n, struct fp_iface **rows,
	    int *nrows);				/* CTL_EXIT_* */
/* Root check with a clear message; CTL_EXIT_* */
int fp_require_root(void);

#endif /* OFFLOADMOD_FASTPATH_CTL_H */
