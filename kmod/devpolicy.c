// SPDX-License-Identifier: GPL-2.0
/*
 * Interface policies: the table, the netdevice notifier, apply and restore.
 *
 * Features are changed the way `ethtool -K` changes them: the policy's
 * bits in dev->wanted_features, then netdev_update_features(), all under
 * RTNL; sizes and NAPI settings the way `ip link set` and sysfs write them
 * (compat/netdev.h). Requests are validated as strictly as rtnetlink,
 * sysfs and ethtool validate the same settings (compat/netdev.h lists the
 * rules), and refused whole, naming the attribute, before anything
 * changes. For every interface it changes, a policy records what it
 * overrode and the earlier values (struct offloadmod_devbook), so that
 * deleting it, renaming the interface away from the pattern, moving the
 * interface to another namespace or unloading the module puts back those,
 * and nothing the policy did not touch: a value only while the device
 * still has the one the policy wrote (someone else's since is theirs), and
 * never above what the device takes by then (a bridge's tso_max_size drops
 * when a port with a lower one joins).
 *
 * Locking: RTNL, then offloadmod_devpolicy_mutex, then - around each
 * change to one device - the device's instance lock where the kernel has
 * one and the device uses it (compat/netdev.h: 6.15+ serialise the ops of
 * some devices with it, as ethtool and rtnetlink do around the same
 * changes). The netlink writers and the work item take them in that order;
 * readers (get, dump) and the pernet exit take only the mutex. The mutex
 * is held across netdev_update_features(), which calls the netdevice
 * notifiers again: the notifier takes the mutex only for the events it
 * handles, none of which a feature update raises, and never while the
 * core holds a device's instance lock (NETDEV_REGISTER, and NETDEV_CHANGENAME
 * of a device that uses it): those it leaves to the work item, through a
 * list under a spinlock of its own.
 *
 * An interface that appears is not changed from inside its NETDEV_REGISTER
 * notification but from a work item, once the creator has released RTNL:
 * drivers keep setting their device up after register_netdevice() returns
 * (veth_newlink() clears GRO afterwards, which would silently undo a "gro
 * on" applied from the notifier). Renames are applied at once, but for a
 * device whose instance lock the core holds during the rename.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat/netdev.h"
#include "devpolicy.h"

/*
 * Per network namespace: its policies, oldest first, and how many there
 * are (written under RTNL and the mutex, read by the notifier under RTNL).
 */
struct offloadmod_devpolicy_net {
	struct list_head policies;
	unsigned int n_policies;
};

/*
 * An interface that registered (or, using an instance lock, was renamed)
 * in a namespace that has policies, waiting for the work item. @net holds
 * no reference: the namespace's pernet exit drops its entries first.
 */
struct offloadmod_dev_pending {
	struct list_head node;
	struct net *net;
	int ifindex;
};

static unsigned int offloadmod_devpolicy_net_id __read_mostly;

static DEFINE_MUTEX(offloadmod_devpolicy_mutex);
/*
 * Interfaces for the work item: added by the notifier without the mutex,
 * taken by the work item and dropped by UNREGISTER and the pernet exit,
 * with the mutex. Innermost lock. A notification whose entry could not be
 * allocated asks the work item to look at every interface (rescan).
 */
static DEFINE_SPINLOCK(offloadmod_dev_pending_lock);
static LIST_HEAD(offloadmod_dev_pending_list);
static bool offloadmod_dev_rescan;
/* Everything below is protected by offloadmod_devpolicy_mutex. */
static LIST_HEAD(offloadmod_devpolicies);	/* every policy, by id */
static u64 offloadmod_devpolicy_last_id;
/* Changes with every visible change of the table; dumps check it. */
static unsigned int offloadmod_devpolicy_gen = 1;
/*
 * Unloading: everything was restored, apply nothing any more. Written
 * under RTNL and the mutex; the notifier reads it under RTNL.
 */
static bool offloadmod_devpolicy_exiting;

static void offloadmod_devpolicy_work_fn(struct work_struct *work);
static DECLARE_WORK(offloadmod_devpolicy_work, offloadmod_devpolicy_work_fn);

void offloadmod_devpolicy_lock(void)
{
	rtnl_lock();
	mutex_lock(&offloadmod_devpolicy_mutex);
}

