"""The servers the latency study talks to, each on a /24 of its own inside
the study's network namespace: Unilab's echo and httpd apps on a TAP each
(posix and kvm backends), busybox httpd and udp_echo in a crun container
on a veth pair, and the same two in a Linux VM on a TAP. A server is its
processes, the addresses of its UDP echo and its HTTP service, and what
must run to stop it."""
import dataclasses
import json
import os
import signal
import socket
import subprocess
import time

from . import container, host, linux_vm, netns, probes
from .case import Skipped

KIB = 1024
UNILAB_MEMORY = "32M"   # posix heap and kvm guest memory: room for clients
READY_TIMEOUT = 180.0   # a Linux VM under TCG takes its time to boot


class Subnets:
    """10.77.N.0/24, one per device: the host side is .1, the server .2."""

    def __init__(self):
        self.next = 1

    def take(self):
        n, self.next = self.next, self.next + 1
        return n, f"10.77.{n}.1/24", f"10.77.{n}.2"


@dataclasses.dataclass
class Server:
    name: str
    what: str
    udp: tuple = None     # (address, port) of its UDP echo
    http: tuple = None    # (address, port) of its HTTP service
    notes: dict = dataclasses.field(default_factory=dict)
    processes: list = dataclasses.field(default_factory=list)
    stops: list = dataclasses.field(default_factory=list)  # argv to run

    def spawn(self, argv, log):
        """Start argv in the background, its output to the file log."""
        with open(log, "ab") as out:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.processes.append((process, log))
        return process

    def check(self):
        """Raise probes.Failure if one of its processes has ended."""
        for process, log in self.processes:
            if process.poll() is not None:
                with open(log, errors="replace") as f:
                    tail = f.read()[-1500:]
                raise probes.Failure(f"{os.path.basename(process.args[0])} "
                                     f"ended with status {process.returncode}"
                                     f":\n{tail}")

    def stop(self):
        for argv in self.stops:
            subprocess.run(argv, capture_output=True, timeout=30)
        for process, _ in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _answers_udp(address):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        try:
            s.sendto(probes.PAYLOAD, address)
            return s.recv(2048) == probes.PAYLOAD
        except OSError:
            return False


def _answers_tcp(address):
    try:
        socket.create_connection(address, timeout=0.2).close()
        return True
    except OSError:
        return False


def wait_ready(server):
    """Wait until both services answer; raises probes.Failure if a process
    ends or READY_TIMEOUT passes first."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        server.check()
        if _answers_udp(server.udp) and _answers_tcp(server.http):
            return
        time.sleep(0.2)
    raise probes.Failure(f"no answer after {READY_TIMEOUT:g} s")


def unilab(settings, case, subnets, logs):
    """Unilab's echo and httpd apps on the backend of case (hello.posix or
    hello.kvm): each image on a TAP of its own."""
    backend = case.name.split(".")[1]
    server = Server(name=backend, what=f"Unilab's echo and httpd apps on "
                                       f"the {backend} backend, over a TAP")
    images = {app: settings.path("apps", app, f"{app}.{backend}")
              for app in ("echo", "httpd")}
    for image in images.values():
        if not os.path.exists(image):
            return Skipped(backend, case.kind, f"{image} is not built")
    for app, image in images.items():
        n, host_side, address = subnets.take()
        tap = f"ubt{n}"
        netns.tap(tap, host_side)
        options = [f"--net=tap:{tap}", f"--mem={UNILAB_MEMORY}"]
        if backend == "posix":
            argv = [image] + options
        else:
            argv = [case.argv[0]] + options + [image]
        server.spawn(argv + [f"ip={address}/24"],
                     os.path.join(logs, f"{backend}-{app}.log"))
        if app == "echo":
            server.udp = (address, 7)
        else:
            server.http = (address, 80)
    return server


def _udp_echo(settings):
    return settings.path("bench", "udp_echo")


def _unbuilt(settings, case, name):
    """A Skipped if the baselines' udp_echo is not built, else None."""
    path = _udp_echo(settings)
    if os.access(path, os.X_OK):
        return None
    return Skipped(name, case.kind, f"{path} is not built")


def page(settings):
    """The page every HTTP server serves: the one Unilab's httpd has."""
    return os.path.join(settings.source, "apps", "httpd", "www", "hello.json")


def crun(settings, case, subnets, logs):
    """busybox httpd and udp_echo in a container that crun runs, reached
    through a veth pair whose far end goes into the container's network
    namespace once it exists."""
    runtime = case.argv[0]
    skipped = _unbuilt(settings, case, "crun")
    if skipped:
        return skipped
    bundle = container.server_bundle(settings, _udp_echo(settings),
                                     page(settings))
    ident = f"unibench-server-{os.getpid()}"
    server = Server(name="crun", what="busybox httpd and a UDP echo in a "
                                      "crun container, over a veth pair",
                    notes=dict(case.notes))
    server.spawn([runtime, "run", "--bundle", bundle, ident],
                 os.path.join(logs, "crun.log"))
    server.stops = [[runtime, "kill", ident, "KILL"],
                    [runtime, "delete", "--force", ident]]
    try:
        pid = _container_pid(server, runtime, ident)
        n, host_side, address = subnets.take()
        netns.veth(f"ubv{n}", f"ubc{n}", host_side)
        netns.ip("link", "set", f"ubc{n}", "netns", str(pid))
        netns.ip("addr", "add", f"{address}/24", "dev", f"ubc{n}",
                 netns_of=pid)
        netns.ip("link", "set", f"ubc{n}", "up", netns_of=pid)
    except (OSError, probes.Failure):
        server.stop()
        raise
    server.udp, server.http = (address, 7), (address, 80)
    return server


def _container_pid(server, runtime, ident):
    """The container's first process, once crun has started it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        server.check()
        state = subprocess.run([runtime, "state", ident], capture_output=True,
                               text=True)
        if state.returncode == 0 and json.loads(state.stdout).get(
                "status") == "running":
            return json.loads(state.stdout)["pid"]
        time.sleep(0.05)
    raise probes.Failure("the container did not start")


def linux(settings, case, subnets, logs):
    """busybox httpd and udp_echo in the Linux VM of the linux-vm case, its
    virtio-net on a TAP."""
    skipped = _unbuilt(settings, case, "linux-vm")
    if skipped:
        return skipped
    n, host_side, address = subnets.take()
    tap = f"ubt{n}"
    netns.tap(tap, host_side)
    server = Server(name="linux-vm",
                    what=f"busybox httpd and a UDP echo in a Linux VM "
                         f"({case.notes['accelerator'].upper()}), over a TAP",
                    notes=dict(case.notes))
    server.spawn(linux_vm.server_command(settings, case, tap, address,
                                         _udp_echo(settings), page(settings)),
                 os.path.join(logs, "linux-vm.log"))
    server.udp, server.http = (address, 7), (address, 80)
    return server


def requirements():
    """Why the study cannot make its network here, or None."""
    if not host.is_root():
        return "the latency study needs root (network namespace, TAP)"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun (TAP devices)"
    for tool, package in (("ip", "iproute2"), ("nsenter", "util-linux")):
        if not host.tool(tool):
            return f"{tool} is not installed ({package})"
    return None
