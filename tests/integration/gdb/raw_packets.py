#!/usr/bin/env python3
"""Talk to unilab-kvm's gdb stub byte by byte, as a broken or hostile
client would: noise, bad checksums, oversized, malformed and unknown
packets, and a client that hangs up without a word. The stub must answer
each as the protocol says and the guest must then run to its end; the
monitor is the ASan+UBSan one, so any memory error fails the test.

    raw_packets.py BUILD_ROOT MONITOR
"""
import os
import re
import socket
import subprocess
import sys

SANITIZER_REPORTS = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")


def packet(payload):
    data = payload.encode("latin-1") if isinstance(payload, str) else payload
    return b"$" + data + b"#%02x" % (sum(data) % 256)


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def byte(self):
        while not self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError("the stub closed the connection")
            self.buf += chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def reply(self):
        """The next packet's payload, checking its framing; acks before
        it are returned too, as a prefix string of '+' and '-'."""
        acks = b""
        while (b := self.byte()) != b"$":
            assert b in b"+-", f"noise from the stub: {b!r}"
            acks += b
        data = b""
        while (b := self.byte()) != b"#":
            data += b
        checksum = self.byte() + self.byte()
        assert int(checksum, 16) == sum(data) % 256, "bad checksum from the stub"
        return acks.decode(), data.decode("latin-1")

    def ask(self, payload, acked=True):
        self.send(packet(payload))
        acks, data = self.reply()
        assert acks == ("+" if acked else ""), f"{payload!r}: acks {acks!r}"
        return data


def no_kvm():
    """Why /dev/kvm cannot be used, or None."""
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        return f"cannot open /dev/kvm: {e.strerror}"
    return None


def start(build, monitor, args=()):
    """The monitor on the debugee, waiting for gdb: it, its first line of
    output and the port it waits on."""
    image = os.path.join(build, "tests/images/debugee/debugee.kvm")
    proc = subprocess.Popen([monitor, "--gdb=0", "--timeout=60", image,
                             *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    first = proc.stdout.readline().decode()
    m = re.search(r"127\.0\.0\.1:(\d+)", first)
    assert m, f"no port in {first!r}"
    return proc, first, int(m.group(1))


def finish(proc, first):
    out, _ = proc.communicate(timeout=60)
    out = first + out.decode(errors="replace")
    print(out)
    assert not SANITIZER_REPORTS.search(out), "sanitizer report"
    assert proc.returncode == 14, f"exit status {proc.returncode}, want 14"
    assert "counter 14" in out, "the guest did not run to its end"
    assert "gdb detached" in out
    return out


def hostile_session(c):
    c.send(b"\x00\xffnoise before any packet+-")
    assert c.ask("?").startswith("T05thread:1;")
    # A corrupted packet is NAKed, so that gdb sends it again.
    c.send(b"$?#00")
    assert c.byte() == b"-"
    # An oversized one cannot be helped by sending it again: refused.
    assert c.ask("m" * 5000) == "E5a"
    for unknown in ("qFooBar", "vFoo;1", "!", "bc", "Qx=1", "\x7f\x80"):
        assert c.ask(unknown) == "", f"{unknown!r} got a reply"
    for malformed in ("mzz,4", "m20000", "M20000,2:zz00", "X20000,4:ab",
                      "Z0", "Z7,20000,1", "P0=12", "p999", "Hgzz",
                      "qXfer:features:read:target.xml:zz",
                      "m" + "f" * 40 + ",4"):
        r = c.ask(malformed)
        assert re.fullmatch(r"E[0-9a-f]{2}", r), f"{malformed!r}: {r!r}"
    # Reads of unmapped memory fail; the NULL page is not mapped.
    assert c.ask("m0,8") == "E0e"
    assert re.fullmatch(r"[0-9a-f]{8}", c.ask("m20000,4"))
    # A Ctrl-C while stopped is ignored.
    c.send(b"\x03")
    assert c.ask("QStartNoAckMode") == "OK"
    assert c.ask("qC", acked=False) == "QC1"
    assert c.ask("m20000," + "f" * 16, acked=False)  # cut to the packet size


def main():
    build, monitor = sys.argv[1:3]
    why = no_kvm()
    if why:
        print(f"SKIP: {why}")
        return 77

    # 1: a hostile client that detaches properly at the end.
    proc, first, port = start(build, monitor)
    c = Client(port)
    hostile_session(c)
    assert c.ask("D", acked=False) == "OK"
    finish(proc, first)

    # 2: a client that hangs up in the middle of a packet.
    proc, first, port = start(build, monitor)
    c = Client(port)
    assert c.ask("qSupported:swbreak+").startswith("PacketSize=")
    c.send(b"$m20000,4#")
    c.sock.close()
    finish(proc, first)
    print("ok")
    return 0


def run(main):
    """Exit with main's status; a failed check is status 1."""
    try:
        sys.exit(main())
    except (AssertionError, EOFError, OSError, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e!r}")
        sys.exit(1)


if __name__ == "__main__":
    run(main)
