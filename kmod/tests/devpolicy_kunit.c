// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "offloadmod_devpolicy": the pure logic of interface
 * policies (devpolicy_logic.c): name matching, the feature table and the
 * feature plan, merging settings, the restore bookkeeping, and the request
 * policy's bounds on the dev-* attributes.
 *
 * As in offloadmod_kunit.c, the source under test is #included rather than
 * linked; this file is the only one of offloadmod_kunit.ko that includes
 * it. offloadmod_dev_nl_policy comes from genl_policy.c, which
 * offloadmod_kunit.c includes into the same module. Nothing here
 * allocates, so the KUNIT_ASSERT_*() caveat of the other suites does not
 * apply.
 */
#include "../devpolicy_logic.c"

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/netdev_features.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "../genl_policy.h"

static void devpolicy_glob_match(struct kunit *test)
{
	static const struct {
		const char *pattern;
		const char *name;
		bool match;
	} cases[] = {
		{ "omtv*", "omtv0", true },
		{ "omtv*", "omtv", true },	/* * matches nothing too */
		{ "omtv*", "omt", false },
		{ "omtv*", "xomtv0", false },	/* anchored at the start */
		{ "*0", "omtv10", true },	/* ... and at the end */
		{ "*0", "omtv01", false },
		{ "omtv?", "omtv1", true },
		{ "omtv?", "omtv", false },	/* ? is exactly one */
		{ "omtv?", "omtv12", false },
		{ "*", "eth0", true },
		{ "**", "eth0", true },
		{ "*a*b*", "xaybz", true },
		{ "*a*b*", "xbyaz", false },
		{ "eth[0-3]", "eth2", true },
		{ "eth[0-3]", "eth4", false },
		{ "eth[!0-3]", "eth4", true },	/* glob(7): ! complements */
		{ "eth[!0-3]", "eth1", false },
		{ "eth[]]", "eth]", true },	/* ] first in a class is literal */
		{ "eth[", "eth[", true },	/* an unclosed [ is literal */
		{ "a\\*b", "a*b", true },	/* \ escapes */
		{ "a\\*b", "axb", false },
		{ "veth*", "VETH0", false },	/* case matters */
		{ "veth0", "veth0", true },
		{ "veth0", "veth00", false },
		/* The longest interface name and a pattern one longer. */
		{ "abcdefghijklmno", "abcdefghijklmno", true },
		{ "abcdefghijklmnop", "abcdefghijklmno", false },
		{ "abcdefghijklmno*", "abcdefghijklmno", true },
		/* The longest pattern the attribute takes (63 bytes). */
		{ "***************************************************************",
		  "x", true },
		{ "??????????????????????????????????????????????????????????????*",
		  "abcdefghijklmno", false },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    offloadmod_devpolicy_match(cases[i].pattern,
							       cases[i].name),
				    cases[i].match, "'%s' on '%s'",
				    cases[i].pattern, cases[i].name);
}

static void devpolicy_pattern_ok(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, offloadmod_devpolicy_pattern_ok(""));
	KUNIT_EXPECT_TRUE(test, offloadmod_devpolicy_pattern_ok("*"));
	KUNIT_EXPECT_TRUE(test, offloadmod_devpolicy_pattern_ok("veth0"));
}

