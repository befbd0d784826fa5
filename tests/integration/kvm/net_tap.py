#!/usr/bin/env python3
"""The kvm backend's network over a real TAP device, with the Linux stack
as the peer, in a network namespace this test makes and removes.

    net_tap.py MONITOR DEVICES_IMAGE

The guest (devices.kvm net-echo) answers ARP for its address, which the
kernel's own ARP must learn (a UDP datagram to the guest makes it ask), and echoes frames of a
test EtherType, which a raw socket sends and checks. Also checked: the
monitor's errors for a missing TAP and for one that is down. Needs root
and /dev/kvm; exits 77 (skip) without them."""
import os
import socket
import struct
import subprocess
import sys
import time

HOST_IP, GUEST_IP = "10.77.0.1", "10.77.0.2"
TAP = "ulkvmtap0"
ETH_TEST = 0x88B5
PACKET_OUTGOING = 4


def run(*cmd, check=True):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def skip_reason():
    if os.geteuid() != 0:
        return "needs root to make a network namespace and a TAP device"
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        return f"cannot open /dev/kvm: {e.strerror}"
    if run("ip", "netns", "list", check=False).returncode != 0:
        return "the ip command cannot manage network namespaces"
    return None


def check_tap_errors(monitor, image):
    """A missing or down TAP is refused with the fix in the message."""
    p = run(monitor, "--net=tap:nosuchtap0", image, "net-echo", GUEST_IP,
            check=False)
    assert p.returncode == 122 and "ip tuntap add" in p.stdout, p.stdout
    run("ip", "tuntap", "add", "dev", TAP, "mode", "tap")
    p = run(monitor, f"--net=tap:{TAP}", image, "net-echo", GUEST_IP,
            check=False)
    assert p.returncode == 122 and f"ip link set {TAP} up" in p.stdout, \
        p.stdout
    print("ok: a missing and a down TAP are refused with the fix")


def wait_for_line(proc, text, seconds):
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"guest never said {text!r}: {''.join(seen)}")


def check_arp():
    """The kernel asks who has GUEST_IP (to send it a datagram); only the
    guest can answer."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        udp.sendto(b"who are you", (GUEST_IP, 9))
        neigh = run("ip", "neigh", "show", GUEST_IP, "dev", TAP).stdout
        if "lladdr" in neigh:
            break
        time.sleep(0.1)
    assert "lladdr 02:75:6c:" in neigh, f"kernel did not learn the guest: {neigh}"
    print(f"ok: the kernel learned the guest's address: {neigh.strip()}")
    return bytes.fromhex(neigh.split("lladdr ")[1].split()[0].replace(":", ""))


def echo(sock, my_mac, guest_mac, payload):
    frame = guest_mac + my_mac + struct.pack("!H", ETH_TEST) + payload
    sock.send(frame)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        sock.settimeout(deadline - time.monotonic())
        data, addr = sock.recvfrom(65536)
        if addr[2] == PACKET_OUTGOING or data[12:14] != frame[12:14]:
            continue
        assert data[:6] == my_mac and data[6:12] == guest_mac, "bad addresses"
        assert data[14:] == payload, "payload changed on the way"
        return
    raise AssertionError(f"no echo of a {len(frame)}-byte frame")


def inside(monitor, image):
    run("ip", "link", "set", "lo", "up")
    check_tap_errors(monitor, image)
    run("ip", "link", "set", TAP, "up")
    run("ip", "addr", "add", f"{HOST_IP}/24", "dev", TAP)
    guest = subprocess.Popen([monitor, "--timeout=30", f"--net=tap:{TAP}",
                              image, "net-echo", GUEST_IP],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    try:
        wait_for_line(guest, "net ready", 10)
        guest_mac = check_arp()
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                             socket.htons(ETH_TEST))
        sock.bind((TAP, 0))
        my_mac = sock.getsockname()[4]
        for size in (46, 500, 1500):
            echo(sock, my_mac, guest_mac, bytes(i % 251 for i in range(size)))
        print("ok: frames of 60, 514 and 1514 bytes came back intact")
        echo(sock, my_mac, guest_mac, b"quit" + bytes(42))
        out, _ = guest.communicate(timeout=10)
        assert guest.returncode == 0 and "net done" in out, \
            f"guest ended with {guest.returncode}: {out}"
    finally:
        if guest.poll() is None:
            guest.kill()
    print("ok: the guest ended cleanly")


def main():
    monitor, image = sys.argv[1:3]
    if len(sys.argv) > 3 and sys.argv[3] == "--inside":
        inside(monitor, image)
        return 0
    why = skip_reason()
    if why:
        print(f"SKIP: {why}")
        return 77
    ns = f"ulkvm-test-{os.getpid()}"
    run("ip", "netns", "add", ns)
    try:
        p = subprocess.run(["ip", "netns", "exec", ns, sys.executable,
                            __file__, monitor, image, "--inside"])
        return p.returncode
    finally:
        run("ip", "netns", "del", ns, check=False)


if __name__ == "__main__":
    sys.exit(main())
