"""The studies, one module each. A study module has TITLE; run(settings,
cases, trials, progress) -> its result, ready for JSON (trials() gives
what every case's trial run cost, and which failed: see schedule.trial);
report(result) -> Markdown lines; plot(result, directory) -> the pictures
it drew; csv_rows(result) -> rows for results.csv."""
from . import (boot, dns, footprint, fs, kvmio, latency, ondemand, router,
               sim, soak)

STUDIES = {"boot": boot, "footprint": footprint, "latency": latency,
           "sim": sim, "dns": dns, "router": router, "soak": soak,
           "kvmio": kvmio, "ondemand": ondemand, "fs": fs}
# What `./unilab bench` runs when no study is named: the soak study takes
# many minutes and runs only when asked for.
DEFAULT = ["boot", "footprint", "latency", "sim", "dns", "router", "kvmio",
           "ondemand", "fs"]
