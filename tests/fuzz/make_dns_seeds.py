#!/usr/bin/env python3
"""Write the dns fuzz target's seed corpus (tests/fuzz/corpus-dns/).

A seed is one byte saying what follows (fuzz_dns.c: even, a query; 2 set,
over TCP; odd, a zone file) and then the query or the file. The zone
seeds are the app's own zones and a small one with every syntax feature;
run this again after changing them.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ZONES = os.path.join(HERE, '..', '..', 'apps', 'dns', 'zones')
OUT = os.path.join(HERE, 'corpus-dns')

SMALL_ZONE = b'''$ORIGIN z.test.
$TTL 1d2h
@ IN 300 SOA ns hm ( 1 2h 15m
   2w 5m ) ; comment
  NS ns
ns A 10.0.0.1
  AAAA ::ffff:10.0.0.1
a\\.b TXT "x\\"y" \\065
c CNAME a\\.b
_s._udp SRV 1 2 3 ns.z.test.
m MX 5 @
'''


def qname(name):
    return b''.join(bytes([len(p)]) + p.encode() for p in name.split('.')) + b'\0'


def query(name, qtype, edns=None, qid=7):
    q = struct.pack('>HHHHHH', qid, 0, 1, 0, 0, 1 if edns else 0)
    q += qname(name) + struct.pack('>HH', qtype, 1)
    if edns:
        q += b'\0' + struct.pack('>HHIH', 41, edns, 0, 0)
    return q


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        'q_a.bin': b'\0' + query('example.test', 1),
        'q_cname_chain.bin': b'\0' + query('www.example.test', 1),
        'q_mx_edns.bin': b'\0' + query('example.test', 15, edns=1232),
        'q_referral.bin': b'\0' + query('x.sub.example.test', 1),
        'q_nxdomain.bin': b'\0' + query('nope.example.test', 28),
        'q_many_udp.bin': b'\0' + query('many.example.test', 1),
        'q_many_tcp.bin': b'\2' + query('many.example.test', 255),
        'q_ptr.bin': b'\0' + query('1.2.0.192.in-addr.arpa', 12),
        'zone_small.bin': b'\1' + SMALL_ZONE,
    }
    for f in sorted(os.listdir(ZONES)):
        with open(os.path.join(ZONES, f), 'rb') as src:
            seeds['zone_' + f.replace('.zone', '') + '.bin'] = b'\1' + src.read()
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
