#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP sender/receiver for stats_paths.sh, with exact counts.

  stats_paths.py serve ADDR PORT COUNT    receive COUNT datagrams on an
                                          unconnected socket, print the count
  stats_paths.py send ADDR PORT COUNT     send COUNT datagrams, unconnected
"""
import socket
import sys
import time

mode, addr, port, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
if mode == "serve":
    s.bind((addr, port))
    s.settimeout(20)
    got = 0
    try:
        while got < count:
            s.recvfrom(2048)
            got += 1
    except socket.timeout:
        pass
    print(got)
else:
    for _ in range(count):
        s.sendto(b"x" * 200, (addr, port))
        time.sleep(0.002)