void offloadmod_devpolicy_unlock(void)
{
	mutex_unlock(&offloadmod_devpolicy_mutex);
	rtnl_unlock();
}

void offloadmod_devpolicy_read_lock(void)
{
	mutex_lock(&offloadmod_devpolicy_mutex);
}

void offloadmod_devpolicy_read_unlock(void)
{
	mutex_unlock(&offloadmod_devpolicy_mutex);
}

static struct offloadmod_devpolicy_net *offloadmod_devpolicy_pn(struct net *net)
{
	return net_generic(net, offloadmod_devpolicy_net_id);
}

static void offloadmod_devpolicy_changed(void)
{
	offloadmod_devpolicy_gen++;
	/* 0 would tell genl_dump_check_consistent() nothing. */
	if (!offloadmod_devpolicy_gen)
		offloadmod_devpolicy_gen++;
}

unsigned int offloadmod_devpolicy_generation(void)
{
	lockdep_assert_held(&offloadmod_devpolicy_mutex);
	return offloadmod_devpolicy_gen;
}

struct offloadmod_devpolicy *offloadmod_devpolicy_find(struct net *net,
						       const char *pattern)
{
	struct offloadmod_devpolicy *p;

	lockdep_assert_held(&offloadmod_devpolicy_mutex);
	list_for_each_entry(p, &offloadmod_devpolicy_pn(net)->policies,
			    net_node)
		if (!strcmp(p->pattern, pattern))
			return p;
	return NULL;
}

/* The policy after @after_id in creation order, in any namespace. */
struct offloadmod_devpolicy *offloadmod_devpolicy_next(u64 after_id)
{
	struct offloadmod_devpolicy *p;

	lockdep_assert_held(&offloadmod_devpolicy_mutex);
	list_for_each_entry(p, &offloadmod_devpolicies, all_node)
		if (p->id > after_id)
			return p;
	return NULL;
}

struct offloadmod_devpolicy *offloadmod_devpolicy_alloc(void)
{
	struct offloadmod_devpolicy *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p)
		INIT_LIST_HEAD(&p->ifaces);
	return p;
}

/* The policy that should manage an interface called @name: the oldest match. */
static struct offloadmod_devpolicy *
offloadmod_dev_first_match(struct offloadmod_devpolicy_net *pn,
			   const char *name)
{
	struct offloadmod_devpolicy *p;

	list_for_each_entry(p, &pn->policies, net_node)
		if (offloadmod_devpolicy_match(p->pattern, name))
			return p;
	return NULL;
}

static struct offloadmod_dev_applied *
offloadmod_dev_find_applied(const struct offloadmod_devpolicy *p, int ifindex)
{
	struct offloadmod_dev_applied *a;

	list_for_each_entry(a, &p->ifaces, node)
		if (a->ifindex == ifindex)
			return a;
	return NULL;
}

/* The policy that manages @ifindex now, and its record in *@ap. */
static struct offloadmod_devpolicy *
offloadmod_dev_owner(struct offloadmod_devpolicy_net *pn, int ifindex,
		     struct offloadmod_dev_applied **ap)
{
	struct offloadmod_devpolicy *p;

	list_for_each_entry(p, &pn->policies, net_node) {
		*ap = offloadmod_dev_find_applied(p, ifindex);
		if (*ap)
			return p;
	}
	*ap = NULL;
	return NULL;
}

/*
 * Bounds of the values. The kernel-wide ones are what the core accepts at
 * all (maximum 0: this kernel has no such setting); the device's is what
 * rtnetlink accepts for that device (gso_max_size up to tso_max_size).
 * All from compat/netdev.h, which says where each rule comes from.
 */
static u64 offloadmod_devval_kernel_max(enum offloadmod_devval_id id)
{
	switch (id) {
	case OFFLOADMOD_DEVVAL_GSO_MAX_SIZE:
		return GSO_MAX_SIZE;
	case OFFLOADMOD_DEVVAL_GRO_MAX_SIZE:
		return OFFLOADMOD_NETDEV_GRO_MAX_SIZE;
	case OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT:
		return OFFLOADMOD_HAVE_NETDEV_NAPI_KNOBS ? U32_MAX : 0;
	case OFFLOADMOD_DEVVAL_NAPI_DEFER_HARD_IRQS:
		return OFFLOADMOD_HAVE_NETDEV_NAPI_KNOBS ?
		       OFFLOADMOD_NETDEV_NAPI_DEFER_MAX : 0;
	default:
		return 0;
	}
}

