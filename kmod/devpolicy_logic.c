// SPDX-License-Identifier: GPL-2.0
/*
 * Interface policies, the pure part: the feature and value tables, merging
 * settings, name matching, the feature plan (which wanted_features bits a
 * request changes, and whether the device can change them at all), and
 * the bookkeeping that lets a policy put back exactly what it changed.
 *
 * No locks, no net_device: devpolicy.c feeds these with the device's
 * feature words under RTNL, and KUnit feeds them with made-up ones.
 */
#include <linux/bits.h>
#include <linux/glob.h>
#include <linux/kernel.h>
#include <linux/netdev_features.h>
#include <linux/offloadmod.h>
#include <linux/string.h>

#include "compat/netdev.h"
#include "devpolicy.h"

/*
 * The masks are the ones `ethtool -K` changes for the same names (its
 * legacy "tso" and "tx" flags cover every TSO and every checksum bit;
 * which bits are TSO depends on the kernel: compat/netdev.h).
 */
const struct offloadmod_devfeat offloadmod_devfeats[OFFLOADMOD_DEVFEAT_COUNT] = {
	[OFFLOADMOD_DEVFEAT_TSO] = {
		OFFLOADMOD_A_DEV_TSO, "tso", OFFLOADMOD_NETIF_F_TSO },
	[OFFLOADMOD_DEVFEAT_GSO] = {
		OFFLOADMOD_A_DEV_GSO, "gso", NETIF_F_GSO },
	[OFFLOADMOD_DEVFEAT_GRO] = {
		OFFLOADMOD_A_DEV_GRO, "gro", NETIF_F_GRO },
	[OFFLOADMOD_DEVFEAT_LRO] = {
		OFFLOADMOD_A_DEV_LRO, "lro", NETIF_F_LRO },
	[OFFLOADMOD_DEVFEAT_RX_GRO_HW] = {
		OFFLOADMOD_A_DEV_RX_GRO_HW, "rx-gro-hw", NETIF_F_GRO_HW },
	[OFFLOADMOD_DEVFEAT_TX_CSUM] = {
		OFFLOADMOD_A_DEV_TX_CSUM, "tx-csum", NETIF_F_CSUM_MASK },
};

const struct offloadmod_devval offloadmod_devvals[OFFLOADMOD_DEVVAL_COUNT] = {
	[OFFLOADMOD_DEVVAL_GSO_MAX_SIZE] = {
		OFFLOADMOD_A_DEV_GSO_MAX_SIZE, "gso-max-size",
		"dev.gso-max-size" },
	[OFFLOADMOD_DEVVAL_GRO_MAX_SIZE] = {
		OFFLOADMOD_A_DEV_GRO_MAX_SIZE, "gro-max-size",
		"dev.gro-max-size" },
	[OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT] = {
		OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT, "gro-flush-timeout",
		"dev.gro-flush-timeout" },
	[OFFLOADMOD_DEVVAL_NAPI_DEFER_HARD_IRQS] = {
		OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS, "napi-defer-hard-irqs",
		"dev.napi-defer-hard-irqs" },
};

/* The feature an attribute name stands for, or NULL. */
const struct offloadmod_devfeat *offloadmod_devfeat_by_name(const char *name)
{
	int i;

	for (i = 0; i < OFFLOADMOD_DEVFEAT_COUNT; i++)
		if (!strcmp(offloadmod_devfeats[i].name, name))
			return &offloadmod_devfeats[i];
	return NULL;
}

/*
 * A set request carries only what changes: what @src sets overrides @dst,
 * what it leaves out keeps its earlier value.
 */
void offloadmod_devsettings_merge(struct offloadmod_devsettings *dst,
				  const struct offloadmod_devsettings *src)
{
	int i;

	dst->feat_on = (dst->feat_on & ~src->feat_set) |
		       (src->feat_on & src->feat_set);
	dst->feat_set |= src->feat_set;
	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++)
		if (src->val_set & BIT(i))
			dst->val[i] = src->val[i];
	dst->val_set |= src->val_set;
}

/*
 * The length bound is the attribute policy's. An empty pattern is refused
 * because it can never match: no interface has an empty name.
 */
bool offloadmod_devpolicy_pattern_ok(const char *pattern)
{
	return pattern[0] != '\0';
}

/* Shell-style (fnmatch without flags): *, ?, [...] with [!...], and \. */
bool offloadmod_devpolicy_match(const char *pattern, const char *name)
{
	return glob_match(pattern, name);
}

/**
 * offloadmod_devfeat_plan() - what turning a feature on or off changes
 * @mask: the feature's bits (struct offloadmod_devfeat.mask)
 * @on: the requested state
 * @hw: dev->hw_features, the bits the user may change
 * @active: dev->features
 * @change: set to the wanted_features bits to set (@on) or clear
 *
 * As with ethtool, only the bits in @hw can be changed. A device that can
 * change none of them but already is in the requested state (lro off on a
 * device without LRO) needs nothing: *@change is 0 and that is success.
 *
 * Return: 0, or -EOPNOTSUPP if the device cannot reach the requested state.
 */
int offloadmod_devfeat_plan(netdev_features_t mask, bool on,
			    netdev_features_t hw, netdev_features_t active,
			    netdev_features_t *change)
{
	*change = mask & hw;
	if (*change)
		return 0;
	return !!(active & mask) == on ? 0 : -EOPNOTSUPP;
}

/* wanted_features after applying a plan. */
netdev_features_t offloadmod_devfeat_wanted(netdev_features_t wanted,
					    netdev_features_t change, bool on)
{
	return on ? wanted | change : wanted & ~change;
}

/*
 * Did the kernel follow? netdev_update_features() may still refuse a
 * wanted bit (a dependency such as TSO needing checksumming, or the
 * driver's ndo_fix_features): then the device is not in the state asked.
 * For "on", any of the bits counts, as ethtool shows a feature group on
 * when any of its bits is.
 */
bool offloadmod_devfeat_took(netdev_features_t change, bool on,
			     netdev_features_t active)
{
	return on ? !!(active & change) : !(active & change);
}

/**
 * offloadmod_devbook_record_feat() - remember wanted bits before a change
 * @book: the interface's bookkeeping
 * @change: the bits about to be changed
 * @wanted: wanted_features before the change
 *
 * Only the first change of a bit is recorded: a policy updated from
 * "gro off" to "gro on" must still restore what was there before it.
 */
void offloadmod_devbook_record_feat(struct offloadmod_devbook *book,
				    netdev_features_t change,
				    netdev_features_t wanted)
{
	netdev_features_t fresh = change & ~book->feat_mask;

	book->feat_old |= wanted & fresh;
	book->feat_mask |= fresh;
}

/* wanted_features with the recorded bits put back, the others untouched. */
netdev_features_t
offloadmod_devbook_restore_wanted(const struct offloadmod_devbook *book,
				  netdev_features_t wanted)
{
	return (wanted & ~book->feat_mask) | (book->feat_old & book->feat_mask);
}

/*
 * Remember a value before its first change, as for features. Return: true
 * if recorded now, false if an earlier value was already recorded (kept).
 */
bool offloadmod_devbook_record_val(struct offloadmod_devbook *book,
				   enum offloadmod_devval_id id, u64 old,
				   u32 old_ipv4)
{
	if (book->val_set & BIT(id))
		return false;
	book->val_set |= BIT(id);
	book->val_old[id] = old;
	book->val_old_ipv4[id] = old_ipv4;
	return true;
}
