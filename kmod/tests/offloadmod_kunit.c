// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "offloadmod": the module's pure logic, tested in isolation.
 *
 * The sources under test are #included rather than linked, so that no
 * object is part of two modules. They register nothing and export nothing,
 * so this module loads whether or not offloadmod.ko is loaded, and it never
 * touches the family, sysfs or debugfs of a loaded offloadmod.ko.
 *
 * Tests avoid KUNIT_ASSERT_*() once they own memory: an assertion ends the
 * test case on the spot and would leak it (kmemleak runs in the test VM).
 */
#include "../params.c"
#include "../genl_policy.c"
#include "../status_msg.c"

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/netlink.h>
#include <linux/offloadmod.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "../hooks.h"
#include "../status.h"

/* Attribute names of the status set, as uapi/offloadmod.yaml spells them. */
static const char * const status_attr_names[OFFLOADMOD_A_STATUS_MAX + 1] = {
	[OFFLOADMOD_A_STATUS_PAD] = "pad",
	[OFFLOADMOD_A_STATUS_MODULE_VERSION] = "module-version",
	[OFFLOADMOD_A_STATUS_UAPI_VERSION] = "uapi-version",
	[OFFLOADMOD_A_STATUS_KERNEL_RELEASE] = "kernel-release",
	[OFFLOADMOD_A_STATUS_MAX_CGROUPS] = "max-cgroups",
	[OFFLOADMOD_A_STATUS_HOOK] = "hook",
	[OFFLOADMOD_A_STATUS_TRACKED_CGROUPS] = "tracked-cgroups",
	[OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW] = "cgroup-overflow",
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX] = "unattributed-rx",
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX] = "unattributed-tx",
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED] = "unattributed-sched",
	[OFFLOADMOD_A_STATUS_ALLOC_FAILURES] = "alloc-failures",
	[OFFLOADMOD_A_STATUS_UNSUPPORTED] = "unsupported",
};

/* One u32 attribute, as a request would carry it. */
struct test_u32_attr {
	struct nlattr nla;
	u32 value;
};

static int test_parse_one(u16 type, struct netlink_ext_ack *extack,
			  struct test_u32_attr *buf)
{
	struct nlattr *tb[OFFLOADMOD_A_STATUS_MAX + 1];

	buf->nla.nla_len = nla_attr_size(sizeof(u32));
	buf->nla.nla_type = type;
	buf->value = 1;
	memset(extack, 0, sizeof(*extack));
	return nla_parse(tb, OFFLOADMOD_A_STATUS_MAX, &buf->nla,
			 sizeof(*buf), offloadmod_get_status_nl_policy, extack);
}

static void get_status_policy_accepts_empty(struct kunit *test)
{
	struct nlattr *tb[OFFLOADMOD_A_STATUS_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct nlattr empty = {};
	int err;

	err = nla_parse(tb, OFFLOADMOD_A_STATUS_MAX, &empty, 0,
			offloadmod_get_status_nl_policy, &extack);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

/* A new status attribute must be rejected explicitly, with its name. */
static void get_status_policy_covers_every_attr(struct kunit *test)
{
	int type;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(offloadmod_get_status_nl_policy),
			(size_t)OFFLOADMOD_A_STATUS_MAX + 1);
	for (type = 1; type <= OFFLOADMOD_A_STATUS_MAX; type++) {
		const struct nla_policy *pt =
			&offloadmod_get_status_nl_policy[type];

		KUNIT_EXPECT_EQ_MSG(test, pt->type, NLA_REJECT, "type %d", type);
		KUNIT_EXPECT_NOT_NULL_MSG(test, status_attr_names[type],
					  "type %d has no name", type);
		if (!pt->reject_message || !status_attr_names[type])
			continue;
		KUNIT_EXPECT_NOT_NULL(test, strstr(pt->reject_message,
						   status_attr_names[type]));
	}
}

static void get_status_policy_rejects_output_attrs(struct kunit *test)
{
	struct netlink_ext_ack extack;
	struct test_u32_attr buf;
	int type, err;

	for (type = 1; type <= OFFLOADMOD_A_STATUS_MAX; type++) {
		err = test_parse_one(type, &extack, &buf);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "type %d", type);
		KUNIT_EXPECT_PTR_EQ_MSG(test, extack.bad_attr,
					(const struct nlattr *)&buf.nla,
					"type %d", type);
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "type %d", type);
		if (!extack._msg)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test,
				      str_has_prefix(extack._msg,
						     OFFLOADMOD_MSG_OUTPUT_ONLY),
				      "type %d: %s", type, extack._msg);
		KUNIT_EXPECT_NOT_NULL_MSG(test,
					  strstr(extack._msg,
						 status_attr_names[type]),
					  "type %d: %s", type, extack._msg);
	}
}