/* What ethtool changes for each name, written out independently. */
static void devpolicy_feature_masks(struct kunit *test)
{
	static const struct {
		const char *name;
		int attr;
		netdev_features_t mask;
	} want[] = {
		{ "tso", OFFLOADMOD_A_DEV_TSO,
		  NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN |
		  NETIF_F_TSO_MANGLEID | OFFLOADMOD_NETIF_F_TSO_ACCECN },
		{ "gso", OFFLOADMOD_A_DEV_GSO, NETIF_F_GSO },
		{ "gro", OFFLOADMOD_A_DEV_GRO, NETIF_F_GRO },
		{ "lro", OFFLOADMOD_A_DEV_LRO, NETIF_F_LRO },
		{ "rx-gro-hw", OFFLOADMOD_A_DEV_RX_GRO_HW, NETIF_F_GRO_HW },
		{ "tx-csum", OFFLOADMOD_A_DEV_TX_CSUM,
		  NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM | NETIF_F_HW_CSUM },
	};
	netdev_features_t seen = 0;
	int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(want), (size_t)OFFLOADMOD_DEVFEAT_COUNT);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct offloadmod_devfeat *f =
			offloadmod_devfeat_by_name(want[i].name);

		KUNIT_EXPECT_NOT_NULL_MSG(test, f, "%s", want[i].name);
		if (!f)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, f->attr, want[i].attr, "%s",
				    want[i].name);
		KUNIT_EXPECT_EQ_MSG(test, f->mask, want[i].mask, "%s",
				    want[i].name);
		/* Disjoint: each bit's bookkeeping belongs to one feature. */
		KUNIT_EXPECT_EQ_MSG(test, f->mask & seen, (netdev_features_t)0,
				    "%s", want[i].name);
		seen |= f->mask;
	}
	KUNIT_EXPECT_NULL(test, offloadmod_devfeat_by_name("tx-checksumming"));
	KUNIT_EXPECT_NULL(test, offloadmod_devfeat_by_name(""));
	KUNIT_EXPECT_NULL(test, offloadmod_devfeat_by_name("TSO"));
}

static void devpolicy_value_table(struct kunit *test)
{
	static const struct {
		const char *name;
		int attr;
	} want[] = {
		[OFFLOADMOD_DEVVAL_GSO_MAX_SIZE] = {
			"gso-max-size", OFFLOADMOD_A_DEV_GSO_MAX_SIZE },
		[OFFLOADMOD_DEVVAL_GRO_MAX_SIZE] = {
			"gro-max-size", OFFLOADMOD_A_DEV_GRO_MAX_SIZE },
		[OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT] = {
			"gro-flush-timeout", OFFLOADMOD_A_DEV_GRO_FLUSH_TIMEOUT },
		[OFFLOADMOD_DEVVAL_NAPI_DEFER_HARD_IRQS] = {
			"napi-defer-hard-irqs",
			OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS },
	};
	int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(want), (size_t)OFFLOADMOD_DEVVAL_COUNT);
	for (i = 0; i < OFFLOADMOD_DEVVAL_COUNT; i++) {
		KUNIT_EXPECT_EQ(test, offloadmod_devvals[i].attr, want[i].attr);
		KUNIT_EXPECT_STREQ(test, offloadmod_devvals[i].name,
				   want[i].name);
	}
}

static void devpolicy_feature_plan(struct kunit *test)
{
	const netdev_features_t tso = OFFLOADMOD_NETIF_F_TSO;
	const netdev_features_t csum = NETIF_F_CSUM_MASK;
	netdev_features_t change;

	/* A device that can change it: exactly its changeable bits. */
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(NETIF_F_GRO, true,
						      NETIF_F_GRO | NETIF_F_SG,
						      0, &change), 0);
	KUNIT_EXPECT_EQ(test, change, NETIF_F_GRO);
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(tso, false,
						      NETIF_F_TSO | NETIF_F_TSO6,
						      NETIF_F_TSO, &change), 0);
	KUNIT_EXPECT_EQ(test, change, NETIF_F_TSO | NETIF_F_TSO6);
	/* veth: HW_CSUM only, of the three checksum bits. */
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(csum, true,
						      NETIF_F_HW_CSUM, 0,
						      &change), 0);
	KUNIT_EXPECT_EQ(test, change, NETIF_F_HW_CSUM);

	/* Fixed off: "off" needs nothing, "on" cannot be done. */
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(NETIF_F_LRO, false,
						      NETIF_F_GRO, NETIF_F_GRO,
						      &change), 0);
	KUNIT_EXPECT_EQ(test, change, (netdev_features_t)0);
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(NETIF_F_GRO_HW, true,
						      NETIF_F_GRO, 0, &change),
			-EOPNOTSUPP);
	/* Fixed on: the other way round. */
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(NETIF_F_LRO, true, 0,
						      NETIF_F_LRO, &change), 0);
	KUNIT_EXPECT_EQ(test, change, (netdev_features_t)0);
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(NETIF_F_LRO, false, 0,
						      NETIF_F_LRO, &change),
			-EOPNOTSUPP);
	/* A group fixed partly on counts as on. */
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_plan(tso, false, 0,
						      NETIF_F_TSO6, &change),
			-EOPNOTSUPP);

	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_wanted(NETIF_F_SG, NETIF_F_GRO,
							true),
			NETIF_F_SG | NETIF_F_GRO);
	KUNIT_EXPECT_EQ(test, offloadmod_devfeat_wanted(NETIF_F_SG | NETIF_F_GRO,
							NETIF_F_GRO, false),
			NETIF_F_SG);

	/* Did the kernel follow? */
	KUNIT_EXPECT_TRUE(test, offloadmod_devfeat_took(NETIF_F_TSO |
							NETIF_F_TSO6, true,
							NETIF_F_TSO));
	KUNIT_EXPECT_FALSE(test, offloadmod_devfeat_took(NETIF_F_TSO, true,
							 NETIF_F_SG));
	KUNIT_EXPECT_TRUE(test, offloadmod_devfeat_took(NETIF_F_GRO, false,
							NETIF_F_SG));
	KUNIT_EXPECT_FALSE(test, offloadmod_devfeat_took(NETIF_F_TSO |
							 NETIF_F_TSO6, false,
							 NETIF_F_TSO6));
}

