// SPDX-License-Identifier: GPL-2.0
/*
 * The existing sockets of a cgroup and its descendants, for a policy just
 * set there (or deleted under an ancestor's), at a cost in proportion to
 * the cgroup rather than to the host's sockets. The model is
 * net/core/netprio_cgroup.c, which on attach updates the sockets in the
 * files of the cgroup's tasks (iterate_fd()).
 *
 * Modules cannot iterate a cgroup's tasks (css_task_iter_*() are not
 * exported), so the walk goes over the host's thread-group leaders by pid
 * number (the initial pid namespace's IDR under RCU, resumable from any
 * number, as /proc's readdir does) and only looks at each one's cgroup: a
 * few pointer reads up the cgroup's ancestry (cgroup_is_descendant()). Only
 * the files of tasks inside the cgroup are looked at, with iterate_fd()
 * under the task's and its file table's spinlocks, a bounded batch per
 * hold; the walk yields after each task and each batch. A socket is taken
 * when it is TCP, in a sending state (or connecting: sockpolicy.h) and its
 * own cgroup (sk_cgrp_data, where it was created) is inside; it is then
 * synced without waiting for its lock (offloadmod_sock_try_sync(); if its
 * user holds it, it gets an unsynced record that the worker retries).
 *
 * Not reached (docs/POLICY.md): a socket created inside the cgroup that no
 * task inside holds (its process moved out, or it was passed over a unix
 * socket); the file table of a thread that unshared its own
 * (CLONE_FILES), other than its group leader's. Sockets with a record
 * under an ancestor's policy are not affected: the ancestor's records are
 * synced again when a policy appears below it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/idr.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "compat/sock.h"
#include "sockpolicy.h"

/* Sockets taken per lock hold, and file table slots looked at. */
#define OFFLOADMOD_SCAN_BATCH	32
#define OFFLOADMOD_SCAN_FILES	1024

struct offloadmod_fdscan {
	struct cgroup *root;
	unsigned int next_fd;	/* where the next batch starts */
	unsigned int files;	/* looked at in this batch */
	unsigned int n;
	struct sock *batch[OFFLOADMOD_SCAN_BATCH];	/* referenced */
};

/* Would a policy of @root govern @sk? */
static bool offloadmod_scan_wants(struct sock *sk, struct cgroup *root)
{
	return sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6) &&
	       ((1 << READ_ONCE(sk->sk_state)) & OFFLOADMOD_PASS_STATES) &&
	       cgroup_is_descendant(sock_cgroup_ptr(&sk->sk_cgrp_data), root);
}

/*
 * iterate_fd() callback, under task_lock() and the file table's lock: a
 * file in the table holds its socket, so sock->sk is stable here.
 * Returns non-zero to end the batch.
 */
static int offloadmod_scan_file(const void *arg, struct file *file,
				unsigned int fd)
{
	struct offloadmod_fdscan *s = (struct offloadmod_fdscan *)arg;
	struct socket *sock = offloadmod_sock_from_file(file);

	s->next_fd = fd + 1;
	if (sock && sock->sk && offloadmod_scan_wants(sock->sk, s->root)) {
		sock_hold(sock->sk);
		s->batch[s->n++] = sock->sk;
	}
	return s->n == OFFLOADMOD_SCAN_BATCH ||
	       ++s->files == OFFLOADMOD_SCAN_FILES;
}

static void offloadmod_scan_task(struct task_struct *task,
				 struct cgroup *root,
				 struct offloadmod_sockrec **spare)
{
	struct offloadmod_fdscan s = { .root = root };
	unsigned int i;
	int more;

	do {
		s.n = 0;
		s.files = 0;
		more = 0;
		task_lock(task);
		if (task->files)
			more = iterate_fd(task->files, s.next_fd,
					  offloadmod_scan_file, &s);
		task_unlock(task);
		for (i = 0; i < s.n; i++) {
			offloadmod_sock_try_sync(s.batch[i], spare);
			sock_put(s.batch[i]);
		}
		cond_resched();
	} while (more);
}

/**
 * offloadmod_sockpolicy_scan_cgroup() - sync the sockets of a cgroup's tasks
 * @root: the cgroup; its descendants are included
 * @spare: the caller's spare record (see offloadmod_sock_try_sync())
 *
 * Context: process, may sleep; no lock held.
 */
void offloadmod_sockpolicy_scan_cgroup(struct cgroup *root,
				       struct offloadmod_sockrec **spare)
{
	struct task_struct *task;
	struct pid *pid;
	int nr = 1;

	for (;; nr++) {
		rcu_read_lock();
		pid = idr_get_next(&init_pid_ns.idr, &nr);
		task = pid ? pid_task(pid, PIDTYPE_TGID) : NULL;
		if (task && cgroup_is_descendant(task_dfl_cgroup(task), root))
			get_task_struct(task);
		else
			task = NULL;
		rcu_read_unlock();
		if (!pid)
			break;
		if (task) {
			offloadmod_scan_task(task, root, spare);
			put_task_struct(task);
		}
		cond_resched();
	}
}
