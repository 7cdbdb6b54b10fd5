/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interface policies: offload settings applied, the way `ethtool -K` and
 * `ip link set` apply them, to every interface of a network namespace whose
 * name matches a glob, now and whenever a matching interface appears or is
 * renamed. Deleting a policy (or unloading the module) restores what it
 * changed.
 *
 * A policy is keyed by (network namespace, pattern). An interface is
 * managed by at most one policy: the oldest policy of its namespace whose
 * pattern matches its name. Two overlapping policies therefore never fight
 * over a setting, and deleting the older one hands its interfaces to the
 * next policy that matches them.
 *
 * Files: devpolicy_logic.c (pure: settings, feature masks, name matching,
 * restore bookkeeping), devpolicy.c (the table, the netdevice notifier,
 * apply and restore), devpolicy_nl.c (the DEV_* commands and messages).
 */
#ifndef _OFFLOADMOD_DEVPOLICY_H
#define _OFFLOADMOD_DEVPOLICY_H

#include <linux/if.h>
#include <linux/list.h>
#include <linux/netdev_features.h>
#include <linux/offloadmod.h>
#include <linux/types.h>
#include <net/genetlink.h>

int offloadmod_devpolicy_init(void);
void offloadmod_devpolicy_exit(void);
unsigned int offloadmod_devpolicy_unsupported(const char **names,
					      unsigned int max);

/* devpolicy_nl.c: the DEV_SET / DEV_GET / DEV_DEL commands. */
int offloadmod_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int offloadmod_nl_dev_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int offloadmod_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info);

/* ---- devpolicy_logic.c: pure logic ---- */

/* The offload features a policy can switch, as `ethtool -K` names them. */
enum offloadmod_devfeat_id {
	OFFLOADMOD_DEVFEAT_TSO,
	OFFLOADMOD_DEVFEAT_GSO,
	OFFLOADMOD_DEVFEAT_GRO,
	OFFLOADMOD_DEVFEAT_LRO,
	OFFLOADMOD_DEVFEAT_RX_GRO_HW,
	OFFLOADMOD_DEVFEAT_TX_CSUM,

	OFFLOADMOD_DEVFEAT_COUNT
};

/* The numeric settings, as `ip link` and sysfs name them. */
enum offloadmod_devval_id {
	OFFLOADMOD_DEVVAL_GSO_MAX_SIZE,
	OFFLOADMOD_DEVVAL_GRO_MAX_SIZE,
	OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT,
	OFFLOADMOD_DEVVAL_NAPI_DEFER_HARD_IRQS,

	OFFLOADMOD_DEVVAL_COUNT
};

/**
 * struct offloadmod_devfeat - one switchable feature
 * @attr: its OFFLOADMOD_A_DEV_* attribute
 * @name: the attribute's name (uapi/offloadmod.yaml), for messages
 * @mask: the net_device feature bits it stands for, as ethtool maps them
 */
struct offloadmod_devfeat {
	int attr;
	const char *name;
	netdev_features_t mask;
};

/**
 * struct offloadmod_devval - one numeric setting
 * @attr: its OFFLOADMOD_A_DEV_* attribute
 * @name: the attribute's name, for messages
 * @feature: its name in get-status "unsupported" ("dev.gro-max-size")
 */
struct offloadmod_devval {
	int attr;
	const char *name;
	const char *feature;
};

extern const struct offloadmod_devfeat
offloadmod_devfeats[OFFLOADMOD_DEVFEAT_COUNT];
extern const struct offloadmod_devval
offloadmod_devvals[OFFLOADMOD_DEVVAL_COUNT];

const struct offloadmod_devfeat *offloadmod_devfeat_by_name(const char *name);

/**
 * struct offloadmod_devsettings - what a policy sets
 * @feat_set: BIT(enum offloadmod_devfeat_id) of the features it sets
 * @feat_on: of those, BIT(id) of the ones it turns on
 * @val_set: BIT(enum offloadmod_devval_id) of the values it sets
 * @val: the values, by enum offloadmod_devval_id
 */
struct offloadmod_devsettings {
	u32 feat_set;
	u32 feat_on;
	u32 val_set;
	u32 val[OFFLOADMOD_DEVVAL_COUNT];
};

static inline bool
offloadmod_devsettings_empty(const struct offloadmod_devsettings *s)
{
	return !s->feat_set && !s->val_set;
}

void offloadmod_devsettings_merge(struct offloadmod_devsettings *dst,
				  const struct offloadmod_devsettings *src);

bool offloadmod_devpolicy_pattern_ok(const char *pattern);
bool offloadmod_devpolicy_match(const char *pattern, const char *name);

int offloadmod_devfeat_plan(netdev_features_t mask, bool on,
			    netdev_features_t hw, netdev_features_t active,
			    netdev_features_t *change);
netdev_features_t offloadmod_devfeat_wanted(netdev_features_t wanted,
					    netdev_features_t change, bool on);
bool offloadmod_devfeat_took(netdev_features_t change, bool on,
			     netdev_features_t active);