static void devpolicy_settings_merge(struct kunit *test)
{
	struct offloadmod_devsettings dst = {}, src = {};

	KUNIT_EXPECT_TRUE(test, offloadmod_devsettings_empty(&dst));
	/* gro off, tso on, gso-max-size 16384 */
	src.feat_set = BIT(OFFLOADMOD_DEVFEAT_GRO) | BIT(OFFLOADMOD_DEVFEAT_TSO);
	src.feat_on = BIT(OFFLOADMOD_DEVFEAT_TSO);
	src.val_set = BIT(OFFLOADMOD_DEVVAL_GSO_MAX_SIZE);
	src.val[OFFLOADMOD_DEVVAL_GSO_MAX_SIZE] = 16384;
	offloadmod_devsettings_merge(&dst, &src);
	KUNIT_EXPECT_EQ(test, dst.feat_set, src.feat_set);
	KUNIT_EXPECT_EQ(test, dst.feat_on, src.feat_on);
	KUNIT_EXPECT_EQ(test, dst.val_set, src.val_set);
	KUNIT_EXPECT_FALSE(test, offloadmod_devsettings_empty(&dst));

	/* Then: gro on, tso off, gro-flush-timeout 0; the size is kept. */
	memset(&src, 0, sizeof(src));
	src.feat_set = BIT(OFFLOADMOD_DEVFEAT_GRO) | BIT(OFFLOADMOD_DEVFEAT_TSO);
	src.feat_on = BIT(OFFLOADMOD_DEVFEAT_GRO);
	src.val_set = BIT(OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT);
	offloadmod_devsettings_merge(&dst, &src);
	KUNIT_EXPECT_EQ(test, dst.feat_set, (u32)(BIT(OFFLOADMOD_DEVFEAT_GRO) |
						  BIT(OFFLOADMOD_DEVFEAT_TSO)));
	KUNIT_EXPECT_EQ(test, dst.feat_on, (u32)BIT(OFFLOADMOD_DEVFEAT_GRO));
	KUNIT_EXPECT_EQ(test, dst.val_set,
			(u32)(BIT(OFFLOADMOD_DEVVAL_GSO_MAX_SIZE) |
			      BIT(OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT)));
	KUNIT_EXPECT_EQ(test, dst.val[OFFLOADMOD_DEVVAL_GSO_MAX_SIZE], 16384U);
	KUNIT_EXPECT_EQ(test, dst.val[OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT], 0U);

	/* An empty request changes nothing. */
	memset(&src, 0, sizeof(src));
	src.feat_on = BIT(OFFLOADMOD_DEVFEAT_TSO);	/* not set: ignored */
	offloadmod_devsettings_merge(&dst, &src);
	KUNIT_EXPECT_EQ(test, dst.feat_on, (u32)BIT(OFFLOADMOD_DEVFEAT_GRO));
}

/*
 * What offloadmod_dev_apply() does for one feature: record, change
 * wanted_features, record what was written.
 */
