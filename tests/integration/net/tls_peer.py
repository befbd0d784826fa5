#!/usr/bin/env python3
"""Misbehaving TLS clients for the https tests:
  tls_peer.py garbage HOST PORT   start a handshake, then send bytes that
                                  are not TLS; print what came back
  tls_peer.py no-close HOST PORT CAFILE NAME
                                  fetch / over TLS, then drop the TCP
                                  connection without close_notify"""
import os
import socket
import ssl
import sys

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == 'garbage':
    s = socket.create_connection((host, port), timeout=10)
    # A handshake record header that promises a ClientHello, then junk.
    s.sendall(bytes([22, 3, 1, 0, 64, 1, 0, 0, 60]) + b'\xee' * 60)
    try:
        reply = s.recv(100)
    except OSError as e:
        reply = str(e).encode()
    # The server answers with an alert (type 21) or just closes.
    print('reply:', reply[:1].hex() or 'closed')
elif mode == 'no-close':
    ctx = ssl.create_default_context(cafile=sys.argv[4])
    s = ctx.wrap_socket(socket.create_connection((host, port), timeout=10),
                        server_hostname=sys.argv[5])
    s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    print('got', len(s.recv(4096)), 'bytes over', s.version())
    sys.stdout.flush()
    os._exit(0)  # the kernel closes the socket: no close_notify
else:
    sys.exit('usage: see the docstring')
