#!/usr/bin/env python3
"""run-qemu.sh's go-between for gdb and the image's stub on COM2.

    gdb_relay.py PORT SOCKET

Listens for gdb on 127.0.0.1:PORT and for QEMU's COM2 (a chardev socket
client) on the Unix socket SOCKET, and passes bytes both ways, one gdb at
a time. A serial line cannot tell the image that gdb has gone, but this
relay can: when a gdb's connection ends without a detach or kill, it sends
the stub what a detaching gdb would (a Ctrl-C, which stops a running
image, then "D"), so the image runs on instead of waiting for a gdb that
will never speak again, as unilab-kvm's guests do. It ends when QEMU
closes COM2.
"""
import os
import selectors
import socket
import sys

# What gdb sends to leave: a Ctrl-C (ignored by a stub already stopped)
# and the detach packet, "$D#" and its checksum.
DETACH = b"\x03$D#44"
# Packets after which gdb has left by itself: detach, kill.
GOODBYES = (b"D", b"k", b"vKill")


class Client:
    """One gdb's connection, and the start of its latest packet."""

    def __init__(self, sock):
        self.sock = sock
        self.last = b""

    def saw(self, data):
        start = data.rfind(b"$")
        if start >= 0:
            self.last = data[start + 1:start + 6]
        elif len(self.last) < 5:
            self.last += data[:5 - len(self.last)]

    def said_goodbye(self):
        return self.last.startswith(GOODBYES)


def serve(listener, com2):
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "listener")
    sel.register(com2, selectors.EVENT_READ, "com2")
    client = None

    def hang_up():
        nonlocal client
        sel.unregister(client.sock)
        client.sock.close()
        if not client.said_goodbye():
            com2.sendall(DETACH)
        client = None

    while True:
        for key, _ in sel.select():
            if key.data == "listener":
                sock, _ = listener.accept()
                if client:  # one gdb at a time, as on a real line
                    sock.close()
                    continue
                client = Client(sock)
                sel.register(sock, selectors.EVENT_READ, "client")
            elif key.data == "com2":
                data = com2.recv(4096)
                if not data:
                    return 0  # QEMU has ended
                if client:
                    try:
                        client.sock.sendall(data)
                    except OSError:
                        hang_up()
            elif client:
                try:
                    data = client.sock.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    hang_up()
                    continue
                client.saw(data)
                com2.sendall(data)


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    port, path = int(sys.argv[1]), sys.argv[2]
    try:
        listener = socket.create_server(("127.0.0.1", port))
    except OSError as e:
        print(f"run-qemu.sh: --gdb={port}: cannot listen on "
              f"127.0.0.1:{port}: {os.strerror(e.errno)}", file=sys.stderr)
        return 2
    # The path appears only once it accepts: run-qemu.sh waits for it.
    waiting = socket.socket(socket.AF_UNIX)
    waiting.bind(path + ".new")
    waiting.listen(1)
    os.rename(path + ".new", path)
    com2, _ = waiting.accept()  # QEMU, once, as it starts
    waiting.close()
    os.unlink(path)
    try:
        return serve(listener, com2)
    except OSError:
        return 0  # QEMU went in the middle of a write


if __name__ == "__main__":
    sys.exit(main())