static void get_status_policy_rejects_unknown(struct kunit *test)
{
	static const u16 types[] = { 0, OFFLOADMOD_A_STATUS_MAX + 1, 1000 };
	struct netlink_ext_ack extack;
	struct test_u32_attr buf;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		err = test_parse_one(types[i], &extack, &buf);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "type %u", types[i]);
		KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
				    (const struct nlattr *)&buf.nla);
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
		if (extack._msg)
			KUNIT_EXPECT_STREQ(test, extack._msg,
					   "Unknown attribute type");
	}
}

/* What a client parses the reply with, written from the YNL spec. */
static const struct nla_policy test_hook_policy[OFFLOADMOD_A_HOOK_MAX + 1] = {
	[OFFLOADMOD_A_HOOK_PAD] = { .type = NLA_BINARY },
	[OFFLOADMOD_A_HOOK_NAME] = { .type = NLA_NUL_STRING,
				     .len = OFFLOADMOD_NAME_MAX - 1 },
	[OFFLOADMOD_A_HOOK_AVAILABLE] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_HOOK_ATTACHED] = NLA_POLICY_MAX(NLA_U8, 1),
	[OFFLOADMOD_A_HOOK_INVOCATIONS] = { .type = NLA_U64 },
};

static const struct nla_policy
test_status_policy[OFFLOADMOD_A_STATUS_MAX + 1] = {
	[OFFLOADMOD_A_STATUS_PAD] = { .type = NLA_BINARY },
	[OFFLOADMOD_A_STATUS_MODULE_VERSION] = {
		.type = NLA_NUL_STRING, .len = OFFLOADMOD_NAME_MAX - 1 },
	[OFFLOADMOD_A_STATUS_UAPI_VERSION] = { .type = NLA_U32 },
	/* A release may be as long as utsname allows. */
	[OFFLOADMOD_A_STATUS_KERNEL_RELEASE] = {
		.type = NLA_NUL_STRING, .len = __NEW_UTS_LEN },
	[OFFLOADMOD_A_STATUS_MAX_CGROUPS] = { .type = NLA_U32 },
	[OFFLOADMOD_A_STATUS_HOOK] = NLA_POLICY_NESTED(test_hook_policy),
	[OFFLOADMOD_A_STATUS_TRACKED_CGROUPS] = { .type = NLA_U32 },
	[OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STATUS_ALLOC_FAILURES] = { .type = NLA_U64 },
	[OFFLOADMOD_A_STATUS_UNSUPPORTED] = { .type = NLA_NUL_STRING },
};

/* Test data: names need not match the module's current hook table. */
static const struct offloadmod_hook_status test_hooks[] = {
	{ "net_dev_queue", true, true, 0 },
	{ "qdisc_dequeue", true, true, 1 },
	{ "net_dev_start_xmit", true, false, U32_MAX },
	{ "netif_receive_skb", true, true, BIT_ULL(32) },
	{ "napi_gro_receive_entry", false, false, 0 },
	{ "netfilter_ipv4_local_in", true, true, BIT_ULL(32) + 5 },
	{ "netfilter_ipv6_local_in", true, false, 7 },
	{ "skb_copy_datagram_iovec", true, true, 123456789012345ULL },
	{ "sched_switch", true, true, U64_MAX },
};

