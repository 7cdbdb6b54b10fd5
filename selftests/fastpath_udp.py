#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP ground truth for selftests/fastpath.sh (the tool is not asked).

  fastpath_udp.py recv ADDR PORT SECONDS   prints datagrams received
  fastpath_udp.py send ADDR PORT COUNT RATE  prints datagrams sent
"""
import socket
import sys
import time


def main():
    mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if mode == "recv":
        s.bind((addr, port))
        s.settimeout(float(sys.argv[4]))
        n = 0
        # Ready: the sender waits for this line.
        print("ready", flush=True)
        try:
            while True:
                data = s.recv(2048)
                if data == b"END":
                    break
                n += 1
        except socket.timeout:
            pass
        print(n, flush=True)
        return
    count, rate = int(sys.argv[4]), float(sys.argv[5])
    sent = 0
    start = time.monotonic()
    for i in range(count):
        s.sendto(b"x" * 200, (addr, port))
        sent += 1
        delay = start + (i + 1) / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    time.sleep(0.2)
    for _ in range(3):
        s.sendto(b"END", (addr, port))
    print(sent, flush=True)


if __name__ == "__main__":
    main()
