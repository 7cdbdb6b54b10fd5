/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sockets across the kernels offloadmod builds against: turning GSO off on
 * one socket, and the socket behind a file. Included by sockpolicy.c and
 * sockpolicy_scan.c; kmod/compat.h has the rest of the compat layer.
 *
 * 6.0 and later have a bit for it, sk_gso_disabled, set by sk_gso_disable()
 * (TCP-MD5 is the kernel's own user) and honoured by sk_setup_caps() every
 * time it recomputes the socket's capabilities. 5.10 has the older form of
 * the same thing: sk_route_nocaps, route capabilities the socket must never
 * get, which sk_setup_caps() masks out the same way; sk_nocaps_add(sk,
 * NETIF_F_GSO_MASK) is what TCP-MD5 calls there. Re-enabling clears only
 * the bits offloadmod added, so GSO stays off for a socket that someone
 * else (TCP-MD5) turned it off for. Kbuild: OFFLOADMOD_HAVE_SK_GSO_DISABLED.
 */
#ifndef _OFFLOADMOD_COMPAT_SOCK_H
#define _OFFLOADMOD_COMPAT_SOCK_H

#include <linux/net.h>
#include <linux/netdev_features.h>
#include <net/sock.h>

/* Has GSO been turned off for good on @sk (by anyone)? */
static inline bool offloadmod_sk_gso_disabled(const struct sock *sk)
{
#ifdef OFFLOADMOD_HAVE_SK_GSO_DISABLED
	return sk->sk_gso_disabled;
#else
	return (sk->sk_route_nocaps & NETIF_F_GSO_MASK) == NETIF_F_GSO_MASK;
#endif
}

/*
 * Turn GSO off for good on @sk, which offloadmod_sk_gso_disabled() says
 * it is not. Return: what offloadmod_sk_gso_reenable() needs to undo
 * exactly this; never 0.
 */
static inline netdev_features_t offloadmod_sk_gso_disable(struct sock *sk)
{
#ifdef OFFLOADMOD_HAVE_SK_GSO_DISABLED
	sk_gso_disable(sk);
	return NETIF_F_GSO_MASK;
#else
	netdev_features_t added = NETIF_F_GSO_MASK & ~sk->sk_route_nocaps;

	sk_nocaps_add(sk, NETIF_F_GSO_MASK);
	return added;
#endif
}

/*
 * Undo offloadmod_sk_gso_disable(); @undo is what it returned. The caller
 * then recomputes the capabilities (sk_setup_caps()).
 */
static inline void offloadmod_sk_gso_reenable(struct sock *sk,
					      netdev_features_t undo)
{
#ifdef OFFLOADMOD_HAVE_SK_GSO_DISABLED
	sk->sk_gso_disabled = 0;
#else
	sk->sk_route_nocaps &= ~undo;
#endif
}

/*
 * The socket behind @file, or NULL if it is not one. 5.10's
 * sock_from_file() also takes an error pointer (gone in 5.12), which only
 * ever says "not a socket". Kbuild: OFFLOADMOD_HAVE_SOCK_FROM_FILE_ERR.
 */
static inline struct socket *offloadmod_sock_from_file(struct file *file)
{
#ifdef OFFLOADMOD_HAVE_SOCK_FROM_FILE_ERR
	int err;

	return sock_from_file(file, &err);
#else
	return sock_from_file(file);
#endif
}

#endif /* _OFFLOADMOD_COMPAT_SOCK_H */
