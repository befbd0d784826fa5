#!/usr/bin/env python3
"""Hand-made DHCP messages a stock client does not send on demand.

usage: dhcp_probe.py DEVICE reboot ADDR     expects a NAK
       dhcp_probe.py DEVICE inform SERVER   expects an ACK without a lease

reboot: a REQUEST with ADDR as the requested address and no server id
(RFC 2131's INIT-REBOOT), broadcast; the server must refuse an address
that is another client's. inform: an INFORM from DEVICE's address to
SERVER; the answer must be an ACK with options but no address and no
lease time. Prints what came back; exit 0 when it is what is expected.
"""
import fcntl
import os
import socket
import struct
import sys

SIOCGIFHWADDR = 0x8927
NAK, ACK, REQUEST, INFORM = 6, 5, 3, 8


def mac_of(dev):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        info = fcntl.ioctl(s.fileno(), SIOCGIFHWADDR,
                           struct.pack('256s', dev.encode()[:15]))
    return info[18:24]


def message(kind, mac, ciaddr=b'\0' * 4, options=b''):
    xid = os.getpid() & 0xffffffff
    fixed = struct.pack('>BBBBIHH', 1, 1, 6, 0, xid, 0, 0x8000)
    fixed += ciaddr + b'\0' * 12 + mac + b'\0' * 10 + b'\0' * 192
    return xid, (fixed + b'\x63\x82\x53\x63' + bytes([53, 1, kind]) +
                 options + b'\xff')


def options_of(reply):
    out, i = {}, 240
    while i < len(reply) and reply[i] != 255:
        if reply[i] == 0:
            i += 1
            continue
        out[reply[i]] = reply[i + 2:i + 2 + reply[i + 1]]
        i += 2 + reply[i + 1]
    return out


def main(dev, action, addr):
    mac = mac_of(dev)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('', 68))
    s.settimeout(3)
    if action == 'reboot':
        xid, msg = message(REQUEST, mac,
                           options=bytes([50, 4]) + socket.inet_aton(addr))
        s.sendto(msg, ('255.255.255.255', 67))
    else:
        own = socket.inet_aton(os.popen(
            f"ip -4 -o addr show dev {dev}").read().split()[3].split('/')[0])
        xid, msg = message(INFORM, mac, ciaddr=own)
        s.sendto(msg, (addr, 67))
    while True:
        reply = s.recv(2048)
        if reply[0] == 2 and struct.unpack('>I', reply[4:8])[0] == xid:
            break
    opts = options_of(reply)
    kind = opts.get(53, b'\0')[0]
    yiaddr = socket.inet_ntoa(reply[16:20])
    print(f'reply type {kind}, yiaddr {yiaddr}, options {sorted(opts)}')
    if action == 'reboot':
        return 0 if kind == NAK else 1
    return 0 if kind == ACK and yiaddr == '0.0.0.0' and 51 not in opts \
        and 1 in opts else 1


if __name__ == '__main__':
    if len(sys.argv) != 4 or sys.argv[2] not in ('reboot', 'inform'):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