static netdev_features_t test_dev_apply_feat(struct offloadmod_devbook *book,
					     netdev_features_t wanted,
					     netdev_features_t change, bool on)
{
	offloadmod_devbook_record_feat(book, change, wanted);
	wanted = offloadmod_devfeat_wanted(wanted, change, on);
	offloadmod_devbook_wrote_feat(book, change, wanted);
	return wanted;
}

/*
 * A device's wanted_features through a policy's life: set, updated, the
 * user changes an unrelated bit, then the policy goes. Exactly the bits
 * the policy touched come back, with the values from before its first
 * change.
 */
static void devpolicy_book_features(struct kunit *test)
{
	const netdev_features_t before = NETIF_F_SG | NETIF_F_TSO |
					 NETIF_F_HW_CSUM;
	const netdev_features_t hw = before | NETIF_F_GRO;
	struct offloadmod_devbook book = {};
	netdev_features_t wanted = before;

	/* gro on, tso off */
	wanted = test_dev_apply_feat(&book, wanted, NETIF_F_GRO, true);
	wanted = test_dev_apply_feat(&book, wanted, NETIF_F_TSO, false);
	KUNIT_EXPECT_EQ(test, book.feat_mask, NETIF_F_GRO | NETIF_F_TSO);
	KUNIT_EXPECT_EQ(test, book.feat_old, NETIF_F_TSO);
	KUNIT_EXPECT_EQ(test, book.feat_ours, NETIF_F_GRO);

	/* Updated to gro off: the first old value (off) is kept. */
	wanted = test_dev_apply_feat(&book, wanted, NETIF_F_GRO, false);
	KUNIT_EXPECT_EQ(test, book.feat_old, NETIF_F_TSO);
	KUNIT_EXPECT_EQ(test, book.feat_ours, (netdev_features_t)0);

	/* The user turns checksumming off meanwhile: not the policy's. */
	wanted &= ~NETIF_F_HW_CSUM;
	KUNIT_EXPECT_EQ(test, offloadmod_devbook_restore_wanted(&book, wanted,
								hw),
			before & ~NETIF_F_HW_CSUM);
	/*
	 * The device can no longer change TSO: that bit is left as it is
	 * (off), as ethtool leaves bits outside hw_features alone.
	 */
	KUNIT_EXPECT_EQ(test,
			offloadmod_devbook_restore_wanted(&book, wanted,
							  hw & ~NETIF_F_TSO),
			before & ~(NETIF_F_HW_CSUM | NETIF_F_TSO));
	/* Untouched: a record of nothing restores nothing. */
	memset(&book, 0, sizeof(book));
	KUNIT_EXPECT_EQ(test, offloadmod_devbook_restore_wanted(&book, wanted,
								hw),
			wanted);
}

/*
 * Feature bits someone else changed while the policy was in place (issue
 * 13, defect 7): GRO was already off, the policy says gro off, then the
 * administrator turns GRO on (ethtool -K). A restore leaves it on; before,
 * it put back the recorded "off".
 */
static void devpolicy_book_features_theirs(struct kunit *test)
{
	const netdev_features_t hw = NETIF_F_GRO | NETIF_F_TSO;
	struct offloadmod_devbook book = {};
	netdev_features_t wanted = NETIF_F_TSO;

	wanted = test_dev_apply_feat(&book, wanted, NETIF_F_GRO, false);
	wanted = test_dev_apply_feat(&book, wanted, NETIF_F_TSO, false);
	KUNIT_EXPECT_EQ(test, wanted, (netdev_features_t)0);
	wanted |= NETIF_F_GRO;			/* ethtool -K gro on */
	KUNIT_EXPECT_EQ(test, offloadmod_devbook_restore_wanted(&book, wanted,
								hw),
			NETIF_F_GRO | NETIF_F_TSO);

	/*
	 * The policy is updated after that (gro still off): it overrides the
	 * administrator's "on" now, and that is what goes back.
	 */
	wanted = test_dev_apply_feat(&book, wanted, NETIF_F_GRO, false);
	KUNIT_EXPECT_EQ(test, book.feat_old, NETIF_F_GRO | NETIF_F_TSO);
	KUNIT_EXPECT_EQ(test, offloadmod_devbook_restore_wanted(&book, wanted,
								hw),
			NETIF_F_GRO | NETIF_F_TSO);
	/* An update that does not touch GRO keeps that record. */
	wanted = test_dev_apply_feat(&book, wanted, NETIF_F_TSO, true);
	KUNIT_EXPECT_EQ(test, book.feat_old, NETIF_F_GRO | NETIF_F_TSO);
}