static u64 offloadmod_devval_kernel_min(enum offloadmod_devval_id id)
{
	return id == OFFLOADMOD_DEVVAL_GSO_MAX_SIZE ?
	       OFFLOADMOD_NETDEV_GSO_MIN_SIZE : 0;
}

/**
 * offloadmod_devpolicy_unsupported() - interface settings this kernel lacks
 * @names: filled with their get-status names ("dev.gro-max-size")
 * @max: room in @names
 *
 * A set request carrying one of them is refused with EOPNOTSUPP.
 *
 * Return: how many were filled.
 */
unsigned int offloadmod_devpolicy_unsupported(const char **names,
					      unsigned int max)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT && n < max; i++)
		if (!offloadmod_devval_kernel_max(i))
			names[n++] = offloadmod_devvals[i].feature;
	return n;
}

static u64 offloadmod_devval_dev_max(const struct net_device *dev,
				     enum offloadmod_devval_id id)
{
	if (id == OFFLOADMOD_DEVVAL_GSO_MAX_SIZE)
		return offloadmod_netdev_tso_max_size(dev);
	return U64_MAX;
}

/* The largest value @dev takes now. */
static u64 offloadmod_devval_max(const struct net_device *dev,
				 enum offloadmod_devval_id id)
{
	return min(offloadmod_devval_kernel_max(id),
		   offloadmod_devval_dev_max(dev, id));
}

/* Can @dev take @val for @id now? */
static bool offloadmod_devval_ok(const struct net_device *dev,
				 enum offloadmod_devval_id id, u64 val)
{
	return val >= offloadmod_devval_kernel_min(id) &&
	       val <= offloadmod_devval_max(dev, id);
}

static void offloadmod_devval_read(const struct net_device *dev,
				   enum offloadmod_devval_id id,
				   u64 *val, u32 *ipv4)
{
	*ipv4 = 0;
	switch (id) {
	case OFFLOADMOD_DEVVAL_GSO_MAX_SIZE:
		*val = READ_ONCE(dev->gso_max_size);
		*ipv4 = offloadmod_netdev_gso_ipv4_max_size(dev);
		break;
	case OFFLOADMOD_DEVVAL_GRO_MAX_SIZE:
		*val = offloadmod_netdev_gro_max_size(dev);
		*ipv4 = offloadmod_netdev_gro_ipv4_max_size(dev);
		break;
	case OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT:
		*val = offloadmod_netdev_gro_flush_timeout(dev);
		break;
	case OFFLOADMOD_DEVVAL_NAPI_DEFER_HARD_IRQS:
		*val = offloadmod_netdev_napi_defer_hard_irqs(dev);
		break;
	default:
		*val = 0;
	}
}

static void offloadmod_devval_write(struct net_device *dev,
				    enum offloadmod_devval_id id, u64 val)
{
	switch (id) {
	case OFFLOADMOD_DEVVAL_GSO_MAX_SIZE:
		offloadmod_netdev_set_gso_max_size(dev, val);
		break;
	case OFFLOADMOD_DEVVAL_GRO_MAX_SIZE:
		offloadmod_netdev_set_gro_max_size(dev, val);
		break;
	case OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT:
		offloadmod_netdev_set_gro_flush_timeout(dev, val);
		break;
	case OFFLOADMOD_DEVVAL_NAPI_DEFER_HARD_IRQS:
		offloadmod_netdev_set_napi_defer_hard_irqs(dev, val);
		break;
	default:
		break;
	}
}

/*
 * Write @val and then the IPv4 limit that goes with it: the size setters
 * lower that along with the size, and it is restored on its own.
 */
static void offloadmod_devval_restore(struct net_device *dev,
				      enum offloadmod_devval_id id,
				      u64 val, u32 ipv4)
{
	offloadmod_devval_write(dev, id, val);
	if (id == OFFLOADMOD_DEVVAL_GSO_MAX_SIZE)
		offloadmod_netdev_set_gso_ipv4_max_size(dev, ipv4);
	else if (id == OFFLOADMOD_DEVVAL_GRO_MAX_SIZE)
		offloadmod_netdev_set_gro_ipv4_max_size(dev, ipv4);
}

