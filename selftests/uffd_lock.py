#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold a TCP socket's lock for as long as a test wants, as any user can.

  uffd_lock.py HOST PORT DIR

Connects to HOST:PORT, then sends bulk (128 KiB every 10 ms). For n = 1,
2, ...: once DIR/lock.n exists, it send()s a buffer from memory registered
with userfaultfd and not served. tcp_sendmsg() faults on it while copying
the data in, with the socket's lock held (owned), and stays there: the
socket is locked. DIR/locked.n appears once the fault has arrived. Once
DIR/release.n exists, the memory is served (UFFDIO_ZEROPAGE), that send()
completes and bulk goes on. FUSE gives any user the same; userfaultfd is
simpler to drive. A non-root user needs vm.unprivileged_userfaultfd=1 for
faults taken in the kernel.
"""
import ctypes
import fcntl
import mmap
import os
import select
import socket
import struct
import sys
import threading
import time

NR_USERFAULTFD = 323            # x86_64
UFFD_API = 0xAA
UFFDIO_API = 0xC018AA3F         # _IOWR(0xAA, 0x3F, struct uffdio_api)
UFFDIO_REGISTER = 0xC020AA00    # _IOWR(0xAA, 0x00, struct uffdio_register)
UFFDIO_ZEROPAGE = 0xC020AA04    # _IOWR(0xAA, 0x04, struct uffdio_zeropage)
UFFDIO_REGISTER_MODE_MISSING = 1
UFFD_EVENT_PAGEFAULT = 0x12
LOCKED_BYTES = 64 << 10

libc = ctypes.CDLL(None, use_errno=True)


def uffd_open():
    fd = libc.syscall(NR_USERFAULTFD, os.O_CLOEXEC | os.O_NONBLOCK)
    if fd < 0:
        sys.exit("userfaultfd: %s" % os.strerror(ctypes.get_errno()))
    fcntl.ioctl(fd, UFFDIO_API, bytearray(struct.pack("QQQ", UFFD_API, 0, 0)))
    return fd


def wait_for(path):
    while not os.path.exists(path):
        time.sleep(0.02)


def hold(sock, uffd, d, n):
    """One round: send from unserved memory until DIR/release.n."""
    mem = mmap.mmap(-1, LOCKED_BYTES, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(mem))
    fcntl.ioctl(uffd, UFFDIO_REGISTER, bytearray(
        struct.pack("QQQQ", addr, LOCKED_BYTES,
                    UFFDIO_REGISTER_MODE_MISSING, 0)))

    def serve():
        while not select.select([uffd], [], [], 0.5)[0]:
            pass
        msg = os.read(uffd, 32)
        if msg[0] == UFFD_EVENT_PAGEFAULT:
            open(os.path.join(d, "locked.%d" % n), "w").close()
        wait_for(os.path.join(d, "release.%d" % n))
        fcntl.ioctl(uffd, UFFDIO_ZEROPAGE, bytearray(
            struct.pack("QQQq", addr, LOCKED_BYTES, 0, 0)))

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    # The GIL is released during the system call: serve() runs meanwhile.
    sock.sendall(memoryview(mem))
    t.join()


def connect(host, port):
    """The test starts its sink beside us: retry until it listens (60 s)."""
    end = time.monotonic() + 60
    while True:
        try:
            return socket.create_connection((host, port), timeout=None)
        except ConnectionRefusedError:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def main():
    host, port, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    uffd = uffd_open()
    sock = connect(host, port)
    open(os.path.join(d, "connected"), "w").close()
    block = b"x" * (128 << 10)
    n = 1
    end = time.monotonic() + 600
    while time.monotonic() < end:
        if os.path.exists(os.path.join(d, "lock.%d" % n)):
            hold(sock, uffd, d, n)
            n += 1
        sock.sendall(block)
        time.sleep(0.01)


if __name__ == "__main__":
    try:
        main()
    except (ConnectionResetError, BrokenPipeError):
        pass    # the test's sink went away: its cleanup
