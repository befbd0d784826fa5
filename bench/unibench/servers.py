"""The servers the latency study talks to, each on a /24 of its own inside
the study's network namespace: Unilab's echo and httpd apps (HTTP, and
HTTPS with --https) on a TAP each (posix and kvm backends), busybox httpd
and udp_echo in a crun container on a veth pair, the same two in a Linux
VM on a TAP, and nginx as a process (HTTP and HTTPS, the same page and
certificate as httpd) on a veth pair. A server is its processes, the
addresses of its UDP echo, HTTP and HTTPS services (None: it has none),
and what must run to stop it."""
import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import time

from . import container, host, linux_vm, netns, probes
from .case import BASELINE, Case, Skipped

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
    https: tuple = None   # (address, port, ssl context) of its HTTPS one
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

    def wait_output(self, log, pattern, count, seconds):
        """Wait until the file log holds count lines matching the regular
        expression pattern; raises probes.Failure if one of its processes
        ends first or seconds pass."""
        deadline = time.monotonic() + seconds
        while True:
            ended = any(p.poll() is not None for p, _ in self.processes)
            with open(log, errors="replace") as f:
                if len(re.findall(pattern, f.read(), re.MULTILINE)) >= count:
                    return
            if ended:
                self.check()
            if time.monotonic() > deadline:
                raise probes.Failure(f"{log}: no {count} line(s) matching "
                                     f"{pattern!r} in {seconds:g} s")
            time.sleep(0.01)

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
        if ((server.udp is None or _answers_udp(server.udp))
                and _answers_tcp(server.http)
                and (server.https is None or _answers_tcp(server.https[:2]))):
            return
        time.sleep(0.2)
    raise probes.Failure(f"no answer after {READY_TIMEOUT:g} s")


def certificate(settings):
    """The certificate and key httpd's build made (and embedded in it)."""
    return (settings.path("apps", "httpd", "cert.pem"),
            settings.path("apps", "httpd", "key.pem"))


def unilab(settings, case, subnets, logs):
    """Unilab's echo and httpd apps on the backend of case (hello.posix or
    hello.kvm): each image on a TAP of its own, httpd twice (HTTP, and
    HTTPS with its built-in certificate)."""
    backend = case.name.split(".")[1]
    server = Server(name=backend, what=f"Unilab's echo and httpd apps on "
                                       f"the {backend} backend, over a TAP")
    images = {app: settings.path("apps", app.split()[0],
                                 f"{app.split()[0]}.{backend}")
              for app in ("echo", "httpd", "httpd --https")}
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
        app_args = ["--", "--https"] if app.endswith("--https") else []
        server.spawn(argv + [f"ip={address}/24"] + app_args,
                     os.path.join(logs, f"{backend}-{app.replace(' ', '')}.log"))
        if app == "echo":
            server.udp = (address, 7)
        elif app_args:
            server.https = (address, 443,
                            probes.tls_context(certificate(settings)[0]))
        else:
            server.http = (address, 80)
    return server


NGINX_CONF = """daemon off;
master_process off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
events {{ worker_connections 512; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  server {{
    listen 80;
    listen 443 ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2;
    ssl_session_cache shared:tls:1m;
    root {root};
  }}
}}
"""


def nginx_case():
    """The nginx baseline, as the latency study's servers take it."""
    binary = host.tool("nginx")
    if binary is None or host.tool("unshare") is None:
        return Skipped("nginx", BASELINE, "nginx is not installed "
                                          "(nginx-light)")
    return Case(name="nginx", kind=BASELINE, what="nginx-light, a process",
                argv=[binary], expect="", files=[])


def nginx(settings, case, subnets, logs):
    """nginx-light as a process in a network namespace of its own, serving
    the page over HTTP and HTTPS (TLS 1.2, httpd's certificate), reached
    through a veth pair; one worker, as httpd has one CPU."""
    binary = case.argv[0]
    cert, key = certificate(settings)
    if not os.path.exists(cert):
        return Skipped("nginx", case.kind, f"{cert} is not built")
    work = os.path.join(logs, "nginx")
    os.makedirs(work, exist_ok=True)
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(dir=work, cert=cert, key=key,
                                  root=os.path.dirname(page(settings))))
    server = Server(name="nginx", what="nginx-light as a process (one "
                                       "worker), over a veth pair",
                    notes=dict(case.notes))
    process = server.spawn([host.tool("unshare"), "--net", binary, "-c",
                            conf, "-p", work, "-e", "stderr"],
                           os.path.join(logs, "nginx.log"))
    try:
        n, host_side, address = subnets.take()
        netns.veth(f"ubv{n}", f"ubc{n}", host_side)
        netns.ip("link", "set", f"ubc{n}", "netns", str(process.pid))
        netns.ip("addr", "add", f"{address}/24", "dev", f"ubc{n}",
                 netns_of=process.pid)
        netns.ip("link", "set", f"ubc{n}", "up", netns_of=process.pid)
    except (OSError, probes.Failure):
        server.stop()
        raise
    server.http = (address, 80)
    server.https = (address, 443, probes.tls_context(cert))
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
    return host.missing((("ip", "iproute2"), ("nsenter", "util-linux")))