/*
 * Apply @s to @dev, recording in @book what it overrides and what it
 * writes (struct offloadmod_devbook). What the device cannot take is
 * skipped (the set request checked the interfaces present then; this is
 * for those that came later).
 * Caller holds RTNL and the mutex, not the device's instance lock.
 * Return: the number of settings not applied.
 */
static unsigned int offloadmod_dev_apply(struct net_device *dev,
					 struct offloadmod_devbook *book,
					 const struct offloadmod_devsettings *s)
{
	netdev_features_t change[OFFLOADMOD_DEVFEAT_COUNT] = {};
	netdev_features_t wanted;
	unsigned int skipped = 0;
	int i;

	ASSERT_RTNL();
	offloadmod_netdev_lock_ops(dev);
	wanted = dev->wanted_features;
	for (i = 0; i < OFFLOADMOD_DEVFEAT_COUNT; i++) {
		bool on = s->feat_on & BIT(i);

		if (!(s->feat_set & BIT(i)))
			continue;
		if (offloadmod_devfeat_plan(offloadmod_devfeats[i].mask, on,
					    dev->hw_features, dev->features,
					    &change[i])) {
			skipped++;
			continue;
		}
		offloadmod_devbook_record_feat(book, change[i], wanted);
		wanted = offloadmod_devfeat_wanted(wanted, change[i], on);
	}
	if (wanted != dev->wanted_features) {
		dev->wanted_features = wanted;
		netdev_update_features(dev);
	}
	/* A dependency or the driver may have kept a feature from changing. */
	for (i = 0; i < OFFLOADMOD_DEVFEAT_COUNT; i++) {
		if (!change[i])
			continue;
		offloadmod_devbook_wrote_feat(book, change[i], wanted);
		if (!offloadmod_devfeat_took(change[i], s->feat_on & BIT(i),
					     dev->features))
			skipped++;
	}

	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++) {
		u64 cur;
		u32 cur_ipv4;

		if (!(s->val_set & BIT(i)))
			continue;
		if (!offloadmod_devval_ok(dev, i, s->val[i])) {
			skipped++;
			continue;
		}
		offloadmod_devval_read(dev, i, &cur, &cur_ipv4);
		offloadmod_devbook_record_val(book, i, cur, cur_ipv4);
		offloadmod_devval_write(dev, i, s->val[i]);
		/* What is on the device now is what a restore compares with. */
		offloadmod_devval_read(dev, i, &cur, &cur_ipv4);
		offloadmod_devbook_wrote_val(book, i, cur, cur_ipv4);
	}
	offloadmod_netdev_unlock_ops(dev);
	return skipped;
}

/* Locking as offloadmod_dev_apply(). */
static void offloadmod_dev_restore(struct net_device *dev,
				   const struct offloadmod_devbook *book)
{
	netdev_features_t wanted;
	int i;

	ASSERT_RTNL();
	offloadmod_netdev_lock_ops(dev);
	wanted = offloadmod_devbook_restore_wanted(book, dev->wanted_features,
						   dev->hw_features);
	if (wanted != dev->wanted_features) {
		dev->wanted_features = wanted;
		netdev_update_features(dev);
	}
	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++) {
		u64 cur, val;
		u32 cur_ipv4, ipv4;

		if (!(book->val_set & BIT(i)))
			continue;
		offloadmod_devval_read(dev, i, &cur, &cur_ipv4);
		if (offloadmod_devbook_restore_val(book, i, cur, cur_ipv4,
						   offloadmod_devval_max(dev, i),
						   &val, &ipv4))
			offloadmod_devval_restore(dev, i, val, ipv4);
	}
	offloadmod_netdev_unlock_ops(dev);
}

/* @p starts managing @dev. */
static void offloadmod_dev_take(struct offloadmod_devpolicy *p,
				struct net_device *dev)
{
	struct offloadmod_dev_applied *a = kzalloc(sizeof(*a), GFP_KERNEL);

	/* Without a record nothing could be restored: change nothing. */
	if (!a) {
		p->errors++;
		return;
	}
	a->ifindex = dev->ifindex;
	strscpy(a->name, dev->name, sizeof(a->name));
	list_add_tail(&a->node, &p->ifaces);
	p->n_ifaces++;
	p->errors += offloadmod_dev_apply(dev, &a->book, &p->set);
	p->ifaces_adjusted++;
	offloadmod_devpolicy_changed();
}

