#!/usr/bin/env python3
"""A Ctrl-C that reaches unilab-kvm while the guest is still in its
exception handler must stop the guest once it is back in its own code,
even when that code then runs without a single exit.

The client stops the debugee at a breakpoint in its busy loop (line 51 of
tests/images/debugee/main.c, found with gdb), removes the breakpoint and
sends "continue" and the interrupt byte in one write: the monitor sees the
Ctrl-C before the guest has left its #BP handler. The guest must stop with
SIGINT within seconds, not spin until the monitor's --timeout.

    interrupt_return.py BUILD_ROOT MONITOR
"""
import os
import re
import shutil
import socket
import subprocess
import sys

from raw_packets import SANITIZER_REPORTS, Client, no_kvm, packet, run, start

LOOP_LINE = "main.c:51"  # the first line of spin()'s loop, once per run
STOP_WAIT = 10           # seconds: a stop comes at once, or never


def loop_address(image):
    out = subprocess.run(["gdb", "-batch", "-ex", f"info line {LOOP_LINE}",
                          image], capture_output=True, text=True).stdout
    m = re.search(r"starts at address (0x[0-9a-f]+)", out)
    assert m, f"gdb found no code for {LOOP_LINE}: {out!r}"
    return int(m.group(1), 16)


def main():
    build, monitor = sys.argv[1:3]
    why = no_kvm() or (not shutil.which("gdb") and
                       "gdb is not installed (apt-get install gdb)")
    if why:
        print(f"SKIP: {why}")
        return 77

    addr = loop_address(os.path.join(build,
                                     "tests/images/debugee/debugee.kvm"))
    proc, first, port = start(build, monitor, ["spin"])
    c = Client(port)
    try:
        assert c.ask("?").startswith("T05")
        assert c.ask(f"Z0,{addr:x},1") == "OK"
        c.send(packet("c"))
        acks, stop = c.reply()
        assert stop.startswith("T05"), f"not the breakpoint: {stop!r}"
        assert c.ask(f"z0,{addr:x},1") == "OK"
        c.send(packet("c") + b"\x03")
        c.sock.settimeout(STOP_WAIT)
        try:
            acks, stop = c.reply()
        except socket.timeout:
            raise AssertionError(f"no stop {STOP_WAIT} s after the Ctrl-C: "
                                 "the guest spins on") from None
        assert stop.startswith("T02"), f"not a SIGINT stop: {stop!r}"
        c.sock.settimeout(20)
        c.send(packet("k"))
    finally:
        c.sock.close()
    out, _ = proc.communicate(timeout=30)
    out = first + out.decode(errors="replace")
    print(out)
    assert not SANITIZER_REPORTS.search(out), "sanitizer report"
    assert proc.returncode == 118, f"exit status {proc.returncode}, want 118"
    print("ok: the Ctrl-C stopped the spinning guest")
    return 0


if __name__ == "__main__":
    run(main)
