"""The progress line: what is running, how far along, and about how long is
left. On a terminal it redraws one line; in a log (meson test, CI) it
writes a line at every tenth of the way, so the log stays short."""
import sys
import time


def _duration(seconds):
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    return f"{seconds // 60}m{seconds % 60:02d}s"


class Progress:
    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.label, self.total, self.done = "", 0, 0
        self.expected, self.spent, self.started = 0.0, 0.0, time.monotonic()
        self.reported = -1

    def start(self, label, total, expected_seconds):
        """A new stage: label, its number of steps and a guess of its time."""
        self.label, self.total, self.done = label, max(total, 1), 0
        self.expected, self.spent = expected_seconds, 0.0
        self.started = time.monotonic()
        self.reported = -1

    def step(self, what, seconds=0.0):
        """One step done; what is the case it ran, seconds its guessed cost,
        used for the time left."""
        self.done += 1
        self.spent += seconds
        elapsed = time.monotonic() - self.started
        left = max(self.expected - self.spent, 0)
        if self.spent > 1 and self.done * 10 >= self.total:
            # Runs take longer than their trial said (process start-up,
            # the harness itself): scale by what was seen so far.
            left *= elapsed / self.spent
        percent = 100 * self.done // self.total
        line = f"[{self.label}] {self.done}/{self.total} ({percent}%) {what}"
        if self.expected:
            line += f", about {_duration(left)} left"
        if self.tty:
            self.stream.write("\r\033[K" + line)
        elif percent // 10 != self.reported or self.done == self.total:
            self.reported = percent // 10
            self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, text):
        """A line of its own (a case skipped or failing), above the bar."""
        self.stream.write(("\r\033[K" if self.tty else "") + text + "\n")
        self.stream.flush()

    def finish(self):
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