/* @p stops managing @a's interface; @dev is NULL when it is gone. */
static void offloadmod_dev_release(struct offloadmod_devpolicy *p,
				   struct offloadmod_dev_applied *a,
				   struct net_device *dev)
{
	if (dev)
		offloadmod_dev_restore(dev, &a->book);
	list_del(&a->node);
	p->n_ifaces--;
	kfree(a);
	offloadmod_devpolicy_changed();
}

/*
 * Make the right policy manage @dev: the oldest one matching its name now.
 * Called when it appeared, was renamed, or lost its policy.
 */
static void offloadmod_dev_reevaluate(struct offloadmod_devpolicy_net *pn,
				      struct net_device *dev)
{
	struct offloadmod_devpolicy *owner, *want;
	struct offloadmod_dev_applied *a;

	ASSERT_RTNL();
	lockdep_assert_held(&offloadmod_devpolicy_mutex);
	owner = offloadmod_dev_owner(pn, dev->ifindex, &a);
	want = offloadmod_dev_first_match(pn, dev->name);
	if (owner == want) {
		if (a && strcmp(a->name, dev->name)) {
			strscpy(a->name, dev->name, sizeof(a->name));
			offloadmod_devpolicy_changed();
		}
		return;
	}
	if (owner)
		offloadmod_dev_release(owner, a, dev);
	if (want)
		offloadmod_dev_take(want, dev);
}

/* Can @dev take what @req sets? Fills @why when not. */
static int offloadmod_dev_check(const struct net_device *dev,
				const struct offloadmod_devsettings *req,
				struct offloadmod_devpolicy_refusal *why)
{
	netdev_features_t change;
	int i;

	for (i = 0; i < OFFLOADMOD_DEVFEAT_COUNT; i++) {
		if (!(req->feat_set & BIT(i)))
			continue;
		if (offloadmod_devfeat_plan(offloadmod_devfeats[i].mask,
					    req->feat_on & BIT(i),
					    dev->hw_features, dev->features,
					    &change)) {
			why->attr = offloadmod_devfeats[i].attr;
			strscpy(why->ifname, dev->name, sizeof(why->ifname));
			return -EOPNOTSUPP;
		}
	}
	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++) {
		u64 max = offloadmod_devval_dev_max(dev, i);

		if (!(req->val_set & BIT(i)) || req->val[i] <= max)
			continue;
		why->attr = offloadmod_devvals[i].attr;
		strscpy(why->ifname, dev->name, sizeof(why->ifname));
		why->limit = max;
		return -ERANGE;
	}
	return 0;
}

static int offloadmod_devsettings_check_kernel(const struct offloadmod_devsettings *req,
					       struct offloadmod_devpolicy_refusal *why)
{
	int i;

	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++) {
		u64 max = offloadmod_devval_kernel_max(i);
		u64 min = offloadmod_devval_kernel_min(i);

		if (!(req->val_set & BIT(i)))
			continue;
		why->attr = offloadmod_devvals[i].attr;
		why->ifname[0] = '\0';
		why->limit = max;
		if (!max)
			return -EOPNOTSUPP;
		if (req->val[i] > max)
			return -ERANGE;
		if (req->val[i] < min) {
			why->limit = min;
			why->below = true;
			return -ERANGE;
		}
	}
	return 0;
}

/*
 * Would @p (NULL: a new policy with @pattern, which would be the newest)
 * manage an interface called @name?
 */
static bool offloadmod_dev_would_manage(struct offloadmod_devpolicy_net *pn,
					struct offloadmod_devpolicy *p,
					const char *pattern, const char *name)
{
	struct offloadmod_devpolicy *first = offloadmod_dev_first_match(pn, name);

	if (p)
		return first == p;
	return !first && offloadmod_devpolicy_match(pattern, name);
}

/**
 * offloadmod_devpolicy_set() - create or update a policy and apply it
 * @net: its network namespace
 * @pattern: its pattern (non-empty)
 * @req: the settings requested; they override the policy's earlier ones
 * @newp: a policy from offloadmod_devpolicy_alloc(), taken (and set to
 *	NULL) if a new policy is created
 * @out: set to the policy
 * @why: filled when the request is refused
 *
 * Every interface the policy would manage now must be able to take what
 * @req sets, or nothing changes. Caller holds offloadmod_devpolicy_lock().
 *
 * Return: 0, -EOPNOTSUPP or -ERANGE (see @why).
 */