static void test_make_status(struct offloadmod_status *st)
{
	memset(st, 0, sizeof(*st));
	st->module_version = "0.1.0";
	st->uapi_version = OFFLOADMOD_FAMILY_VERSION;
	/* The longest release utsname can hold. */
	memset(st->kernel_release, 'r', __NEW_UTS_LEN);
	st->max_cgroups = OFFLOADMOD_MAX_CGROUPS_MAX;
	/* Distinct values, some above 2^32, so a swap or a cut shows. */
	st->tracked_cgroups = OFFLOADMOD_MAX_CGROUPS_MAX - 1;
	st->cgroup_overflow = BIT_ULL(40) + 1;
	st->unattributed_rx = 2;
	st->unattributed_tx = BIT_ULL(33) + 3;
	st->unattributed_sched = U64_MAX;
	st->alloc_failures = 5;
	BUILD_BUG_ON(ARRAY_SIZE(test_hooks) > OFFLOADMOD_HOOK_COUNT);
	st->n_hooks = ARRAY_SIZE(test_hooks);
	memcpy(st->hooks, test_hooks, sizeof(test_hooks));
	st->n_unsupported = 2;
	st->unsupported[0] = "dev.gro-max-size";
	st->unsupported[1] = "stage.sched_wait";
}

/* An skb with exactly @room bytes of tailroom. */
static struct sk_buff *test_alloc_skb(unsigned int room)
{
	struct sk_buff *skb = alloc_skb(room, GFP_KERNEL);

	if (skb)
		skb_reserve(skb, skb_tailroom(skb) - room);
	return skb;
}

static void test_check_hook(struct kunit *test, const struct nlattr *nest,
			    const struct offloadmod_hook_status *want)
{
	struct nlattr *tb[OFFLOADMOD_A_HOOK_MAX + 1];
	int err;

	KUNIT_EXPECT_TRUE(test, nest->nla_type & NLA_F_NESTED);
	err = nla_parse_nested(tb, OFFLOADMOD_A_HOOK_MAX, nest,
			       test_hook_policy, NULL);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (err)
		return;

	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_HOOK_NAME]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_HOOK_AVAILABLE]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_HOOK_ATTACHED]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_HOOK_INVOCATIONS]);
	if (!tb[OFFLOADMOD_A_HOOK_NAME] || !tb[OFFLOADMOD_A_HOOK_AVAILABLE] ||
	    !tb[OFFLOADMOD_A_HOOK_ATTACHED] ||
	    !tb[OFFLOADMOD_A_HOOK_INVOCATIONS])
		return;

	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[OFFLOADMOD_A_HOOK_NAME]),
			   want->name);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[OFFLOADMOD_A_HOOK_AVAILABLE]),
			(u8)want->available);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[OFFLOADMOD_A_HOOK_ATTACHED]),
			(u8)want->attached);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[OFFLOADMOD_A_HOOK_INVOCATIONS]),
			want->invocations);
}

