/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net_device settings of interface policies, across the kernels offloadmod
 * builds against (Debian 12's 6.1 and 6.12). Included by devpolicy.c and
 * devpolicy_nl.c only; kmod/compat.h has the rest of the compat layer.
 *
 * What differs between 6.1 and 6.12, and what does not:
 *
 * - gso_max_size / gro_max_size: fields of struct net_device on both, with
 *   the kernel's own setters netif_set_gso_max_size() and
 *   netif_set_gro_max_size() static inlines in net/core/dev.h, a private
 *   header that linux-headers does not ship. The setters below do what
 *   those do: WRITE_ONCE, because sk_setup_caps() and GRO read the fields
 *   without locks.
 * - 6.3 added gso_ipv4_max_size and gro_ipv4_max_size (BIG TCP for IPv4).
 *   Since then the setters also lower the IPv4 limit when the size is at
 *   most 64 KiB, as `ip link set ... gso_max_size N` does; restoring a
 *   size therefore restores the IPv4 limit too. 6.1 has neither field.
 *   Kbuild probes netdevice.h: OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE.
 * - tso_max_size (the device's limit on gso_max_size) and the kernel's
 *   GSO_MAX_SIZE / GRO_MAX_SIZE (8 * 65535): the same on both.
 * - gro_flush_timeout and napi_defer_hard_irqs: per-device fields on both
 *   (napi_defer_hard_irqs is an int on 6.1, a u32 on 6.12), read by NAPI
 *   at each poll, written by sysfs with a plain WRITE_ONCE. 6.13 moved them
 *   into a per-NAPI struct napi_config that only the core updates; on such
 *   a kernel (Kbuild: OFFLOADMOD_HAVE_NAPI_CONFIG) the two settings are
 *   refused as not supported rather than written where NAPI no longer
 *   reads them.
 * - wanted_features + netdev_update_features() under RTNL, hw_features,
 *   NETIF_F_* masks, netdev notifiers, register_pernet_subsys(),
 *   get_net_ns_by_fd() and glob_match() (exported, CONFIG_GLOB=y in both
 *   Debian kernels and the debug kernel): the same on both.
 * - Extack messages with printf formatting (NL_SET_ERR_MSG_FMT, with a
 *   buffer inside struct netlink_ext_ack) appeared in 6.3. On 6.1 a fixed
 *   message stands in: it names the attribute but not the interface.
 */
#ifndef _OFFLOADMOD_COMPAT_NETDEV_H
#define _OFFLOADMOD_COMPAT_NETDEV_H

#include <linux/compiler.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>

/* The IPv4 limits that come with BIG TCP for IPv4; 0 where there are none. */
static inline u32
offloadmod_netdev_gso_ipv4_max_size(const struct net_device *dev)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE
	return READ_ONCE(dev->gso_ipv4_max_size);
#else
	return 0;
#endif
}

static inline void
offloadmod_netdev_set_gso_ipv4_max_size(struct net_device *dev, u32 size)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE
	WRITE_ONCE(dev->gso_ipv4_max_size, size);
#endif
}

static inline u32
offloadmod_netdev_gro_ipv4_max_size(const struct net_device *dev)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE
	return READ_ONCE(dev->gro_ipv4_max_size);
#else
	return 0;
#endif
}

static inline void
offloadmod_netdev_set_gro_ipv4_max_size(struct net_device *dev, u32 size)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE
	WRITE_ONCE(dev->gro_ipv4_max_size, size);
#endif
}

/* netif_set_gso_max_size() of net/core/dev.h. */
static inline void offloadmod_netdev_set_gso_max_size(struct net_device *dev,
						      u32 size)
{
	WRITE_ONCE(dev->gso_max_size, size);
#ifdef OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE
	if (size <= GSO_LEGACY_MAX_SIZE)
		WRITE_ONCE(dev->gso_ipv4_max_size, size);
#endif
}

/* netif_set_gro_max_size() of net/core/dev.h. */
static inline void offloadmod_netdev_set_gro_max_size(struct net_device *dev,
						      u32 size)
{
	WRITE_ONCE(dev->gro_max_size, size);
#ifdef OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE
	if (size <= GRO_LEGACY_MAX_SIZE)
		WRITE_ONCE(dev->gro_ipv4_max_size, size);
#endif
}

/*
 * gro_flush_timeout (ns) and napi_defer_hard_irqs, where the device holds
 * them (see above). Callers check OFFLOADMOD_HAVE_NETDEV_NAPI_KNOBS first.
 */
#ifndef OFFLOADMOD_HAVE_NAPI_CONFIG
#define OFFLOADMOD_HAVE_NETDEV_NAPI_KNOBS	1

static inline unsigned long
offloadmod_netdev_gro_flush_timeout(const struct net_device *dev)
{
	return READ_ONCE(dev->gro_flush_timeout);
}

static inline void
offloadmod_netdev_set_gro_flush_timeout(struct net_device *dev,
					unsigned long ns)
{
	WRITE_ONCE(dev->gro_flush_timeout, ns);
}

static inline u32
offloadmod_netdev_napi_defer_hard_irqs(const struct net_device *dev)
{
	return READ_ONCE(dev->napi_defer_hard_irqs);
}

/* @n is at most S32_MAX (the attribute policy), so it fits 6.1's int. */
static inline void
offloadmod_netdev_set_napi_defer_hard_irqs(struct net_device *dev, u32 n)
{
	WRITE_ONCE(dev->napi_defer_hard_irqs, n);
}
#else
#define OFFLOADMOD_HAVE_NETDEV_NAPI_KNOBS	0

static inline unsigned long
offloadmod_netdev_gro_flush_timeout(const struct net_device *dev)
{
	return 0;
}

static inline void
offloadmod_netdev_set_gro_flush_timeout(struct net_device *dev,
					unsigned long ns)
{
}

static inline u32
offloadmod_netdev_napi_defer_hard_irqs(const struct net_device *dev)
{
	return 0;
}

static inline void
offloadmod_netdev_set_napi_defer_hard_irqs(struct net_device *dev, u32 n)
{
}
#endif

/*
 * Formatted extack messages (NL_SET_ERR_MSG_FMT, 6.3+). Without them,
 * offloadmod_extack_attr_fixed() sets a static message chosen at run time
 * (NL_SET_ERR_MSG() only takes a literal) and the attribute's offset.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define OFFLOADMOD_HAVE_EXTACK_FMT	1
#else
#define OFFLOADMOD_HAVE_EXTACK_FMT	0
static inline void offloadmod_extack_attr_fixed(struct netlink_ext_ack *extack,
						const struct nlattr *attr,
						const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}
#endif

#endif /* _OFFLOADMOD_COMPAT_NETDEV_H */
