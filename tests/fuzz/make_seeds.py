#!/usr/bin/env python3
"""Write the fuzz target's seed corpus (tests/fuzz/corpus/*.bin).

Each seed is a script for fuzz_frame.c: records [ctl][len hi][len lo]
[frame]. Checksums are left to ctl 0x01 where the seed wants them right,
so mutations keep reaching the layers above IP. Run it again after
changing the records below; the files are kept in the tree.
"""
import os
import struct

OUR_MAC = bytes([2, 0, 0, 0, 0, 2])
PEER_MAC = bytes([2, 0, 0, 0, 0, 1])
BCAST = b'\xff' * 6
OUR_IP = bytes([10, 0, 0, 2])
PEER_IP = bytes([10, 0, 0, 1])

FIX, ACK, TIME, APP = 0x01, 0x02, 0x04, 0x08


def record(ctl, frame):
    return bytes([ctl]) + struct.pack('>H', len(frame)) + frame


def eth(payload, etype=0x0800, dst=OUR_MAC):
    return dst + PEER_MAC + struct.pack('>H', etype) + payload


def ip(proto, payload, src=PEER_IP, dst=OUR_IP, ident=1, frag=0):
    hdr = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident,
                      frag, 64, proto, 0, src, dst)
    return eth(hdr + payload)


def arp(op, tpa, sha=PEER_MAC, spa=PEER_IP):
    return eth(struct.pack('>HHBBH6s4s6s4s', 1, 0x0800, 6, 4, op, sha, spa,
                           b'\0' * 6, tpa), 0x0806, BCAST)


def udp(sport, dport, data):
    return ip(17, struct.pack('>HHHH', sport, dport, 8 + len(data), 0) + data)


def tcp(sport, dport, seq, ack, flags, data=b'', opts=b'', wnd=65535):
    off = (20 + len(opts)) // 4
    hdr = struct.pack('>HHIIBBHHH', sport, dport, seq, ack, off << 4, flags,
                      wnd, 0, 0)
    return ip(6, hdr + opts + data)


def icmp_echo(ident, seq, data):
    return ip(1, struct.pack('>BBHHH', 8, 0, 0, ident, seq) + data)


SYN, FINF, RSTF, PSH, ACKF = 0x02, 0x01, 0x04, 0x08, 0x10
SYN_OPTS = bytes([2, 4, 5, 0xb4, 1, 3, 3, 7])


def dhcp_offer():
    fixed = bytearray(240)
    fixed[0:3] = b'\x02\x01\x06'
    fixed[16:20] = OUR_IP
    fixed[28:34] = OUR_MAC
    fixed[236:240] = b'\x63\x82\x53\x63'
    opts = bytes([53, 1, 2, 54, 4]) + PEER_IP + bytes([51, 4, 0, 0, 14, 16,
                                                        1, 4, 255, 255, 255,
                                                        0, 255])
    return bytes(fixed) + opts


def dns_answer():
    q = b'\x07example\x04test\x00\x00\x01\x00\x01'
    hdr = struct.pack('>HHHHHH', 0x1234, 0x8180, 1, 1, 0, 0)
    ans = b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, 60, 4) + bytes([1, 2, 3, 4])
    return hdr + q + ans


SEEDS = {
    'arp_request': [record(0, arp(1, OUR_IP))],
    'arp_reply': [record(0, eth(struct.pack('>HHBBH6s4s6s4s', 1, 0x0800, 6,
                                            4, 2, PEER_MAC, PEER_IP, OUR_MAC,
                                            OUR_IP), 0x0806))],
    'icmp_echo': [record(FIX, icmp_echo(7, 1, b'abcdefgh' * 7))],
    'udp_echo': [record(FIX | APP, udp(5000, 7, b'hello udp'))],
    'udp_closed_port': [record(FIX, udp(5000, 9999, b'nobody'))],
    'unknown_proto': [record(FIX, ip(99, b'\0' * 16))],
    'tcp_syn': [record(FIX, tcp(40000, 80, 1000, 0, SYN, opts=SYN_OPTS))],
    'tcp_rst_closed': [record(FIX, tcp(40001, 81, 5, 0, RSTF))],
    'tcp_session': [
        record(FIX, tcp(40002, 80, 1000, 0, SYN, opts=SYN_OPTS)),
        record(FIX | ACK | APP, tcp(40002, 80, 1001, 0, ACKF)),
        record(FIX | ACK | APP, tcp(40002, 80, 1001, 0, ACKF | PSH,
                                    b'GET / HTTP/1.1\r\n\r\n')),
        record(FIX | ACK | APP, tcp(40002, 80, 1020, 0, ACKF | FINF)),
        record(FIX | ACK | TIME | 0x70, tcp(40002, 80, 1021, 0, ACKF)),
    ],
    'tcp_out_of_order': [
        record(FIX, tcp(40003, 80, 5000, 0, SYN, opts=SYN_OPTS)),
        record(FIX | ACK, tcp(40003, 80, 5001, 0, ACKF)),
        record(FIX | ACK, tcp(40003, 80, 5011, 0, ACKF, b'second....')),
        record(FIX | ACK | APP, tcp(40003, 80, 5001, 0, ACKF, b'first.....')),
        record(FIX | ACK, tcp(40003, 80, 5021, 0, RSTF)),
    ],
    'tcp_client_synack': [
        record(FIX | ACK | APP, tcp(8080, 50000, 7000, 0, SYN | ACKF,
                                    opts=SYN_OPTS)),
    ],
    'tcp_timers': [
        record(FIX, tcp(40004, 80, 9000, 0, SYN, opts=SYN_OPTS)),
        record(FIX | TIME | 0x70, tcp(40004, 80, 9001, 0, ACKF)),
    ],
    'fragments': [
        record(FIX, ip(1, struct.pack('>BBHHH', 8, 0, 0, 1, 1) + b'x' * 16,
                       ident=77, frag=0x2000)),
        record(FIX, ip(1, b'y' * 16, ident=77, frag=3)),
    ],
    'fragment_overlap': [
        record(FIX, ip(17, b'a' * 24, ident=78, frag=0x2000)),
        record(FIX, ip(17, b'b' * 24, ident=78, frag=0x2000 | 2)),
    ],
    'dhcp_offer': [record(FIX, udp(67, 68, dhcp_offer()))],
    'dns_answer': [record(FIX, udp(53, 33333, dns_answer()))],
    'bad_ip_header': [record(0, ip(6, b'\0' * 20)[:14 + 10])],
    'vlan_frame': [record(0, eth(b'\0' * 46, 0x8100))],
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
    os.makedirs(out, exist_ok=True)
    for name, records in SEEDS.items():
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(b''.join(records))


if __name__ == '__main__':
    main()
