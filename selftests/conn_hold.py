#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold many idle TCP connections, both ends, in one process.

  conn_hold.py N PORT READY

Listens on 127.0.0.1:PORT and PORT+1 (in the caller's network namespace),
makes N connections to them, alternately, and accepts each, so that 2 * N
established sockets exist, all in the caller's cgroup; raises
RLIMIT_NOFILE for them (root). Two listeners, so that more connections
than one address has ephemeral ports fit (raise ip_local_port_range too).
Then writes READY ("N SECONDS": connections made, time it took) and sleeps
until killed. Loopback connect() completes the handshake before it returns,
so one connection at a time is as fast as it gets.
"""
import os
import resource
import socket
import sys
import time


def main():
    n, port, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    want = 2 * n + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    lsts = []
    for p in (port, port + 1):
        lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lst.bind(("127.0.0.1", p))
        lst.listen(4096)
        lsts.append(lst)
    held = []
    start = time.monotonic()
    for i in range(n):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(("127.0.0.1", port + i % 2))
        s, _ = lsts[i % 2].accept()
        held.append(c)
        held.append(s)
    took = time.monotonic() - start
    with open(ready + ".tmp", "w") as f:
        f.write("%d %.1f\n" % (n, took))
    os.rename(ready + ".tmp", ready)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
