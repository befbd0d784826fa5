"""How the report writes times and sizes: three significant figures, in
the unit that keeps the number readable."""


def _figures(value):
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def time_ns(ns):
    if ns >= 1e9:
        return _figures(ns / 1e9) + " s"
    if ns >= 1e6:
        return _figures(ns / 1e6) + " ms"
    return _figures(ns / 1e3) + " µs"


def size_bytes(count):
    if count >= 1 << 20:
        return _figures(count / (1 << 20)) + " MiB"
    if count >= 1 << 10:
        return _figures(count / (1 << 10)) + " KiB"
    return f"{count} B"


def ratio(value):
    return _figures(value) + "×"


def ratio_with_interval(entry):
    low, high = entry["ci95"]
    return f"{ratio(entry['ratio'])} [{_figures(low)}, {_figures(high)}]"
