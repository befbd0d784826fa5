#!/usr/bin/env python3
"""Malformed DNS queries against a server, then a good one.

usage: dns_garbage.py SERVER [PORT]

Asks what is not served (a zone transfer, opcodes other than QUERY) and
expects NOTIMP. Sends hand-made bad queries (compression loops, pointers past the end,
labels past the end, counts that lie, reserved label types, two OPT
records, a truncated header) and a batch of random and mutated ones. Each
must get FORMERR (or another error code) or no answer at all, never a
well-formed NOERROR; after them a good query must still be answered, and
its answer must use name compression. Exit 0 when all of that holds.
"""
import random
import socket
import struct
import sys

SERVER = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 53


def header(qd=1, an=0, ns=0, ar=0, flags=0, qid=0x1234):
    return struct.pack('>HHHHHH', qid, flags, qd, an, ns, ar)


def qname(name):
    out = b''
    for label in name.split('.'):
        out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def question(name, qtype=1):
    return qname(name) + struct.pack('>HH', qtype, 1)


def ask(sock, data, wait=0.3):
    """The server's answer to data, or None for silence."""
    sock.sendto(data, (SERVER, PORT))
    sock.settimeout(wait)
    try:
        return sock.recv(65535)
    except socket.timeout:
        return None


def rcode(answer):
    return answer[3] & 0xf


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


BAD = {
    'a header cut short': header()[:7],
    'no question': header(qd=0),
    'two questions': header(qd=2) + question('example.test') * 2,
    'a label past the end': header() + b'\x3fabc',
    'a pointer to itself': header() + b'\xc0\x0c' + b'\0\x01\0\x01',
    'a pointer forwards': header() + b'\xc0\x20' + b'\0' * 30,
    'a pointer loop': header() + b'\x01a\xc0\x0e\xc0\x0c\0\x01\0\x01',
    'a pointer past the end': header() + b'\xff\xff\0\x01\0\x01',
    'a reserved label type': header() + b'\x80abc\0\0\x01\0\x01',
    'no type and class': header() + qname('example.test'),
    'an answer count that lies': header(an=5) + question('example.test'),
    'an additional count that lies': header(ar=200) + question('example.test'),
    'two OPT records': header(ar=2) + question('example.test') +
    (b'\0\0\x29\x04\xd0\0\0\0\0\0\0') * 2,
    'an OPT rdlength past the end': header(ar=1) + question('example.test') +
    b'\0\0\x29\x04\xd0\0\0\0\0\xff\xff',
    'a name over 255 bytes': header() + (b'\x3f' + b'a' * 63) * 5 +
    b'\0\0\x01\0\x01',
}


NOT_DONE = {
    'AXFR': header() + question('example.test', 252),
    'IXFR': header() + question('example.test', 251),
    'opcode STATUS': header(flags=2 << 11) + question('example.test'),
    'opcode NOTIFY': header(flags=4 << 11) + question('example.test'),
}


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for what, data in NOT_DONE.items():
        a = ask(sock, data, wait=3)
        if a is None or rcode(a) != 4:
            fail('%s: want NOTIMP, got %r' % (what, a))
        print('ok: %s: NOTIMP' % what)
    for what, data in BAD.items():
        a = ask(sock, data)
        if a is not None and (len(a) < 12 or rcode(a) == 0):
            fail('%s: answered %r' % (what, a))
        print('ok: %s: %s' % (what, 'silence' if a is None
                                  else 'rcode %d' % rcode(a)))
    rng = random.Random(1035)
    good = header(ar=1) + question('www.example.test') + \
        b'\0\0\x29\x04\xd0\0\0\0\0\0\0'
    answered = 0
    for i in range(3000):
        if i % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        else:
            data = bytearray(good)
            for _ in range(rng.randrange(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data[:rng.randrange(len(data) + 1)])
        a = ask(sock, data, wait=0.002)
        answered += a is not None
    print('ok: 3000 random and mutated queries sent, %d answers seen'
          % answered)
    # Drain late answers, then the server must still work.
    sock.settimeout(0.5)
    try:
        while sock.recv(65535):
            pass
    except socket.timeout:
        pass
    a = ask(sock, header(qid=0x4242) + question('www.example.test'), wait=3)
    if a is None or a[:2] != b'\x42\x42' or rcode(a) != 0:
        fail('no good answer after the garbage: %r' % a)
    if b'\xc0\x0c' not in a:
        fail('the answer does not compress its names: %r' % a)
    print('ok: still answers, with compressed names (%d bytes)' % len(a))


if __name__ == '__main__':
    main()