/**
 * struct offloadmod_devbook - what a policy overrode on one interface
 * @feat_mask: wanted_features bits the policy changed
 * @feat_old: the values those bits had before the policy first set them
 *	(or that someone else gave them since, before the policy set them
 *	again): what a restore puts back
 * @feat_ours: the values the policy last wrote to those bits
 * @val_set: BIT(enum offloadmod_devval_id) of the values it changed
 * @val_old: the values it overrode (what a restore puts back)
 * @val_old_ipv4: for the two sizes, the IPv4 limit the kernel lowers along
 *	with them (gso_ipv4_max_size, gro_ipv4_max_size; 0 if none)
 * @val_ours: the values on the device right after the policy wrote them
 * @val_ours_ipv4: the IPv4 limits then
 *
 * A restore puts a feature bit or a value back only while the device still
 * has the one the policy wrote: one someone else set since (the
 * administrator, or the core lowering a size to a new limit) is theirs and
 * stays.
 */
struct offloadmod_devbook {
	netdev_features_t feat_mask;
	netdev_features_t feat_old;
	netdev_features_t feat_ours;
	u32 val_set;
	u64 val_old[OFFLOADMOD_DEVVAL_COUNT];
	u32 val_old_ipv4[OFFLOADMOD_DEVVAL_COUNT];
	u64 val_ours[OFFLOADMOD_DEVVAL_COUNT];
	u32 val_ours_ipv4[OFFLOADMOD_DEVVAL_COUNT];
};

void offloadmod_devbook_record_feat(struct offloadmod_devbook *book,
				    netdev_features_t change,
				    netdev_features_t wanted);
void offloadmod_devbook_wrote_feat(struct offloadmod_devbook *book,
				   netdev_features_t change,
				   netdev_features_t wanted);
netdev_features_t
offloadmod_devbook_restore_wanted(const struct offloadmod_devbook *book,
				  netdev_features_t wanted,
				  netdev_features_t hw);
bool offloadmod_devbook_record_val(struct offloadmod_devbook *book,
				   enum offloadmod_devval_id id, u64 cur,
				   u32 cur_ipv4);
void offloadmod_devbook_wrote_val(struct offloadmod_devbook *book,
				  enum offloadmod_devval_id id, u64 val,
				  u32 ipv4);
bool offloadmod_devbook_restore_val(const struct offloadmod_devbook *book,
				    enum offloadmod_devval_id id, u64 cur,
				    u32 cur_ipv4, u64 max, u64 *val,
				    u32 *ipv4);

/* ---- devpolicy.c: the table, shared with devpolicy_nl.c ---- */

/**
 * struct offloadmod_dev_applied - one interface a policy manages
 * @node: in offloadmod_devpolicy.ifaces
 * @ifindex: the interface, in the policy's network namespace
 * @name: its name now (kept up to date on renames)
 * @book: what the policy changed on it, to restore
 */
struct offloadmod_dev_applied {
	struct list_head node;
	int ifindex;
	char name[IFNAMSIZ];
	struct offloadmod_devbook book;
};

/**
 * struct offloadmod_devpolicy - one interface policy
 * @net_node: in its namespace's list, oldest first (first match wins)
 * @all_node: in the list of every policy, by @id (dump order)
 * @net: its network namespace; no reference is held: the policy is freed
 *	by the namespace's pernet exit, before the namespace goes
 * @id: creation number, unique while the module is loaded; dump cursor
 * @pattern: glob on interface names
 * @set: the settings
 * @ifaces: struct offloadmod_dev_applied, the interfaces it manages now
 * @n_ifaces: length of @ifaces
 * @ifaces_adjusted: times it was applied to an interface
 * @errors: settings it could not apply to an interface
 */
struct offloadmod_devpolicy {
	struct list_head net_node;
	struct list_head all_node;
	struct net *net;
	u64 id;
	char pattern[OFFLOADMOD_DEV_PATTERN_MAX];
	struct offloadmod_devsettings set;
	struct list_head ifaces;
	unsigned int n_ifaces;
	u64 ifaces_adjusted;
	u64 errors;
};

/**
 * struct offloadmod_devpolicy_refusal - why a set request was refused
 * @attr: the OFFLOADMOD_A_DEV_* attribute at fault
 * @ifname: the interface that cannot take it; empty for a kernel-wide limit
 * @limit: the limit exceeded (-ERANGE only)
 * @below: @limit is a minimum
 */
struct offloadmod_devpolicy_refusal {
	int attr;
	char ifname[IFNAMSIZ];
	u64 limit;
	bool below;
};

/* Writers hold RTNL, then the table mutex; readers only the mutex. */
void offloadmod_devpolicy_lock(void);
void offloadmod_devpolicy_unlock(void);
void offloadmod_devpolicy_read_lock(void);
void offloadmod_devpolicy_read_unlock(void);

struct offloadmod_devpolicy *offloadmod_devpolicy_find(struct net *net,
						       const char *pattern);
struct offloadmod_devpolicy *offloadmod_devpolicy_next(u64 after_id);
unsigned int offloadmod_devpolicy_generation(void);
struct offloadmod_devpolicy *offloadmod_devpolicy_alloc(void);
int offloadmod_devpolicy_set(struct net *net, const char *pattern,
			     const struct offloadmod_devsettings *req,
			     struct offloadmod_devpolicy **newp,
			     struct offloadmod_devpolicy **out,
			     struct offloadmod_devpolicy_refusal *why);
void offloadmod_devpolicy_del(struct offloadmod_devpolicy *p);

/* devpolicy_nl.c: a message describing @p (reply or notification). */
struct sk_buff *offloadmod_devpolicy_msg(const struct offloadmod_devpolicy *p,
					 u8 cmd, struct genl_info *info);

#endif /* _OFFLOADMOD_DEVPOLICY_H */