int offloadmod_devpolicy_set(struct net *net, const char *pattern,
			     const struct offloadmod_devsettings *req,
			     struct offloadmod_devpolicy **newp,
			     struct offloadmod_devpolicy **out,
			     struct offloadmod_devpolicy_refusal *why)
{
	struct offloadmod_devpolicy_net *pn = offloadmod_devpolicy_pn(net);
	struct offloadmod_devpolicy *p;
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&offloadmod_devpolicy_mutex);
	err = offloadmod_devsettings_check_kernel(req, why);
	if (err)
		return err;
	p = offloadmod_devpolicy_find(net, pattern);
	for_each_netdev(net, dev) {
		if (!offloadmod_dev_would_manage(pn, p, pattern, dev->name))
			continue;
		err = offloadmod_dev_check(dev, req, why);
		if (err)
			return err;
	}

	if (!p) {
		p = *newp;
		*newp = NULL;
		p->net = net;
		p->id = ++offloadmod_devpolicy_last_id;
		strscpy(p->pattern, pattern, sizeof(p->pattern));
		list_add_tail(&p->net_node, &pn->policies);
		WRITE_ONCE(pn->n_policies, pn->n_policies + 1);
		list_add_tail(&p->all_node, &offloadmod_devpolicies);
	}
	offloadmod_devsettings_merge(&p->set, req);
	offloadmod_devpolicy_changed();

	for_each_netdev(net, dev) {
		struct offloadmod_dev_applied *a;

		if (offloadmod_dev_first_match(pn, dev->name) != p)
			continue;
		a = offloadmod_dev_find_applied(p, dev->ifindex);
		if (a) {
			p->errors += offloadmod_dev_apply(dev, &a->book, &p->set);
			p->ifaces_adjusted++;
		} else {
			offloadmod_dev_reevaluate(pn, dev);
		}
	}
	*out = p;
	return 0;
}

/* Free @p and its records, restoring nothing (its interfaces are gone). */
static void offloadmod_devpolicy_free(struct offloadmod_devpolicy *p)
{
	struct offloadmod_devpolicy_net *pn = offloadmod_devpolicy_pn(p->net);
	struct offloadmod_dev_applied *a, *tmp;

	list_for_each_entry_safe(a, tmp, &p->ifaces, node) {
		list_del(&a->node);
		kfree(a);
	}
	list_del(&p->net_node);
	WRITE_ONCE(pn->n_policies, pn->n_policies - 1);
	list_del(&p->all_node);
	kfree(p);
	offloadmod_devpolicy_changed();
}

/**
 * offloadmod_devpolicy_del() - delete a policy, restoring what it changed
 * @p: the policy, freed on return
 *
 * Its interfaces then go to the next policy that matches them, if any.
 * Caller holds offloadmod_devpolicy_lock().
 */
void offloadmod_devpolicy_del(struct offloadmod_devpolicy *p)
{
	struct offloadmod_devpolicy_net *pn = offloadmod_devpolicy_pn(p->net);
	struct offloadmod_dev_applied *a, *tmp;
	struct net_device *dev;

	ASSERT_RTNL();
	lockdep_assert_held(&offloadmod_devpolicy_mutex);
	/* Out of the namespace's list first, so it is nobody's match. */
	list_del_init(&p->net_node);
	list_for_each_entry_safe(a, tmp, &p->ifaces, node) {
		dev = __dev_get_by_index(p->net, a->ifindex);
		offloadmod_dev_release(p, a, dev);
		if (dev)
			offloadmod_dev_reevaluate(pn, dev);
	}
	offloadmod_devpolicy_free(p);
}

/* Drop the work item's entries of @net (all of them if @ifindex is 0). */
static void offloadmod_dev_drop_pending(struct net *net, int ifindex)
{
	struct offloadmod_dev_pending *pend, *tmp;
	LIST_HEAD(drop);

	spin_lock(&offloadmod_dev_pending_lock);
	list_for_each_entry_safe(pend, tmp, &offloadmod_dev_pending_list, node)
		if (pend->net == net && (!ifindex || pend->ifindex == ifindex))
			list_move(&pend->node, &drop);
	spin_unlock(&offloadmod_dev_pending_lock);
	list_for_each_entry_safe(pend, tmp, &drop, node)
		kfree(pend);
}

