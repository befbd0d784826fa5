"""The targets Unilab's issues set, checked against a run's measurements.
A target whose study did not run (or whose cases were skipped) reads "not
measured", never as met."""
from . import units
from .studies import boot, fs, kvmio, ondemand

KIB = 1024


def _boot_ratio(numerator, denominator, limit):
    def check(results):
        study = results.get("boot")
        entry = study and boot.find_ratio(study, numerator, denominator)
        if not entry:
            return None
        return (entry["ratio"], units.ratio_with_interval(entry),
                entry["ratio"] <= limit)
    return check


def _kvmio_exits(key, limit, below):
    """VM exits per request of the kvm I/O study: <= limit, or < with
    below."""
    def check(results):
        kvm = (results.get("kvmio") or {}).get("servers", {}).get("kvm", {})
        value = kvm.get(key)
        if value is None:
            return None
        return value, f"{value:.2f}", value < limit if below else \
            value <= limit
    return check


def _kvmio_ratio(metric, limit):
    def check(results):
        entry = kvmio.find_ratio(results.get("kvmio") or {}, metric)
        if not entry:
            return None
        return (entry["ratio"], units.ratio_with_interval(entry),
                entry["ratio"] >= limit)
    return check


def _latency_ratio(metric, numerator, denominator):
    """The latency study's ratio of medians, below 1 to be met."""
    def check(results):
        for r in (results.get("latency") or {}).get("ratios", ()):
            if (r["metric"], r["numerator"], r["denominator"]) == \
                    (metric, numerator, denominator):
                return r["ratio"], units.ratio_with_interval(r), \
                    r["ratio"] < 1
        return None
    return check


def _soak_heap(backend):
    def check(results):
        e = (results.get("soak") or {}).get("servers", {}).get(backend, {})
        if e.get("status") != "measured":
            return None
        return (e["heap_at_end"], f"{e['heap_after_warmup']} B → "
                f"{e['heap_at_end']} B", e["heap_at_end"] ==
                e["heap_after_warmup"])
    return check


def _ondemand_cold(limit_ms):
    """The median cold first request through unilab-kvm --on-demand,
    under limit_ms."""
    def check(results):
        kvm = (results.get("ondemand") or {}).get("servers", {}).get("kvm", {})
        summary = kvm.get("summary") if kvm.get("status") == "measured" \
            else None
        if not summary:
            return None
        ms = summary["cold_ns"]["median"] / 1e6
        return ms, f"{ms:.2f} ms", ms < limit_ms
    return check


def _footprint(name, value, limit, show=units.size_bytes):
    """A check on footprint's entry for case name: value(entry) or None."""
    def check(results):
        study = results.get("footprint") or {}
        measured = value(study.get("cases", {}).get(name, {}))
        if measured is None:
            return None
        return measured, show(measured), measured <= limit
    return check


def _fs_ratio(numerator, metric, limit):
    """numerator's median of metric over Linux's in the fs study, at
    least limit."""
    def check(results):
        study = results.get("fs")
        entry = study and fs.find_ratio(study, numerator, metric)
        if not entry:
            return None
        return (entry["ratio"], units.ratio_with_interval(entry),
                entry["ratio"] >= limit)
    return check


def _fs_cached_reread(results):
    """The most device reads any Unilab run's re-read of a cached file
    made: none is the target."""
    systems = (results.get("fs") or {}).get("systems", {})
    calls = [n for e in systems.values()
             if e.get("kind") == "unilab" and e.get("status") == "measured"
             for n in e.get("reread_device_calls", [])]
    if not calls:
        return None
    return max(calls), f"{max(calls)} device reads", max(calls) == 0


def _file_bytes(entry):
    return entry.get("file_bytes")


def _min_memory_kib(entry):
    return entry.get("min_memory", {}).get("kib")


def _rss_kib(entry):
    return (entry.get("rss_kib", {}).get("summary") or {}).get("median")


def _kib(value):
    return units.size_bytes(value * KIB)


# (who set it, the target, how to check it)
TARGETS = (
    ("foundation", "hello.posix / static_hello ≤ 1.5 (boot, medians)",
     _boot_ratio("hello.posix", "static_hello", 1.5)),
    ("kvm", "hello.kvm / kvm_floor ≤ 1.5 (boot, medians)",
     _boot_ratio("hello.kvm", "kvm_floor", 1.5)),
    ("kvm", "hello.kvm image ≤ 64 KiB",
     _footprint("hello.kvm", _file_bytes, 64 * KIB)),
    ("kvm", "hello.kvm boots in 1 MiB of guest memory (smallest found)",
     _footprint("hello.kvm", _min_memory_kib, KIB, _kib)),
    ("kvm", "unilab-kvm peak RSS for hello ≤ 2 MiB",
     _footprint("hello.kvm", _rss_kib, 2 * KIB, _kib)),
    ("kvm I/O", "VM exits per small HTTP request on a new connection ≤ 4 "
     "(kvmio, unilab-kvm --stats)",
     _kvmio_exits("exits_per_new_connection", 4, False)),
    ("kvm I/O", "VM exits per request under wrk -c200 < 1 (kvmio)",
     _kvmio_exits("exits_per_loaded_request", 1, True)),
    ("kvm I/O", "wrk -c200 requests/s, kvm / posix ≥ 0.4 (kvmio)",
     _kvmio_ratio("wrk_requests_per_s", 0.4)),
    ("kvm I/O", "100 MB over TCP to the image, kvm / posix ≥ 0.5 (kvmio)",
     _kvmio_ratio("tcp_to_image_mb_s", 0.5)),
    ("kvm I/O", "100 MB over TCP from the image, kvm / posix ≥ 0.5 (kvmio)",
     _kvmio_ratio("tcp_from_image_mb_s", 0.5)),
    ("kvm I/O", "HTTP request on a new connection, kvm / crun < 1 "
     "(latency, medians)", _latency_ratio("http_new", "kvm", "crun")),
    ("kvm I/O", "hello.kvm / kvm_floor ≤ 1.2 (boot, medians)",
     _boot_ratio("hello.kvm", "kvm_floor", 1.2)),
    ("kvm I/O", "httpd.kvm's heap in use after the soak = after its first "
     "minute (soak)", _soak_heap("kvm")),
    ("kvm I/O", "cold first request through unilab-kvm --on-demand, boot "
     "included, < 10 ms (ondemand, median)",
     _ondemand_cold(ondemand.TARGET_MS)),
    ("fs", "kvm sequential read ≥ 50% of the host kernel's on the same "
     "image (fs, medians)", _fs_ratio("kvm", "read_mb_per_s", 0.5)),
    ("fs", "a re-read of a cached file makes no device call (fs, posix "
     "and kvm)", _fs_cached_reread),
)


def evaluate(results):
    """Each target with its measured value and whether it was met."""
    checked = []
    for owner, target, check in TARGETS:
        found = check(results)
        entry = {"from": owner, "target": target, "value": None,
                 "measured": "not measured", "met": None}
        if found:
            entry["value"], entry["measured"], entry["met"] = found
        checked.append(entry)
    return checked