static void test_check_status(struct kunit *test, const struct sk_buff *skb,
			      const struct offloadmod_status *want)
{
	struct nlattr *tb[OFFLOADMOD_A_STATUS_MAX + 1];
	struct netlink_ext_ack extack = {};
	const struct nlattr *nla;
	unsigned int n = 0;
	int err, rem;

	err = nla_parse(tb, OFFLOADMOD_A_STATUS_MAX, (struct nlattr *)skb->data,
			skb->len, test_status_policy, &extack);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "%s",
			    extack._msg ? extack._msg : "");
	if (err)
		return;

	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_MODULE_VERSION]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_UAPI_VERSION]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_KERNEL_RELEASE]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_MAX_CGROUPS]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_TRACKED_CGROUPS]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX]);
	KUNIT_EXPECT_NOT_NULL(test,
			      tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED]);
	KUNIT_EXPECT_NOT_NULL(test, tb[OFFLOADMOD_A_STATUS_ALLOC_FAILURES]);
	if (!tb[OFFLOADMOD_A_STATUS_MODULE_VERSION] ||
	    !tb[OFFLOADMOD_A_STATUS_UAPI_VERSION] ||
	    !tb[OFFLOADMOD_A_STATUS_KERNEL_RELEASE] ||
	    !tb[OFFLOADMOD_A_STATUS_MAX_CGROUPS] ||
	    !tb[OFFLOADMOD_A_STATUS_TRACKED_CGROUPS] ||
	    !tb[OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW] ||
	    !tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX] ||
	    !tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX] ||
	    !tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED] ||
	    !tb[OFFLOADMOD_A_STATUS_ALLOC_FAILURES])
		return;

	KUNIT_EXPECT_STREQ(test,
			   (char *)nla_data(tb[OFFLOADMOD_A_STATUS_MODULE_VERSION]),
			   want->module_version);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[OFFLOADMOD_A_STATUS_UAPI_VERSION]),
			want->uapi_version);
	KUNIT_EXPECT_STREQ(test,
			   (char *)nla_data(tb[OFFLOADMOD_A_STATUS_KERNEL_RELEASE]),
			   want->kernel_release);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[OFFLOADMOD_A_STATUS_MAX_CGROUPS]),
			want->max_cgroups);
	KUNIT_EXPECT_EQ(test,
			nla_get_u32(tb[OFFLOADMOD_A_STATUS_TRACKED_CGROUPS]),
			want->tracked_cgroups);
	KUNIT_EXPECT_EQ(test,
			nla_get_u64(tb[OFFLOADMOD_A_STATUS_CGROUP_OVERFLOW]),
			want->cgroup_overflow);
	KUNIT_EXPECT_EQ(test,
			nla_get_u64(tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_RX]),
			want->unattributed_rx);
	KUNIT_EXPECT_EQ(test,
			nla_get_u64(tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_TX]),
			want->unattributed_tx);
	KUNIT_EXPECT_EQ(test,
			nla_get_u64(tb[OFFLOADMOD_A_STATUS_UNATTRIBUTED_SCHED]),
			want->unattributed_sched);
	KUNIT_EXPECT_EQ(test,
			nla_get_u64(tb[OFFLOADMOD_A_STATUS_ALLOC_FAILURES]),
			want->alloc_failures);

	/* Hooks are a multi-attr: walk them all, in order. */
	nla_for_each_attr(nla, (struct nlattr *)skb->data, skb->len, rem) {
		if (nla_type(nla) != OFFLOADMOD_A_STATUS_HOOK)
			continue;
		if (n < want->n_hooks)
			test_check_hook(test, nla, &want->hooks[n]);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, want->n_hooks);

	/* So are the features the kernel lacks. */
	n = 0;
	nla_for_each_attr(nla, (struct nlattr *)skb->data, skb->len, rem) {
		if (nla_type(nla) != OFFLOADMOD_A_STATUS_UNSUPPORTED)
			continue;
		if (n < want->n_unsupported)
			KUNIT_EXPECT_STREQ(test, (char *)nla_data(nla),
					   want->unsupported[n]);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, want->n_unsupported);
}

static void status_fill_round_trip(struct kunit *test)
{
	struct offloadmod_status *st;
	struct sk_buff *skb;
	size_t size;
	int err;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	test_make_status(st);

	/* Exactly the advertised size must be enough. */
	size = offloadmod_status_msg_size(st);
	skb = test_alloc_skb(size);
	KUNIT_ASSERT_NOT_NULL(test, skb);

	err = offloadmod_status_fill(skb, st);
	KUNIT_EXPECT_EQ(test, err, 0);
	/* The bound only includes padding that the architecture needs. */
	if (IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS))
		KUNIT_EXPECT_EQ(test, (size_t)skb->len, size);
	else
		KUNIT_EXPECT_LE(test, (size_t)skb->len, size);
	if (!err)
		test_check_status(test, skb, st);
	kfree_skb(skb);
}

static void status_fill_no_hooks(struct kunit *test)
{
	struct offloadmod_status *st;
	struct sk_buff *skb;
	int err;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	test_make_status(st);
	st->n_hooks = 0;
	st->n_unsupported = 0;
	strscpy(st->kernel_release, "6.12.0-test", sizeof(st->kernel_release));

	skb = test_alloc_skb(offloadmod_status_msg_size(st));
	KUNIT_ASSERT_NOT_NULL(test, skb);
	err = offloadmod_status_fill(skb, st);
	KUNIT_EXPECT_EQ(test, err, 0);
	if (!err)
		test_check_status(test, skb, st);
	kfree_skb(skb);
}

/* Out of room at any point: -EMSGSIZE and nothing left behind. */
static void status_fill_too_small(struct kunit *test)
{
	/* Without padding, the size bound is exact: anything less fails. */
	const bool exact = IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS);
	struct offloadmod_status *st;
	struct sk_buff *skb;
	size_t size, room;
	int err;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	test_make_status(st);
	size = offloadmod_status_msg_size(st);

	for (room = 0; room < size; room++) {
		skb = test_alloc_skb(room);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		err = offloadmod_status_fill(skb, st);
		if (exact)
			KUNIT_EXPECT_EQ_MSG(test, err, -EMSGSIZE,
					    "room %zu", room);
		if (err) {
			KUNIT_EXPECT_EQ(test, err, -EMSGSIZE);
			KUNIT_EXPECT_EQ_MSG(test, skb->len, 0U,
					    "room %zu", room);
		}
		kfree_skb(skb);
	}
}