/*
 * A value through a policy's life: recorded before the first write, kept
 * while the policy is updated, taken over from whoever changed it in
 * between.
 */
static void devpolicy_book_values(struct kunit *test)
{
	const enum offloadmod_devval_id gso = OFFLOADMOD_DEVVAL_GSO_MAX_SIZE;
	const enum offloadmod_devval_id flush =
		OFFLOADMOD_DEVVAL_GRO_FLUSH_TIMEOUT;
	const enum offloadmod_devval_id defer =
		OFFLOADMOD_DEVVAL_NAPI_DEFER_HARD_IRQS;
	struct offloadmod_devbook book = {};
	bool rec;

	rec = offloadmod_devbook_record_val(&book, gso, 65536, 65536);
	KUNIT_EXPECT_TRUE(test, rec);
	offloadmod_devbook_wrote_val(&book, gso, 16384, 16384);
	rec = offloadmod_devbook_record_val(&book, flush, 0, 0);
	KUNIT_EXPECT_TRUE(test, rec);
	offloadmod_devbook_wrote_val(&book, flush, 20000, 0);
	/* The policy updated: what it wrote is not the original. */
	rec = offloadmod_devbook_record_val(&book, gso, 16384, 16384);
	KUNIT_EXPECT_FALSE(test, rec);
	offloadmod_devbook_wrote_val(&book, gso, 20000, 20000);
	KUNIT_EXPECT_EQ(test, book.val_set, (u32)(BIT(gso) | BIT(flush)));
	KUNIT_EXPECT_EQ(test, book.val_old[gso], 65536ULL);
	KUNIT_EXPECT_EQ(test, book.val_old_ipv4[gso], 65536U);
	KUNIT_EXPECT_EQ(test, book.val_old[flush], 0ULL);
	/*
	 * The administrator set 30000 (ip link set, which sets the IPv4 limit
	 * too), then the policy is updated again: it overrides 30000 now,
	 * and that is what goes back.
	 */
	rec = offloadmod_devbook_record_val(&book, gso, 30000, 30000);
	KUNIT_EXPECT_TRUE(test, rec);
	KUNIT_EXPECT_EQ(test, book.val_old[gso], 30000ULL);
	KUNIT_EXPECT_EQ(test, book.val_old_ipv4[gso], 30000U);
	offloadmod_devbook_wrote_val(&book, gso, 16384, 16384);
	/* Only the IPv4 limit changed (ip link set gso_ipv4_max_size). */
	rec = offloadmod_devbook_record_val(&book, gso, 16384, 8192);
	KUNIT_EXPECT_FALSE(test, rec);
	KUNIT_EXPECT_EQ(test, book.val_old[gso], 30000ULL);
	KUNIT_EXPECT_EQ(test, book.val_old_ipv4[gso], 8192U);
	/* Values above 32 bits survive (gro_flush_timeout is a long). */
	rec = offloadmod_devbook_record_val(&book, defer, BIT_ULL(40), 0);
	KUNIT_EXPECT_TRUE(test, rec);
	KUNIT_EXPECT_EQ(test, book.val_old[defer], BIT_ULL(40));
}