/*
 * Hand @dev to the work item if a policy of its namespace could want it.
 * Under RTNL, without the mutex: the core may hold the device's instance
 * lock (NETDEV_REGISTER, NETDEV_CHANGENAME), which nests inside the mutex.
 * The policy count and the exiting flag change only under RTNL too.
 */
static void offloadmod_dev_defer(struct net_device *dev)
{
	struct offloadmod_devpolicy_net *pn = offloadmod_devpolicy_pn(dev_net(dev));
	struct offloadmod_dev_pending *pend;

	ASSERT_RTNL();
	if (READ_ONCE(offloadmod_devpolicy_exiting) ||
	    !READ_ONCE(pn->n_policies))
		return;
	pend = kmalloc(sizeof(*pend), GFP_KERNEL);
	spin_lock(&offloadmod_dev_pending_lock);
	if (pend) {
		pend->net = dev_net(dev);
		pend->ifindex = dev->ifindex;
		list_add_tail(&pend->node, &offloadmod_dev_pending_list);
	} else {
		offloadmod_dev_rescan = true;
	}
	spin_unlock(&offloadmod_dev_pending_lock);
	schedule_work(&offloadmod_devpolicy_work);
}

static void offloadmod_dev_renamed(struct net_device *dev)
{
	/* Its instance lock is held: it must wait for the work item. */
	if (offloadmod_netdev_ops_locked(dev)) {
		offloadmod_dev_defer(dev);
		return;
	}
	mutex_lock(&offloadmod_devpolicy_mutex);
	if (!offloadmod_devpolicy_exiting)
		offloadmod_dev_reevaluate(offloadmod_devpolicy_pn(dev_net(dev)),
					  dev);
	mutex_unlock(&offloadmod_devpolicy_mutex);
}

/* The core does not hold the instance lock here (compat/netdev.h). */
static void offloadmod_dev_unregistered(struct net_device *dev)
{
	struct offloadmod_devpolicy_net *pn = offloadmod_devpolicy_pn(dev_net(dev));
	struct offloadmod_dev_applied *a;
	struct offloadmod_devpolicy *p;

	/*
	 * Unloading: every record is gone already. Returning here also keeps
	 * the mutex out of unregister_netdevice_notifier()'s replay, which
	 * may run under the device's instance lock.
	 */
	if (READ_ONCE(offloadmod_devpolicy_exiting))
		return;
	mutex_lock(&offloadmod_devpolicy_mutex);
	offloadmod_dev_drop_pending(dev_net(dev), dev->ifindex);
	p = offloadmod_dev_owner(pn, dev->ifindex, &a);
	/*
	 * Still registered: it is moving to another namespace, where this
	 * namespace's policy does not apply; put back what it changed. Else
	 * it is being destroyed and there is nothing to put back.
	 */
	if (p)
		offloadmod_dev_release(p, a, dev->reg_state == NETREG_REGISTERED ?
					     dev : NULL);
	mutex_unlock(&offloadmod_devpolicy_mutex);
}

