#!/usr/bin/env python3
"""The Linux end of the TCP tests: bulk transfers that hash what they move,
and many connections at once.

    tcp_peer.py send HOST PORT BYTES   connect, send BYTES of random data,
                                       half-close, wait for the peer to close
    tcp_peer.py recv PORT              accept one connection on PORT (every
                                       address), read it to the end, close
    tcp_peer.py echo HOST PORT BYTES   send BYTES to an echo server while
                                       reading the echo back; both hashes
                                       must match
    tcp_peer.py many HOST PORT COUNT   open COUNT connections to an echo
                                       server, all at once, each sending
                                       its own line and reading it back

Each prints one line of results (bytes, seconds, MB/s, SHA-256) that the
calling test compares with the image's; exit status 1 on a mismatch.
A stall of STALL seconds on any socket is a failure, so a run is bounded
(the caller bounds the whole with timeout(1) as well)."""
import hashlib
import os
import socket
import sys
import threading
import time

STALL = 30  # seconds without progress on a socket
CHUNK = 65536


def rate(nbytes, seconds):
    return f"{seconds:.2f} s ({nbytes / 1e6 / max(seconds, 1e-9):.1f} MB/s)"


def connect(host, port):
    return socket.create_connection((host, int(port)), timeout=STALL)


def send_random(sock, nbytes, digest):
    """Send nbytes of fresh random data (a misplaced segment always shows
    in the hash), then half-close."""
    done = 0
    while done < nbytes:
        block = os.urandom(min(CHUNK, nbytes - done))
        digest.update(block)
        sock.sendall(block)
        done += len(block)
    sock.shutdown(socket.SHUT_WR)


def read_to_end(sock, digest):
    total = 0
    while True:
        block = sock.recv(1 << 20)
        if not block:
            return total
        digest.update(block)
        total += len(block)


def cmd_send(host, port, nbytes):
    nbytes = int(nbytes)
    sock = connect(host, port)
    digest = hashlib.sha256()
    start = time.monotonic()
    send_random(sock, nbytes, digest)
    # The receiver closes once it has read everything: only then is every
    # byte known to have arrived.
    if sock.recv(1) != b"":
        sys.exit("send: the receiver sent data instead of closing")
    print(f"sent {nbytes} bytes in {rate(nbytes, time.monotonic() - start)} "
          f"sha256 {digest.hexdigest()}")


def cmd_recv(port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", int(port)))
    listener.listen(1)
    listener.settimeout(STALL)
    print(f"listening on port {port}", flush=True)
    sock, peer = listener.accept()
    sock.settimeout(STALL)
    digest = hashlib.sha256()
    start = time.monotonic()
    total = read_to_end(sock, digest)
    elapsed = time.monotonic() - start
    sock.close()
    print(f"received {total} bytes from {peer[0]} in {rate(total, elapsed)} "
          f"sha256 {digest.hexdigest()}")


def cmd_echo(host, port, nbytes):
    nbytes = int(nbytes)
    sock = connect(host, port)
    sent, got = hashlib.sha256(), hashlib.sha256()
    failure = []

    def sender():
        try:
            send_random(sock, nbytes, sent)
        except OSError as e:
            failure.append(e)

    start = time.monotonic()
    thread = threading.Thread(target=sender)
    thread.start()
    total = read_to_end(sock, got)
    thread.join()
    elapsed = time.monotonic() - start
    if failure:
        sys.exit(f"echo: sending failed: {failure[0]}")
    if total != nbytes or got.digest() != sent.digest():
        sys.exit(f"echo: sent {nbytes} bytes sha256 {sent.hexdigest()}, "
                 f"got back {total} bytes sha256 {got.hexdigest()}")
    print(f"echoed {nbytes} bytes both ways at once in {rate(nbytes, elapsed)} "
          f"sha256 {sent.hexdigest()}")


def cmd_many(host, port, count):
    count = int(count)
    start = time.monotonic()
    socks = [connect(host, port) for _ in range(count)]
    opened = time.monotonic() - start
    # Every connection is open before any sends: the server holds them
    # all at once. Lines differ in content and length.
    lines = [f"connection {i} {'x' * (i % 97)}\n".encode() for i in range(count)]
    for sock, line in zip(socks, lines):
        sock.sendall(line)
    for i, (sock, line) in enumerate(zip(socks, lines)):
        back = b""
        while len(back) < len(line):
            block = sock.recv(len(line) - len(back))
            if not block:
                sys.exit(f"many: connection {i} closed after {len(back)} "
                         f"of {len(line)} bytes")
            back += block
        if back != line:
            sys.exit(f"many: connection {i} echoed {back!r}, sent {line!r}")
    for sock in socks:
        sock.close()
    print(f"{count} connections open at once, each echoed its own line; "
          f"connecting took {opened:.2f} s, all {time.monotonic() - start:.2f} s")


COMMANDS = {"send": (cmd_send, 3), "recv": (cmd_recv, 1),
            "echo": (cmd_echo, 3), "many": (cmd_many, 3)}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS or \
            len(argv) - 2 != COMMANDS[argv[1]][1]:
        sys.exit(__doc__)
    try:
        COMMANDS[argv[1]][0](*argv[2:])
    except OSError as e:  # a refusal, a reset or a stall
        sys.exit(f"{argv[1]}: {e}")


if __name__ == "__main__":
    main(sys.argv)