/* What a restore writes: only what is still the policy's, clamped. */
static void devpolicy_book_restore(struct kunit *test)
{
	const enum offloadmod_devval_id gso = OFFLOADMOD_DEVVAL_GSO_MAX_SIZE;
	const enum offloadmod_devval_id gro = OFFLOADMOD_DEVVAL_GRO_MAX_SIZE;
	const u64 big = 8 * 65535;
	struct offloadmod_devbook book = {};
	u64 val;
	u32 ipv4;
	bool chg;

	/* br0: gso_max_size 100000 (IPv4 65536), the policy sets 16384. */
	offloadmod_devbook_record_val(&book, gso, 100000, 65536);
	offloadmod_devbook_wrote_val(&book, gso, 16384, 16384);

	/* Nothing changed since: both go back. */
	chg = offloadmod_devbook_restore_val(&book, gso, 16384, 16384, big,
					     &val, &ipv4);
	KUNIT_EXPECT_TRUE(test, chg);
	KUNIT_EXPECT_EQ(test, val, 100000ULL);
	KUNIT_EXPECT_EQ(test, ipv4, 65536U);
	/* A port with tso_max_size 65536 joined: clamped to it. */
	chg = offloadmod_devbook_restore_val(&book, gso, 16384, 16384, 65536,
					     &val, &ipv4);
	KUNIT_EXPECT_TRUE(test, chg);
	KUNIT_EXPECT_EQ(test, val, 65536ULL);
	KUNIT_EXPECT_EQ(test, ipv4, 65536U);
	/* ... or one with 8192, which lowered the size itself: not ours. */
	chg = offloadmod_devbook_restore_val(&book, gso, 8192, 8192, 8192,
					     &val, &ipv4);
	KUNIT_EXPECT_FALSE(test, chg);
	KUNIT_EXPECT_EQ(test, val, 8192ULL);
	KUNIT_EXPECT_EQ(test, ipv4, 8192U);
	/* The administrator set 30000: both are theirs and stay. */
	chg = offloadmod_devbook_restore_val(&book, gso, 30000, 30000, big,
					     &val, &ipv4);
	KUNIT_EXPECT_FALSE(test, chg);
	KUNIT_EXPECT_EQ(test, val, 30000ULL);
	KUNIT_EXPECT_EQ(test, ipv4, 30000U);
	/* ... or only the IPv4 limit: the size still goes back. */
	chg = offloadmod_devbook_restore_val(&book, gso, 16384, 4096, big,
					     &val, &ipv4);
	KUNIT_EXPECT_TRUE(test, chg);
	KUNIT_EXPECT_EQ(test, val, 100000ULL);
	KUNIT_EXPECT_EQ(test, ipv4, 4096U);
	/* A setting the policy never wrote is left alone. */
	chg = offloadmod_devbook_restore_val(&book, gro, 65536, 65536, big,
					     &val, &ipv4);
	KUNIT_EXPECT_FALSE(test, chg);
	KUNIT_EXPECT_EQ(test, val, 65536ULL);

	/* Above 64 KiB the setter leaves the IPv4 limit: so does a restore. */
	memset(&book, 0, sizeof(book));
	offloadmod_devbook_record_val(&book, gso, 65536, 65536);
	offloadmod_devbook_wrote_val(&book, gso, 100000, 65536);
	chg = offloadmod_devbook_restore_val(&book, gso, 100000, 65536, big,
					     &val, &ipv4);
	KUNIT_EXPECT_TRUE(test, chg);
	KUNIT_EXPECT_EQ(test, val, 65536ULL);
	KUNIT_EXPECT_EQ(test, ipv4, 65536U);
}

/* One attribute, as a request carries it, padded to 4 bytes. */
struct test_dev_attr {
	struct nlattr nla;
	u8 data[OFFLOADMOD_DEV_PATTERN_MAX + 8];
};

static int test_dev_parse(struct kunit *test, u16 type, const void *data,
			  int len, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[OFFLOADMOD_A_DEV_MAX + 1];
	struct test_dev_attr buf = {};

	KUNIT_ASSERT_LE(test, len, (int)sizeof(buf.data));
	buf.nla.nla_len = nla_attr_size(len);
	buf.nla.nla_type = type;
	memcpy(buf.data, data, len);
	memset(extack, 0, sizeof(*extack));
	return nla_parse(tb, OFFLOADMOD_A_DEV_MAX, &buf.nla,
			 nla_total_size(len), offloadmod_dev_nl_policy, extack);
}

static int test_dev_parse_u32(struct kunit *test, u16 type, u32 v)
{
	struct netlink_ext_ack extack;

	return test_dev_parse(test, type, &v, sizeof(v), &extack);
}