static int offloadmod_devpolicy_netdev_event(struct notifier_block *nb,
					     unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	/*
	 * Only these take the mutex: other events, NETDEV_FEAT_CHANGE above
	 * all, also come from netdev_update_features() called with it held.
	 */
	switch (event) {
	case NETDEV_REGISTER:
		offloadmod_dev_defer(dev);
		break;
	case NETDEV_CHANGENAME:
		offloadmod_dev_renamed(dev);
		break;
	case NETDEV_UNREGISTER:
		offloadmod_dev_unregistered(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block offloadmod_devpolicy_notifier = {
	.notifier_call = offloadmod_devpolicy_netdev_event,
};

static void offloadmod_devpolicy_work_fn(struct work_struct *work)
{
	struct offloadmod_dev_pending *pend, *tmp;
	struct offloadmod_devpolicy *p;
	struct net_device *dev;
	LIST_HEAD(todo);
	bool rescan;

	offloadmod_devpolicy_lock();
	spin_lock(&offloadmod_dev_pending_lock);
	list_splice_init(&offloadmod_dev_pending_list, &todo);
	rescan = offloadmod_dev_rescan;
	offloadmod_dev_rescan = false;
	spin_unlock(&offloadmod_dev_pending_lock);
	list_for_each_entry_safe(pend, tmp, &todo, node) {
		/* Gone or moved away since: its UNREGISTER dropped the entry. */
		dev = offloadmod_devpolicy_exiting ? NULL :
			__dev_get_by_index(pend->net, pend->ifindex);
		if (dev)
			offloadmod_dev_reevaluate(offloadmod_devpolicy_pn(pend->net),
						  dev);
		list_del(&pend->node);
		kfree(pend);
	}
	/* An entry could not be allocated: look at every interface. */
	if (rescan && !offloadmod_devpolicy_exiting)
		list_for_each_entry(p, &offloadmod_devpolicies, all_node)
			for_each_netdev(p->net, dev)
				offloadmod_dev_reevaluate(offloadmod_devpolicy_pn(p->net),
							  dev);
	offloadmod_devpolicy_unlock();
}

static int __net_init offloadmod_devpolicy_net_init(struct net *net)
{
	INIT_LIST_HEAD(&offloadmod_devpolicy_pn(net)->policies);
	return 0;
}

/*
 * The namespace is going: its policies go with it. Its devices were
 * unregistered (or moved back to the initial namespace, restored by the
 * notifier) before this runs, so there is nothing left to restore.
 * Monitors are not told: during unload the family may already be gone.
 */
static void __net_exit offloadmod_devpolicy_net_exit(struct net *net)
{
	struct offloadmod_devpolicy_net *pn = offloadmod_devpolicy_pn(net);
	struct offloadmod_devpolicy *p, *tmp;

	mutex_lock(&offloadmod_devpolicy_mutex);
	offloadmod_dev_drop_pending(net, 0);
	list_for_each_entry_safe(p, tmp, &pn->policies, net_node)
		offloadmod_devpolicy_free(p);
	mutex_unlock(&offloadmod_devpolicy_mutex);
}

static struct pernet_operations offloadmod_devpolicy_net_ops = {
	.init = offloadmod_devpolicy_net_init,
	.exit = offloadmod_devpolicy_net_exit,
	.id = &offloadmod_devpolicy_net_id,
	.size = sizeof(struct offloadmod_devpolicy_net),
};

int offloadmod_devpolicy_init(void)
{
	int err;

	err = register_pernet_subsys(&offloadmod_devpolicy_net_ops);
	if (err)
		return err;
	/* Replays NETDEV_REGISTER for every interface: no policy yet, no-op. */
	err = register_netdevice_notifier(&offloadmod_devpolicy_notifier);
	if (err)
		unregister_pernet_subsys(&offloadmod_devpolicy_net_ops);
	return err;
}

/*
 * Restore every interface in every namespace, then stop listening. The
 * netlink family is gone already (main.c), so nothing else changes the
 * table meanwhile; the exiting flag keeps the notifier and the work item
 * from applying anything after the restore.
 */
void offloadmod_devpolicy_exit(void)
{
	struct offloadmod_dev_applied *a, *tmp;
	struct offloadmod_dev_pending *pend, *ptmp;
	struct offloadmod_devpolicy *p;
	LIST_HEAD(pending);

	offloadmod_devpolicy_lock();
	WRITE_ONCE(offloadmod_devpolicy_exiting, true);
	list_for_each_entry(p, &offloadmod_devpolicies, all_node)
		list_for_each_entry_safe(a, tmp, &p->ifaces, node)
			offloadmod_dev_release(p, a,
					       __dev_get_by_index(p->net,
								  a->ifindex));
	spin_lock(&offloadmod_dev_pending_lock);
	list_splice_init(&offloadmod_dev_pending_list, &pending);
	spin_unlock(&offloadmod_dev_pending_lock);
	offloadmod_devpolicy_unlock();
	list_for_each_entry_safe(pend, ptmp, &pending, node)
		kfree(pend);

	cancel_work_sync(&offloadmod_devpolicy_work);
	/* Replays NETDEV_UNREGISTER: nothing is left to restore. */
	unregister_netdevice_notifier(&offloadmod_devpolicy_notifier);
	/* Frees the policies of every namespace. */
	unregister_pernet_subsys(&offloadmod_devpolicy_net_ops);
}
