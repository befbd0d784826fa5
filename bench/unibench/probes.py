"""The latency study's client: UDP echo round trips, HTTP and HTTPS
requests on one kept-alive connection and on a new connection each, TLS
handshakes, and wrk's throughput.
Each round trip is timed in the harness with the monotonic clock, from
just before the request is sent to the last byte of its answer; the
client's own cost (a few system calls from Python) is the same for every
server it measures."""
import re
import socket
import ssl
import subprocess
import time

from . import host

PAYLOAD = b"unibench round trip 0123456789abcdef"  # 36 bytes
PATH = "/hello.json"
REQUEST = f"GET {PATH} HTTP/1.1\r\nHost: unibench\r\n\r\n".encode()
REQUEST_CLOSE = (f"GET {PATH} HTTP/1.1\r\nHost: unibench\r\n"
                 f"Connection: close\r\n\r\n").encode()
TIMEOUT = 2.0
TLS_NAME = "unilab.test"  # the name in the certificate httpd's build made


class Failure(Exception):
    """The server did not answer as it should."""


class NoKeepAlive(Failure):
    """The server closes the connection after each response."""


def udp_round_trips(address, count):
    """count echo round trips to address (host, port); ns each."""
    times = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(TIMEOUT)
        s.connect(address)
        for _ in range(count):
            before = time.perf_counter_ns()
            s.send(PAYLOAD)
            try:
                answer = s.recv(2048)
            except socket.timeout:
                raise Failure(f"no UDP echo from {address[0]} in "
                              f"{TIMEOUT:g} s") from None
            times.append(time.perf_counter_ns() - before)
            if answer != PAYLOAD:
                raise Failure(f"{address[0]} echoed {answer[:40]!r}")
    return times


def _response(s, buffered=b""):
    """Read one HTTP response from s; returns (whether the server keeps
    the connection, bytes read past the response)."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise Failure("the connection closed before a response")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not re.match(r"HTTP/1\.[01] 200 ", lines[0]):
        raise Failure(f"answered '{lines[0]}'")
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (line.partition(":") for line in lines[1:])}
    keep = (headers.get("connection", "").lower() != "close"
            and lines[0].startswith("HTTP/1.1") and "content-length" in headers)
    if "content-length" in headers:
        length = int(headers["content-length"])
        while len(body) < length:
            chunk = s.recv(65536)
            if not chunk:
                raise Failure("the connection closed inside a body")
            body += chunk
        return keep, body[length:]
    while s.recv(65536):  # no length: the body ends with the connection
        pass
    return False, b""


def tls_context(cafile):
    """A TLS 1.2 client context that trusts cafile; no session reuse, so
    each new connection is a full handshake."""
    context = ssl.create_default_context(cafile=cafile)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    return context


def _connect(address):
    """A connection to (host, port), or over TLS to (host, port, context)."""
    s = socket.create_connection(address[:2], timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if len(address) > 2:
        try:
            s = address[2].wrap_socket(s, server_hostname=TLS_NAME)
        except (ssl.SSLError, OSError) as error:
            s.close()
            raise Failure(f"TLS handshake with {address[0]}: {error}") \
                from None
    return s


def tls_handshakes(address, count):
    """count full TLS handshakes with (host, port, context), each on a
    connection of its own (connect, handshake, close); ns each."""
    times = []
    for _ in range(count):
        before = time.perf_counter_ns()
        _connect(address).close()
        times.append(time.perf_counter_ns() - before)
    return times


def http_kept_alive(address, count):
    """count requests on one connection; ns each. Raises NoKeepAlive if
    the server will not keep the connection open."""
    times = []
    with _connect(address) as s:
        extra = b""
        for _ in range(count):
            before = time.perf_counter_ns()
            s.sendall(REQUEST)
            keep, extra = _response(s, extra)
            times.append(time.perf_counter_ns() - before)
            if not keep:
                raise NoKeepAlive(f"{address[0]} closes the connection after "
                                  f"each response")
    return times


def http_new_connections(address, count):
    """count requests, each on a connection of its own (connect, request,
    response, close); ns each."""
    times = []
    for _ in range(count):
        before = time.perf_counter_ns()
        with _connect(address) as s:
            s.sendall(REQUEST_CLOSE)
            _response(s)
        times.append(time.perf_counter_ns() - before)
    return times


def wrk_available():
    return host.tool("wrk") is not None


def wrk(address, seconds, connections, path=None):
    """One wrk run (one thread) against address: {"requests_per_s",
    "requests", "bad_responses" (not 2xx or 3xx), "socket_errors"
    (connect, read, write and timeout errors wrk counted), "p99_ms"}.
    Raises Failure if wrk itself fails."""
    url = f"http://{address[0]}:{address[1]}{path or PATH}"
    done = subprocess.run(
        [host.tool("wrk"), "-t1", f"-c{connections}", f"-d{seconds}s",
         "--latency", url],
        capture_output=True, text=True, timeout=seconds + 30)
    rate = re.search(r"Requests/sec:\s*([\d.]+)", done.stdout)
    total = re.search(r"(\d+) requests in", done.stdout)
    if done.returncode != 0 or not rate or not total:
        raise Failure(f"wrk failed: {done.stdout[-500:]}{done.stderr[-500:]}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), "
                        r"write (\d+), timeout (\d+)", done.stdout)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", done.stdout,
                    re.MULTILINE)
    return {"p99_ms": float(p99.group(1)) * {"us": 1e-3, "ms": 1.0,
                                             "s": 1e3}[p99.group(2)]
            if p99 else None,
            "requests_per_s": float(rate.group(1)),
            "requests": int(total.group(1)),
            "bad_responses": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(int(n) for n in sockets.groups())
            if sockets else 0}


def throughput(address, seconds, connections):
    """Requests per second wrk reaches against address (one thread)."""
    run = wrk(address, seconds, connections)
    if run["bad_responses"]:
        raise Failure(f"wrk saw {run['bad_responses']} error responses")
    return run["requests_per_s"]