static void max_cgroups_param(struct kunit *test)
{
	static const struct {
		const char *val;
		int err;
		unsigned int want;
	} params[] = {
		{ "1", 0, 1 },
		{ "4096", 0, 4096 },
		{ "1048576", 0, 1048576 },
		{ "0x10", 0, 16 },
		{ "77\n", 0, 77 },
		{ "0", -EINVAL, 0 },
		{ "1048577", -EINVAL, 0 },
		{ "4294967295", -EINVAL, 0 },
		{ "4294967296", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "12abc", -EINVAL, 0 },
	};
	unsigned int value, want;
	struct kernel_param kp = {
		.name = "max_cgroups",
		.ops = &offloadmod_max_cgroups_ops,
		.arg = &value,
	};
	char *buf;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		value = 12345;
		err = offloadmod_max_cgroups_ops.set(params[i].val, &kp);
		KUNIT_EXPECT_EQ_MSG(test, err, params[i].err, "'%s'",
				    params[i].val);
		/* A rejected value leaves the parameter as it was. */
		want = params[i].err ? 12345U : params[i].want;
		KUNIT_EXPECT_EQ_MSG(test, value, want, "'%s'", params[i].val);
	}

	/* ->get() writes into a page, as sysfs gives it. */
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	value = OFFLOADMOD_MAX_CGROUPS_DEFAULT;
	err = offloadmod_max_cgroups_ops.get(buf, &kp);
	KUNIT_EXPECT_EQ(test, err, 5);
	KUNIT_EXPECT_STREQ(test, buf, "4096\n");
}

static void pcpu_sum(struct kunit *test)
{
	struct offloadmod_hook_pcpu __percpu *hooks;
	u64 __percpu *counter;
	u64 want = 0, want_hook[OFFLOADMOD_HOOK_COUNT] = {};
	int cpu, id;

	counter = alloc_percpu(u64);
	KUNIT_ASSERT_NOT_NULL(test, counter);
	KUNIT_EXPECT_EQ(test, offloadmod_pcpu_sum(counter), 0ULL);
	/* Values above 2^32 on every possible CPU, not only online ones. */
	for_each_possible_cpu(cpu) {
		*per_cpu_ptr(counter, cpu) = BIT_ULL(32) + cpu;
		want += BIT_ULL(32) + cpu;
	}
	KUNIT_EXPECT_EQ(test, offloadmod_pcpu_sum(counter), want);
	free_percpu(counter);

	/* Counters of different hooks do not bleed into each other. */
	hooks = alloc_percpu(struct offloadmod_hook_pcpu);
	KUNIT_ASSERT_NOT_NULL(test, hooks);
	for_each_possible_cpu(cpu) {
		for (id = 0; id < OFFLOADMOD_HOOK_COUNT; id++) {
			u64 v = ((u64)(id + 1) << 40) | cpu;

			per_cpu_ptr(hooks, cpu)->invocations[id] = v;
			want_hook[id] += v;
		}
	}
	for (id = 0; id < OFFLOADMOD_HOOK_COUNT; id++)
		KUNIT_EXPECT_EQ_MSG(test,
				    offloadmod_pcpu_sum(&hooks->invocations[id]),
				    want_hook[id], "hook %d", id);
	free_percpu(hooks);
}

static struct kunit_case offloadmod_test_cases[] = {
	KUNIT_CASE(get_status_policy_accepts_empty),
	KUNIT_CASE(get_status_policy_covers_every_attr),
	KUNIT_CASE(get_status_policy_rejects_output_attrs),
	KUNIT_CASE(get_status_policy_rejects_unknown),
	KUNIT_CASE(status_fill_round_trip),
	KUNIT_CASE(status_fill_no_hooks),
	KUNIT_CASE(status_fill_too_small),
	KUNIT_CASE(max_cgroups_param),
	KUNIT_CASE(pcpu_sum),
	{}
};

static struct kunit_suite offloadmod_test_suite = {
	.name = "offloadmod",
	.test_cases = offloadmod_test_cases,
};

kunit_test_suite(offloadmod_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of offloadmod's pure logic");
