"""A network namespace of the harness's own, for the latency study: the
TAP devices and veth pairs it makes live and die there, and the host's
network is never touched. Entering it moves the whole harness (and what
it starts from then on); leaving returns to the host's namespace, and the
study's namespace goes away with everything in it once its servers are
gone."""
import os
import subprocess

from . import host, syscalls


class Namespace:
    def __enter__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        syscalls.unshare(syscalls.CLONE_NEWNET)
        ip("link", "set", "lo", "up")
        return self

    def __exit__(self, *exc):
        syscalls.setns(self.home, syscalls.CLONE_NEWNET)
        os.close(self.home)


def ip(*args, netns_of=None):
    """Run ip(8), in the network namespace of process netns_of if given;
    raises OSError with ip's complaint when it fails."""
    argv = [host.tool("ip")] + list(args)
    if netns_of:
        argv = [host.tool("nsenter"), f"--net=/proc/{netns_of}/ns/net"] + argv
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise OSError(f"{' '.join(args)}: {done.stderr.strip()}")


def tap(name, address):
    """A TAP device, up, with the host side's address (ADDR/PREFIX)."""
    ip("tuntap", "add", "dev", name, "mode", "tap")
    ip("addr", "add", address, "dev", name)
    ip("link", "set", name, "up")


def veth(name, peer, address):
    """A veth pair, name up with address, peer left for another namespace."""
    ip("link", "add", name, "type", "veth", "peer", "name", peer)
    ip("addr", "add", address, "dev", name)
    ip("link", "set", name, "up")
