"""Run one process and time it from spawn to exit.

The clock (time.perf_counter_ns) is read just before posix_spawn and just
after waitpid returns, so a sample is what a user waiting on the command
sees: exec, the program's whole life, and its exit. posix_spawn (vfork +
exec) rather than fork keeps the cost of copying the harness's page tables
out of the measurement.
(Peak RSS is measured elsewhere, footprint.py: a vforked child inherits the
harness's RSS as its own until exec, which the kernel counts as its peak.)
"""
import dataclasses
import os
import select
import signal
import tempfile
import time


@dataclasses.dataclass
class Outcome:
    ns: int            # spawn to exit, in nanoseconds
    status: int        # exit status, or -N when killed by signal N
    timed_out: bool
    output: str = ""   # stdout and stderr, only when asked for


def _spawn(argv, out_fd):
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, out_fd, 1),
        (os.POSIX_SPAWN_DUP2, out_fd, 2),
    ]
    # Its own process group, so a timeout can stop everything it started.
    return os.posix_spawn(argv[0], argv, os.environ, file_actions=actions,
                          setpgroup=0)


def _wait(pid, timeout):
    """Wait for pid for at most timeout seconds; kill its group after."""
    pidfd = os.pidfd_open(pid)
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        timed_out = not poller.poll(timeout * 1000)
        if timed_out:
            os.killpg(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(pidfd)
    return status, timed_out


def execute(argv, timeout=60.0, capture=False):
    """Run argv[0] (an absolute path) with argv; its output goes to
    /dev/null unless capture is set. Returns an Outcome."""
    with tempfile.TemporaryFile() if capture else open(os.devnull, "wb") as out:
        before = time.perf_counter_ns()
        pid = _spawn(argv, out.fileno())
        status, timed_out = _wait(pid, timeout)
        after = time.perf_counter_ns()
        text = ""
        if capture:
            out.seek(0)
            text = out.read().decode(errors="replace")
    return Outcome(ns=after - before,
                   status=os.waitstatus_to_exitcode(status),
                   timed_out=timed_out,
                   output=text)
