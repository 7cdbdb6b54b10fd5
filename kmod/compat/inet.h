/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Established TCP socket lookups, across the kernels offloadmod builds
 * against. Included by net_hooks.c; kmod/compat.h has the rest of the
 * compat layer.
 *
 * __inet_lookup_established() and __inet6_lookup_established() took the
 * hash table as their second argument up to 6.x; 7.x dropped it and looks
 * in the namespace's own table (net->ipv4.tcp_death_row.hashinfo, which
 * is what offloadmod passes on the older kernels: on 5.10 every namespace
 * points to the one global table there). Kbuild reads each declaration:
 * OFFLOADMOD_HAVE_INET_LOOKUP_HASHINFO, OFFLOADMOD_HAVE_INET6_LOOKUP_HASHINFO.
 *
 * Both return a referenced socket (sock_gen_put() it) or NULL; context:
 * softirq or RCU read side, as the kernel's own callers.
 */
#ifndef _OFFLOADMOD_COMPAT_INET_H
#define _OFFLOADMOD_COMPAT_INET_H

#include <linux/in6.h>
#include <linux/types.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>

static inline struct sock *
offloadmod_tcp_lookup_established(struct net *net, __be32 saddr, __be16 sport,
				  __be32 daddr, u16 hnum, int dif)
{
#ifdef OFFLOADMOD_HAVE_INET_LOOKUP_HASHINFO
	return __inet_lookup_established(net, net->ipv4.tcp_death_row.hashinfo,
					 saddr, sport, daddr, hnum, dif, 0);
#else
	return __inet_lookup_established(net, saddr, sport, daddr, hnum, dif,
					 0);
#endif
}

#if IS_ENABLED(CONFIG_IPV6)
static inline struct sock *
offloadmod_tcp6_lookup_established(struct net *net,
				   const struct in6_addr *saddr, __be16 sport,
				   const struct in6_addr *daddr, u16 hnum,
				   int dif)
{
#ifdef OFFLOADMOD_HAVE_INET6_LOOKUP_HASHINFO
	return __inet6_lookup_established(net,
					  net->ipv4.tcp_death_row.hashinfo,
					  saddr, sport, daddr, hnum, dif, 0);
#else
	return __inet6_lookup_established(net, saddr, sport, daddr, hnum, dif,
					  0);
#endif
}
#endif

#endif /* _OFFLOADMOD_COMPAT_INET_H */
