#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Small, rate-limited workloads for the per-cgroup stats selftests.

Each one is its own ground truth: it prints (on stdout, one "key value"
line each) what it did, measured by itself, never by the module.

  udp-send DST PORT COUNT [--payload B] [--burst K] [--gap S]
      send COUNT datagrams of B bytes, K at a time, sleeping S between
      bursts; prints "sent N".
  udp-recv ADDR PORT [--expect N] [--idle S] [--first S] [--ready FILE]
      bind, touch FILE, read until N datagrams came or none for --idle
      seconds (--first for the first one); prints "received N".
  rxwait udp|tcp SLEEP COUNT [--spin-ms M]
      over loopback: COUNT times send one message, wait SLEEP seconds
      after send() returned (sleeping, then spinning for the last M ms,
      default 5, for precision), read it; prints "reads N" and
      "median_ns" of send-return-to-read-return.
  waker PERIOD DURATION [--cpu C]
      sleep PERIOD in a loop for DURATION seconds (pinned to CPU C);
      prints "wakeups N".
  hog DURATION [--cpu C]
      busy loop for DURATION seconds (pinned to CPU C).

Every one takes --started FILE: touched once the work is under way (first
datagram sent or received, first message, first loop), so a test can wait
for a slow start (seconds on the debug kernel under load); and --until
FILE: stop early once FILE exists (udp-recv ignores it: it stops on its
own once the datagrams stop).
"""
import argparse
import os
import socket
import statistics
import time


def pin(cpu):
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})


def stopped(a):
    """--until FILE exists: stop early (what was done is still printed)."""
    return a.until is not None and os.path.exists(a.until)


def started(a):
    """Touch --started FILE (once): the workload is under way."""
    if a.started:
        open(a.started, "w").close()
        a.started = None


def udp_send(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    data = b"x" * a.payload
    sent = 0
    while sent < a.count and not stopped(a):
        for _ in range(min(a.burst, a.count - sent)):
            s.sendto(data, (a.dst, a.port))
            sent += 1
            started(a)
        time.sleep(a.gap)
    print("sent", sent, flush=True)


def udp_recv(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((a.addr, a.port))
    if a.ready:
        open(a.ready, "w").close()
    s.settimeout(a.first)
    n = 0
    while a.expect is None or n < a.expect:
        if n == 1:
            s.settimeout(a.idle)
        try:
            s.recv(65536)
        except socket.timeout:
            break
        n += 1
        started(a)
    print("received", n, flush=True)


def rxwait(a):
    if a.proto == "udp":
        r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        r.bind(("127.0.0.1", 0))
        w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        w.connect(r.getsockname())
    else:
        lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lst.bind(("127.0.0.1", 0))
        lst.listen(1)
        w = socket.create_connection(lst.getsockname())
        w.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        r, _ = lst.accept()
    # Wait S precisely: sleep most of it, spin the rest (plain sleeps
    # overshoot by milliseconds on a slow VM). t0 is taken after send()
    # returns, when the message has been stamped and queued.
    wait_ns = int(a.sleep * 1e9)
    nap = max(0.0, a.sleep - min(a.spin / 1000, a.sleep / 4))
    waits, lo, hi = [], [], []
    for _ in range(a.count):
        if stopped(a):
            break
        ts = time.monotonic_ns()
        w.send(b"m" * 64)
        t0 = time.monotonic_ns()
        started(a)
        time.sleep(nap)
        while time.monotonic_ns() - t0 < wait_ns:
            pass
        tr = time.monotonic_ns()
        got = r.recv(4096)
        t1 = time.monotonic_ns()
        waits.append(t1 - t0)
        # The kernel queued the message during send() and handed it over
        # during recv(): its own wait lies in [tr - t0, t1 - ts]. On a slow
        # kernel TCP's recv() alone (it acks from there) takes a millisecond.
        lo.append(tr - t0)
        hi.append(t1 - ts)
        assert len(got) == 64, len(got)
    print("reads", len(waits))
    print("lo_median_ns", int(statistics.median(lo)))
    print("hi_median_ns", int(statistics.median(hi)))
    print("median_ns", int(statistics.median(waits)), flush=True)


def waker(a):
    pin(a.cpu)
    n = 0
    end = time.monotonic() + a.duration
    while time.monotonic() < end and not stopped(a):
        started(a)
        time.sleep(a.period)
        n += 1
    print("wakeups", n, flush=True)


def hog(a):
    pin(a.cpu)
    end = time.monotonic() + a.duration
    started(a)
    while time.monotonic() < end and not stopped(a):
        for _ in range(10000):
            pass


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("udp-send")
    c.add_argument("dst")
    c.add_argument("port", type=int)
    c.add_argument("count", type=int)
    c.add_argument("--payload", type=int, default=100)
    c.add_argument("--burst", type=int, default=10)
    c.add_argument("--gap", type=float, default=0.01)
    c.set_defaults(fn=udp_send)
    c = sub.add_parser("udp-recv")
    c.add_argument("addr")
    c.add_argument("port", type=int)
    c.add_argument("--expect", type=int)
    c.add_argument("--idle", type=float, default=5.0)
    c.add_argument("--first", type=float, default=120.0)
    c.add_argument("--ready")
    c.set_defaults(fn=udp_recv)
    c = sub.add_parser("rxwait")
    c.add_argument("proto", choices=["udp", "tcp"])
    c.add_argument("sleep", type=float)
    c.add_argument("count", type=int)
    c.add_argument("--spin-ms", dest="spin", type=float, default=5.0)
    c.set_defaults(fn=rxwait)
    c = sub.add_parser("waker")
    c.add_argument("period", type=float)
    c.add_argument("duration", type=float)
    c.add_argument("--cpu", type=int)
    c.set_defaults(fn=waker)
    c = sub.add_parser("hog")
    c.add_argument("duration", type=float)
    c.add_argument("--cpu", type=int)
    c.set_defaults(fn=hog)
    for c in sub.choices.values():
        c.add_argument("--started", metavar="FILE",
                       help="touch FILE once the workload is under way")
        c.add_argument("--until", metavar="FILE",
                       help="stop early once FILE exists")
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