static void devpolicy_request_bounds(struct kunit *test)
{
	char pattern[OFFLOADMOD_DEV_PATTERN_MAX + 1];
	struct netlink_ext_ack extack;
	u8 u8v = 2;

	/* 63 characters fit, 64 do not; the policy names no empty check. */
	memset(pattern, '*', sizeof(pattern));
	pattern[OFFLOADMOD_DEV_PATTERN_MAX - 1] = '\0';
	KUNIT_EXPECT_EQ(test, test_dev_parse(test, OFFLOADMOD_A_DEV_PATTERN,
					     pattern, OFFLOADMOD_DEV_PATTERN_MAX,
					     &extack), 0);
	pattern[OFFLOADMOD_DEV_PATTERN_MAX - 1] = '*';
	pattern[OFFLOADMOD_DEV_PATTERN_MAX] = '\0';
	KUNIT_EXPECT_NE(test, test_dev_parse(test, OFFLOADMOD_A_DEV_PATTERN,
					     pattern,
					     OFFLOADMOD_DEV_PATTERN_MAX + 1,
					     &extack), 0);
	KUNIT_EXPECT_NOT_NULL(test, extack.bad_attr);

	/* Features are 0 or 1. */
	KUNIT_EXPECT_NE(test, test_dev_parse(test, OFFLOADMOD_A_DEV_GRO, &u8v,
					     1, &extack), 0);
	u8v = 1;
	KUNIT_EXPECT_EQ(test, test_dev_parse(test, OFFLOADMOD_A_DEV_GRO, &u8v,
					     1, &extack), 0);

	KUNIT_EXPECT_NE(test, test_dev_parse_u32(test,
						 OFFLOADMOD_A_DEV_GSO_MAX_SIZE,
						 0), 0);
	KUNIT_EXPECT_EQ(test, test_dev_parse_u32(test,
						 OFFLOADMOD_A_DEV_GSO_MAX_SIZE,
						 OFFLOADMOD_DEV_GSO_MAX_SIZE_MAX),
			0);
	KUNIT_EXPECT_NE(test, test_dev_parse_u32(test,
						 OFFLOADMOD_A_DEV_GSO_MAX_SIZE,
						 OFFLOADMOD_DEV_GSO_MAX_SIZE_MAX + 1),
			0);
	KUNIT_EXPECT_NE(test, test_dev_parse_u32(test,
						 OFFLOADMOD_A_DEV_GRO_MAX_SIZE,
						 OFFLOADMOD_DEV_GRO_MAX_SIZE_MAX + 1),
			0);
	KUNIT_EXPECT_EQ(test, test_dev_parse_u32(test,
						 OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS,
						 OFFLOADMOD_DEV_NAPI_DEFER_HARD_IRQS_MAX),
			0);
	KUNIT_EXPECT_NE(test, test_dev_parse_u32(test,
						 OFFLOADMOD_A_DEV_NAPI_DEFER_HARD_IRQS,
						 OFFLOADMOD_DEV_NAPI_DEFER_HARD_IRQS_MAX + 1U),
			0);
	/* Output-only attributes are refused by name. */
	KUNIT_EXPECT_NE(test, test_dev_parse(test, OFFLOADMOD_A_DEV_IFACE,
					     "eth0", 5, &extack), 0);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	if (extack._msg)
		KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "iface"));
}

static struct kunit_case offloadmod_devpolicy_test_cases[] = {
	KUNIT_CASE(devpolicy_glob_match),
	KUNIT_CASE(devpolicy_pattern_ok),
	KUNIT_CASE(devpolicy_feature_masks),
	KUNIT_CASE(devpolicy_value_table),
	KUNIT_CASE(devpolicy_feature_plan),
	KUNIT_CASE(devpolicy_settings_merge),
	KUNIT_CASE(devpolicy_book_features),
	KUNIT_CASE(devpolicy_book_features_theirs),
	KUNIT_CASE(devpolicy_book_values),
	KUNIT_CASE(devpolicy_book_restore),
	KUNIT_CASE(devpolicy_request_bounds),
	{}
};

static struct kunit_suite offloadmod_devpolicy_test_suite = {
	.name = "offloadmod_devpolicy",
	.test_cases = offloadmod_devpolicy_test_cases,
};

kunit_test_suite(offloadmod_devpolicy_test_suite);
