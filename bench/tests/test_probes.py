"""Unit tests of the latency study's client: reading HTTP responses, and
the kernel-module order the Linux VM's initramfs loads."""
import lzma
import os
import socket
import tempfile
import unittest

from unibench import kmodules, probes


class Response(unittest.TestCase):
    def read(self, *chunks):
        """_response over a socket that delivers chunks, then closes."""
        ours, theirs = socket.socketpair()
        with ours:
            with theirs:
                for chunk in chunks:
                    theirs.sendall(chunk)
            return probes._response(ours)

    def test_kept_alive_response_with_pipelined_bytes(self):
        keep, extra = self.read(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n",
                                b"\r\nhelloHTTP/1.1")
        self.assertTrue(keep)
        self.assertEqual(extra, b"HTTP/1.1")

    def test_body_split_across_reads(self):
        keep, extra = self.read(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n"
                                b"\r\n01234", b"56789")
        self.assertEqual((keep, extra), (True, b""))

    def test_close_and_http10_end_keep_alive(self):
        keep, _ = self.read(b"HTTP/1.1 200 OK\r\nConnection: close\r\n"
                            b"Content-Length: 2\r\n\r\nok")
        self.assertFalse(keep)
        keep, _ = self.read(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        self.assertFalse(keep)
        keep, _ = self.read(b"HTTP/1.1 200 OK\r\n\r\nbody to the end")
        self.assertFalse(keep)

    def test_errors(self):
        with self.assertRaisesRegex(probes.Failure, "404"):
            self.read(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        with self.assertRaisesRegex(probes.Failure, "before a response"):
            self.read(b"HTTP/1.1 200 OK\r\n")
        with self.assertRaisesRegex(probes.Failure, "inside a body"):
            self.read(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort")


class Tls(unittest.TestCase):
    def test_a_server_that_is_not_tls_is_a_failure(self):
        """A TCP server that closes at once: the handshake fails with a
        Failure that names the address, not an ssl exception."""
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            target = listener.getsockname() + (probes.tls_context(None),)
            with self.assertRaisesRegex(probes.Failure,
                                        "TLS handshake with 127.0.0.1"):
                probes.tls_handshakes(target, 1)


class Modules(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.TemporaryDirectory()
        base = os.path.join(self.root.name, "1.0")
        os.makedirs(os.path.join(base, "k"))
        with open(os.path.join(base, "modules.dep"), "w") as f:
            f.write("k/net.ko: k/fail.ko k/virtio.ko k/ring.ko\n"
                    "k/virtio.ko: k/ring.ko\n"
                    "k/mmio.ko: k/virtio.ko k/ring.ko\n"
                    "k/fail.ko:\n"
                    "k/ring.ko:\n"
                    "k/x-y.ko.xz:\n")
        with open(os.path.join(base, "k", "x-y.ko.xz"), "wb") as f:
            f.write(lzma.compress(b"module bytes"))

    def tearDown(self):
        self.root.cleanup()

    def test_each_module_after_what_it_needs(self):
        order = kmodules.load_order("1.0", ["mmio", "net"], self.root.name)
        self.assertEqual(order, ["k/ring.ko", "k/virtio.ko", "k/mmio.ko",
                                 "k/fail.ko", "k/net.ko"])

    def test_names_and_compression(self):
        path, = kmodules.load_order("1.0", ["x_y"], self.root.name)
        self.assertEqual(kmodules.contents("1.0", path, self.root.name),
                         b"module bytes")
        with self.assertRaisesRegex(ValueError, "no module"):
            kmodules.load_order("1.0", ["missing"], self.root.name)


if __name__ == "__main__":
    unittest.main()
