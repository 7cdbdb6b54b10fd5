#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bulk TCP and what it looks like on the wire, for the policy tests.

  sink PORT                       accept TCP connections (IPv4 and IPv6)
                                  and discard what they send
  send HOST PORT SECONDS          write 128 KiB at a time, paced to
                                  $OFFLOADMOD_BULK_MBIT (default 25): each
                                  burst fills the congestion window, which
                                  keeps growing, so the stack builds 64 KiB
                                  super-packets unless a policy stops it,
                                  while an emulated CPU keeps room for the
                                  test itself; --ready FILE once connected
  source PORT                     accept TCP connections and send bulk to
                                  each, as `send` does (accepted sockets)
  drain HOST PORT                 connect and read until closed
  capture IFACE SRC SECONDS       a packet socket on IFACE: frames whose
                                  IPv4/IPv6 source is SRC; prints JSON
                                  {"frames", "max", "over": {LIMIT: n}}
                                  for --limit LIMIT (repeatable); --ready
                                  FILE once listening; with --mark FILE
                                  only frames from 1 s after FILE appears
                                  count (a change must show within 1 s);
                                  --stop FILE ends it early; --words prints
                                  "FRAMES MAX OVER..." (one count per
                                  --limit, in order) instead of JSON, for
                                  a shell to read without another Python
  busypoll HOST PORT FILE         connect, then write the socket's own
                                  SO_BUSY_POLL to FILE every 50 ms

The frame length is the skb's length as the packet socket sees it on the
veth (a GSO super-packet is one frame), from recvfrom(MSG_TRUNC).
"""
import argparse
import json
import os
import select
import socket
import struct
import sys
import threading
import time

ETH_P_ALL = 0x0003
SO_BUSY_POLL = 46


def sink(port):
    srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    srv.bind(("::", port))
    srv.listen(64)

    def drain(c):
        with c:
            while c.recv(1 << 20):
                pass

    while True:
        c, _ = srv.accept()
        threading.Thread(target=drain, args=(c,), daemon=True).start()


def connect(host, port):
    for _ in range(100):
        try:
            return socket.create_connection((host, port), timeout=5)
        except OSError:
            time.sleep(0.1)
    sys.exit("cannot connect to %s port %d" % (host, port))


def bulk(s, seconds):
    block = b"x" * (128 << 10)
    mbit = float(os.environ.get("OFFLOADMOD_BULK_MBIT") or 25)
    gap = len(block) * 8 / (mbit * 1e6)
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            s.sendall(block)
            time.sleep(gap)
    except OSError:
        pass
    s.close()


def send(host, port, seconds, ready):
    s = connect(host, port)
    if ready:
        open(ready, "w").close()
    bulk(s, seconds)


def source(port):
    srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    srv.bind(("::", port))
    srv.listen(64)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=bulk, args=(c, 3600), daemon=True).start()


def drain(host, port):
    s = connect(host, port)
    while s.recv(1 << 20):
        pass


def src_of(frame):
    """IPv4/IPv6 source address of an Ethernet frame, as text, or None."""
    if len(frame) < 14:
        return None
    etype = struct.unpack_from("!H", frame, 12)[0]
    if etype == 0x0800 and len(frame) >= 34:
        return socket.inet_ntop(socket.AF_INET, frame[26:30])
    if etype == 0x86DD and len(frame) >= 54:
        return socket.inet_ntop(socket.AF_INET6, frame[22:38])
    return None


def capture(iface, src, seconds, limits, ready, mark, stop, words):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    if ready:
        open(ready, "w").close()
    from_time = None
    frames = biggest = 0
    over = {lim: 0 for lim in limits}
    head = bytearray(128)
    # With a mark, wait for it (up to a minute), then count SECONDS.
    end = time.monotonic() + (60 if mark else seconds)
    while True:
        left = end - time.monotonic()
        if left <= 0 or (stop and os.path.exists(stop)):
            break
        if not select.select([s], [], [], min(left, 0.2))[0]:
            continue
        # The headers are enough; with MSG_TRUNC the kernel returns the
        # frame's real length.
        length, addr = s.recvfrom_into(head, len(head), socket.MSG_TRUNC)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if src_of(bytes(head[:min(length, len(head))])) != src:
            continue
        if mark and from_time is None and os.path.exists(mark):
            from_time = time.monotonic() + 1.0
            end = from_time + seconds
        if mark and (from_time is None or time.monotonic() < from_time):
            continue
        frames += 1
        biggest = max(biggest, length)
        for lim in limits:
            if length > lim:
                over[lim] += 1
    if words:
        print(frames, biggest, *(over[lim] for lim in limits))
        return
    print(json.dumps({"frames": frames, "max": biggest,
                      "over": {str(k): v for k, v in over.items()}}))


def busypoll(host, port, path):
    s = connect(host, port)
    while True:
        v = struct.unpack("i", s.getsockopt(socket.SOL_SOCKET, SO_BUSY_POLL,
                                            4))[0]
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % v)
        os.rename(tmp, path)
        time.sleep(0.05)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("sink")
    a.add_argument("port", type=int)
    a = sub.add_parser("send")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a.add_argument("seconds", type=float)
    a.add_argument("--ready")
    a = sub.add_parser("capture")
    a.add_argument("iface")
    a.add_argument("src")
    a.add_argument("seconds", type=float)
    a.add_argument("--limit", type=int, action="append", default=[])
    a.add_argument("--ready")
    a.add_argument("--mark")
    a.add_argument("--stop", help="end early once this file exists")
    a.add_argument("--words", action="store_true")
    a = sub.add_parser("source")
    a.add_argument("port", type=int)
    a = sub.add_parser("drain")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a = sub.add_parser("busypoll")
    a.add_argument("host")
    a.add_argument("port", type=int)
    a.add_argument("file")
    args = p.parse_args()
    if args.mode == "sink":
        sink(args.port)
    elif args.mode == "send":
        send(args.host, args.port, args.seconds, args.ready)
    elif args.mode == "capture":
        capture(args.iface, args.src, args.seconds, args.limit, args.ready,
                args.mark, args.stop, args.words)
    elif args.mode == "source":
        source(args.port)
    elif args.mode == "drain":
        drain(args.host, args.port)
    else:
        busypoll(args.host, args.port, args.file)


if __name__ == "__main__":
    main()
