/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net_device settings of interface policies, across the kernels offloadmod
 * builds against (Debian's 5.10, 6.1, 6.12 and 7.2). Included by
 * devpolicy.c and devpolicy_nl.c only; kmod/compat.h has the rest of the
 * compat layer. Each difference is selected by a Kbuild probe of the
 * headers (OFFLOADMOD_HAVE_*).
 *
 * What differs, and what does not:
 *
 * - gso_max_size: a field of struct net_device everywhere. The kernel's
 *   setter netif_set_gso_max_size() is a static inline in net/core/dev.h
 *   since 5.19, a private header that linux-headers does not ship; the
 *   setters below do what it does: WRITE_ONCE, because sk_setup_caps()
 *   reads the field without locks.
 * - gro_max_size appeared in 5.19 (OFFLOADMOD_HAVE_NETDEV_GRO_MAX_SIZE),
 *   with netif_set_gro_max_size() and GRO_MAX_SIZE. 5.10 aggregates up to
 *   64 KiB with no knob: the setting is refused there as not supported
 *   (OFFLOADMOD_NETDEV_GRO_MAX_SIZE is 0).
 * - 6.3 added gso_ipv4_max_size and gro_ipv4_max_size (BIG TCP for IPv4).
 *   Since then the setters also lower the IPv4 limit when the size is at
 *   most 64 KiB, as `ip link set ... gso_max_size N` does; restoring a
 *   size therefore restores the IPv4 limit too. Earlier kernels have
 *   neither field. Kbuild: OFFLOADMOD_HAVE_NETDEV_IPV4_MAX_SIZE.
 * - tso_max_size, the device's limit on gso_max_size, appeared in 6.0
 *   (OFFLOADMOD_HAVE_NETDEV_TSO_MAX_SIZE). Before it rtnetlink accepts up
 *   to GSO_MAX_SIZE (65536 on 5.10) for every device: that is the device's
 *   limit there too. GSO_MAX_SIZE itself is 8 * 65535 since 5.19. The core
 *   lowers tso_max_size at run time (a bridge or bond takes the smallest of
 *   its ports' when one joins or leaves: netif_set_tso_max_size()).
 * - The smallest gso_max_size: sk_dst_gso_max_size() (5.19+) and TCP's
 *   size goal (tcp_xmit_size_goal(), tcp_tso_autosize(), every kernel)
 *   subtract MAX_TCP_HEADER + 1 from it in unsigned arithmetic, so a
 *   smaller value gives sockets a limit near 4 GiB. rtnetlink refuses it
 *   (ifla_policy: NLA_POLICY_MIN(NLA_U32, MAX_TCP_HEADER + 1)) on 6.12 and
 *   7.2, and on 6.1 since the stable backport in 6.1.120 (upstream
 *   9ab5cf19fb0e, CVE-2024-50258; Debian's 6.1.192 has it). 5.10's
 *   rtnetlink (5.10.262) still takes 0 and up while its TCP underflows
 *   the same way: the module refuses below the minimum there too, never
 *   looser than the newer kernels. MAX_TCP_HEADER depends on the kernel's
 *   configuration (MAX_HEADER: tunnels, LL_MAX_HEADER): 320 on Debian's
 *   kernels; the header the module is built against has the right one.
 * - gro_max_size: rtnetlink refuses above GRO_MAX_SIZE on 6.12 and 7.2
 *   (validate_linkmsg()); 6.1's do_setlink() takes any u32. The module
 *   refuses above GRO_MAX_SIZE everywhere (GRO never builds more).
 * - gro_flush_timeout and napi_defer_hard_irqs: per-device fields from
 *   5.7 to 6.12 (napi_defer_hard_irqs an int before 6.11, then a u32),
 *   read by NAPI at each poll, written by sysfs with a plain WRITE_ONCE.
 *   sysfs takes any unsigned long for gro_flush_timeout (the attribute is
 *   a u32 of nanoseconds) and, on 6.12 and 7.2, refuses
 *   napi_defer_hard_irqs above S32_MAX (change_napi_defer_hard_irqs();
 *   5.10 and 6.1 truncate into the int instead): the module refuses above
 *   S32_MAX everywhere.
 *   6.13 moved them into a per-NAPI struct napi_config that only the core
 *   updates; on such a kernel (Kbuild: OFFLOADMOD_HAVE_NAPI_CONFIG) the
 *   two settings are refused as not supported rather than written where
 *   NAPI no longer reads them.
 * - The instance lock: 6.15 and later serialise the ops of some devices
 *   (those that ask for it, or implement the queue or shaper API) with the
 *   device's own mutex besides RTNL: ethtool's feature set path and
 *   rtnetlink's do_setlink() (gso_max_size, gro_max_size) hold
 *   netdev_lock_ops() around __netdev_update_features() and the size
 *   setters, and __netdev_update_features() asserts it. The netdevice
 *   notifier runs NETDEV_REGISTER and NETDEV_CHANGENAME with it held, and
 *   NETDEV_UNREGISTER without. offloadmod_netdev_lock_ops() takes it where
 *   the kernel has it (OFFLOADMOD_HAVE_NETDEV_LOCK_OPS, net/netdev_lock.h)
 *   and is a no-op before; offloadmod_netdev_ops_locked() says whether a
 *   device uses it, so that devpolicy.c never takes its own mutex while the
 *   core holds that lock (its order is RTNL, its mutex, the device lock).
 * - What ethtool's "tso" switches: every tx-tcp*-segmentation feature.
 *   That is NETIF_F_ALL_TSO up to 6.x; 7.x adds NETIF_F_GSO_ACCECN
 *   (tx-tcp-accecn-segmentation, TSO of AccECN flows), which ethtool counts
 *   as TSO but NETIF_F_ALL_TSO does not include. OFFLOADMOD_NETIF_F_TSO
 *   has it where the header defines it.
 * - wanted_features + netdev_update_features() under RTNL, hw_features,
 *   NETIF_F_* masks, netdev notifiers, register_pernet_subsys(),
 *   get_net_ns_by_fd() and glob_match() (exported, CONFIG_GLOB=y in every
 *   Debian kernel and the debug kernel): the same everywhere.
 * - Extack messages with printf formatting (NL_SET_ERR_MSG_FMT, with a
 *   buffer inside struct netlink_ext_ack) appeared in 6.3. On 5.10 and 6.1
 *   a fixed message stands in: it names the attribute but not the
 *   interface.
 */
#ifndef _OFFLOADMOD_COMPAT_NETDEV_H
#define _OFFLOADMOD_COMPAT_NETDEV_H

#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <net/tcp.h>
#ifdef OFFLOADMOD_HAVE_NETDEV_LOCK_OPS
#include <net/netdev_lock.h>
#endif

/* The features of ethtool's "tso" (see above). */
#ifdef NETIF_F_GSO_ACCECN
#define OFFLOADMOD_NETIF_F_TSO_ACCECN	NETIF_F_GSO_ACCECN
#else
#define OFFLOADMOD_NETIF_F_TSO_ACCECN	0
#endif
#define OFFLOADMOD_NETIF_F_TSO	(NETIF_F_ALL_TSO | OFFLOADMOD_NETIF_F_TSO_ACCECN)

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

/* The smallest gso_max_size the module takes (see above). */
#define OFFLOADMOD_NETDEV_GSO_MIN_SIZE	(MAX_TCP_HEADER + 1)

/* The largest napi_defer_hard_irqs (see above). */
#define OFFLOADMOD_NETDEV_NAPI_DEFER_MAX	S32_MAX

/* The largest gso_max_size the device takes (rtnetlink's bound). */
static inline u32 offloadmod_netdev_tso_max_size(const struct net_device *dev)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_TSO_MAX_SIZE
	return READ_ONCE(dev->tso_max_size);
#else
	return GSO_MAX_SIZE;
#endif
}

#ifdef OFFLOADMOD_HAVE_NETDEV_GRO_MAX_SIZE
/* The kernel's bound on gro_max_size; 0: no such setting. */
#define OFFLOADMOD_NETDEV_GRO_MAX_SIZE	GRO_MAX_SIZE

static inline u32 offloadmod_netdev_gro_max_size(const struct net_device *dev)
{
	return READ_ONCE(dev->gro_max_size);
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
#else
#define OFFLOADMOD_NETDEV_GRO_MAX_SIZE	0

static inline u32 offloadmod_netdev_gro_max_size(const struct net_device *dev)
{
	return 0;
}

static inline void offloadmod_netdev_set_gro_max_size(struct net_device *dev,
						      u32 size)
{
}
#endif

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
 * The device's instance lock where the kernel runs this device's ops under
 * it (see above); nothing on kernels without one. Caller holds RTNL.
 */
static inline void offloadmod_netdev_lock_ops(struct net_device *dev)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_LOCK_OPS
	netdev_lock_ops(dev);
#endif
}

static inline void offloadmod_netdev_unlock_ops(struct net_device *dev)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_LOCK_OPS
	netdev_unlock_ops(dev);
#endif
}

/*
 * Does the core hold @dev's instance lock around its ops (and so in the
 * NETDEV_REGISTER and NETDEV_CHANGENAME notifications)?
 */
static inline bool offloadmod_netdev_ops_locked(const struct net_device *dev)
{
#ifdef OFFLOADMOD_HAVE_NETDEV_LOCK_OPS
	return netdev_need_ops_lock(dev);
#else
	return false;
#endif
}

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
