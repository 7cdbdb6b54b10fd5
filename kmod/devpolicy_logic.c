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
 * A bit's value from before the policy first changed it is kept while the
 * policy is updated (from "gro off" to "gro on", a restore still puts back
 * what was there before the policy), unless someone else changed the bit
 * after the policy last wrote it (ethtool -K): what they set is then what
 * the policy overrides now, and what a restore puts back.
 */
void offloadmod_devbook_record_feat(struct offloadmod_devbook *book,
				    netdev_features_t change,
				    netdev_features_t wanted)
{
	netdev_features_t fresh = change & ~book->feat_mask;
	netdev_features_t theirs = change & book->feat_mask &
				   (wanted ^ book->feat_ours);
	netdev_features_t rec = fresh | theirs;

	book->feat_old = (book->feat_old & ~rec) | (wanted & rec);
	book->feat_mask |= fresh;
}

/**
 * offloadmod_devbook_wrote_feat() - remember what the policy wrote
 * @book: the interface's bookkeeping
 * @change: the bits the policy just set or cleared
 * @wanted: wanted_features after the change
 */
void offloadmod_devbook_wrote_feat(struct offloadmod_devbook *book,
				   netdev_features_t change,
				   netdev_features_t wanted)
{
	book->feat_ours = (book->feat_ours & ~change) | (wanted & change);
}

/**
 * offloadmod_devbook_restore_wanted() - wanted_features after a restore
 * @book: the interface's bookkeeping
 * @wanted: dev->wanted_features now
 * @hw: dev->hw_features now
 *
 * The recorded bits go back, the others stay as they are. A bit goes back
 * only while it still has the value the policy wrote: one changed since
 * (ethtool -K) is someone else's and stays. Only bits the device can still
 * change (@hw) are put back, as ethtool writes only those.
 *
 * Return: the wanted_features to set.
 */
netdev_features_t
offloadmod_devbook_restore_wanted(const struct offloadmod_devbook *book,
				  netdev_features_t wanted,
				  netdev_features_t hw)
{
	netdev_features_t mask = book->feat_mask & hw &
				 ~(wanted ^ book->feat_ours);

	return (wanted & ~mask) | (book->feat_old & mask);
}

/**
 * offloadmod_devbook_record_val() - remember a value the policy overrides
 * @book: the interface's bookkeeping
 * @id: the setting
 * @cur: its value on the device now, before the policy writes it
 * @cur_ipv4: the IPv4 limit that goes with it now (0 if none)
 *
 * The value from before the policy's first write is kept while the policy
 * is updated, unless someone else changed the setting after the policy
 * last wrote it: what they set is then what the policy overrides now, and
 * what deleting it puts back. Each of the two values is judged on its own
 * (an administrator may set gso_ipv4_max_size alone).
 *
 * Return: true if @cur was recorded as the value to put back.
 */
bool offloadmod_devbook_record_val(struct offloadmod_devbook *book,
				   enum offloadmod_devval_id id, u64 cur,
				   u32 cur_ipv4)
{
	bool fresh = !(book->val_set & BIT(id));
	bool rec = fresh || cur != book->val_ours[id];

	if (rec)
		book->val_old[id] = cur;
	if (fresh || cur_ipv4 != book->val_ours_ipv4[id])
		book->val_old_ipv4[id] = cur_ipv4;
	book->val_set |= BIT(id);
	return rec;
}

/* What the device has right after the policy wrote @id (read back). */
void offloadmod_devbook_wrote_val(struct offloadmod_devbook *book,
				  enum offloadmod_devval_id id, u64 val,
				  u32 ipv4)
{
	book->val_ours[id] = val;
	book->val_ours_ipv4[id] = ipv4;
}

/**
 * offloadmod_devbook_restore_val() - what a restore writes for one setting
 * @book: the interface's bookkeeping
 * @id: the setting
 * @cur: its value on the device now
 * @cur_ipv4: the IPv4 limit that goes with it now
 * @max: the largest value the device takes now (tso_max_size for
 *	gso_max_size: it may have dropped since, below the recorded value)
 * @val: set to the value to write
 * @ipv4: set to the IPv4 limit to write
 *
 * Each value goes back only if the device still has what the policy left
 * there; then it goes back clamped to @max. Otherwise it stays as it is.
 *
 * Return: whether anything changes (*@val != @cur or *@ipv4 != @cur_ipv4).
 */
bool offloadmod_devbook_restore_val(const struct offloadmod_devbook *book,
				    enum offloadmod_devval_id id, u64 cur,
				    u32 cur_ipv4, u64 max, u64 *val,
				    u32 *ipv4)
{
	*val = cur;
	*ipv4 = cur_ipv4;
	if (!(book->val_set & BIT(id)))
		return false;
	if (cur == book->val_ours[id])
		*val = min(book->val_old[id], max);
	if (cur_ipv4 == book->val_ours_ipv4[id])
		*ipv4 = min_t(u64, book->val_old_ipv4[id], max);
	return *val != cur || *ipv4 != cur_ipv4;
}
