# SPDX-License-Identifier: GPL-2.0
"""A minimal generic netlink client on raw sockets, for the selftests.

Deliberately independent of libnl and of offloadmod-ctl: it builds every
byte itself so tests can send malformed messages, and reads the kernel's
extended ACK (message and offending-attribute offset).
"""
import errno
import os
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
CTRL_ATTR_VERSION = 3
CTRL_ATTR_OPS = 6
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_OP_ID = 1
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NLA_F_NESTED = 0x8000


def align4(n):
    return (n + 3) & ~3


def nla(atype, payload):
    """One attribute, padded."""
    hdr = struct.pack("HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (align4(len(payload)) - len(payload))


def nla_str(atype, s):
    return nla(atype, s.encode() + b"\0")


def parse_attrs(buf):
    """{type: [payload, ...]} of a flat attribute stream."""
    out = {}
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("HH", buf, off)
        if alen < 4 or off + alen > len(buf):
            raise ValueError("malformed attribute at %d" % off)
        out.setdefault(atype & ~NLA_F_NESTED, []).append(buf[off + 4:off + alen])
        off += align4(alen)
    return out


def as_str(b):
    return b.split(b"\0", 1)[0].decode()


def as_u8(b):
    return struct.unpack("B", b[:1])[0]


def as_u32(b):
    return struct.unpack("I", b[:4])[0]


def as_u64(b):
    return struct.unpack("Q", b[:8])[0]


class NetlinkError(Exception):
    def __init__(self, err, msg, offset):
        super().__init__("%s (%s), extack=%r offset=%r" %
                         (errno.errorcode.get(err, err), os.strerror(err),
                          msg, offset))
        self.errno = err
        self.extack = msg
        self.offset = offset


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1

    def close(self):
        self.sock.close()

    def raw_request(self, family, cmd, version, payload, flags=0,
                    genl_hdr=True):
        """Send a request built from parts; return the reply messages.

        Raises NetlinkError on an error ACK. Returns (replies, request
        bytes) so callers can check the offset of a rejected attribute.
        """
        self.seq += 1
        body = (struct.pack("BBH", cmd, version, 0) if genl_hdr else b"") + payload
        msg = struct.pack("IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0) + body
        self.sock.send(msg)
        replies = []
        while True:
            data = self.sock.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, seq, _ = struct.unpack_from("IHHII", data, off)
                part = data[off:off + mlen]
                off += align4(mlen)
                if seq != self.seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("i", part, 16)[0]
                    if err == 0:
                        return replies, msg
                    ext_msg = ext_off = None
                    if mflags & NLM_F_ACK_TLVS:
                        # nlmsgerr = error + the request's header (capped).
                        tlv = parse_attrs(part[16 + 4 + 16:])
                        if NLMSGERR_ATTR_MSG in tlv:
                            ext_msg = as_str(tlv[NLMSGERR_ATTR_MSG][0])
                        if NLMSGERR_ATTR_OFFS in tlv:
                            ext_off = as_u32(tlv[NLMSGERR_ATTR_OFFS][0])
                    raise NetlinkError(err, ext_msg, ext_off)
                if mtype == NLMSG_DONE:
                    return replies, msg
                replies.append(part[16:])

    def request(self, family, cmd, version, attrs=b"", flags=0):
        replies, _ = self.raw_request(family, cmd, version, attrs, flags)
        return [(struct.unpack_from("BBH", r)[0], parse_attrs(r[4:]))
                for r in replies]

    def resolve(self, name):
        """(family id, version, set of op ids) of a genl family by name."""
        (cmd, attrs), = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                                     nla_str(CTRL_ATTR_FAMILY_NAME, name))
        ops = set()
        for nest in attrs.get(CTRL_ATTR_OPS, []):
            for op in parse_attrs(nest).values():
                ops.add(as_u32(parse_attrs(op[0])[CTRL_ATTR_OP_ID][0]))
        return (struct.unpack("H", attrs[CTRL_ATTR_FAMILY_ID][0][:2])[0],
                as_u32(attrs[CTRL_ATTR_VERSION][0]), ops)

    def mcast_groups(self, name):
        """{group name: group id} of a genl family by name."""
        (cmd, attrs), = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                                     nla_str(CTRL_ATTR_FAMILY_NAME, name))
        groups = {}
        for nest in attrs.get(CTRL_ATTR_MCAST_GROUPS, []):
            for grp in parse_attrs(nest).values():
                g = parse_attrs(grp[0])
                groups[as_str(g[CTRL_ATTR_MCAST_GRP_NAME][0])] = \
                    as_u32(g[CTRL_ATTR_MCAST_GRP_ID][0])
        return groups
