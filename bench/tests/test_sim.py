"""Unit tests of unibench.studies.sim: the scenarios it writes, its run
counts, how it reads a run's output and the figures it derives."""
import types
import unittest
from unittest import mock

from unibench import run, schedule
from unibench.studies import sim

OUTPUT = """scenario tcp.10.sim, seed 1
ended at 0.102295680 s of virtual time: every node it waits for has ended
result: ok
unilab-sim: 10990 events and 5565 node runs in 1.045 s of real time: \
10512 events/s; 0.102 s virtual, 0.098 x real time
"""


def settings(**values):
    base = dict(runs=1000, budget=60.0, quick=False)
    base.update(values)
    return types.SimpleNamespace(**base)


class Scenario(unittest.TestCase):
    def test_pairs_on_one_switch(self):
        for workload, _, _, pair in sim.WORKLOADS:
            text = sim.scenario(pair, 100, quick=False)
            nodes = [line.split()[1] for line in text.splitlines()
                     if line.startswith("node ")]
            self.assertEqual(len(nodes), 100, workload)
            self.assertEqual(len(set(nodes)), 100, workload)
            links = [line for line in text.splitlines()
                     if line.startswith("link ")]
            self.assertEqual(sorted(links),
                             sorted(f"link {n} sw" for n in nodes))
            addresses = [w for w in text.split() if w.startswith("ip=")]
            self.assertEqual(len(set(addresses)), 100, workload)

    def test_quick_transfers_are_small(self):
        tcp = sim.WORKLOADS[0][3]
        self.assertIn("send 10.0.0.1 5001 65536",
                      sim.scenario(tcp, 2, quick=True))
        self.assertIn("send 10.0.0.1 5001 1048576",
                      sim.scenario(tcp, 2, quick=False))


class Counts(unittest.TestCase):
    def test_quick_runs_once(self):
        self.assertEqual(sim.counts({"a": 0.001, "b": 30.0},
                                    settings(quick=True, runs=10)),
                         {"a": 1, "b": 1})

    def test_budget_within_bounds_and_runs(self):
        costs = {"fast": 0.01, "medium": 10.0, "slow": 100.0}
        self.assertEqual(sim.counts(costs, settings()),
                         {"fast": sim.MAX_RUNS, "medium": 6,
                          "slow": sim.MIN_RUNS})
        self.assertEqual(sim.counts(costs, settings(runs=2)),
                         {"fast": 2, "medium": 2, "slow": 2})


class Measure(unittest.TestCase):
    def test_reads_counts_and_virtual_time(self):
        outcome = run.Outcome(ns=2_000_000_000, status=0, timed_out=False,
                              output=OUTPUT)
        with mock.patch.object(schedule, "attempt", return_value=outcome):
            sample = sim._measure(None)
        self.assertEqual(sample, {"events": 10990, "node_runs": 5565,
                                  "virtual_ns": 102295680,
                                  "real_ns": 2_000_000_000})

    def test_output_without_counts_fails(self):
        outcome = run.Outcome(ns=1, status=0, timed_out=False,
                              output="result: ok\n")
        with mock.patch.object(schedule, "attempt", return_value=outcome):
            with self.assertRaises(schedule.Failure):
                sim._measure(None)


class Figures(unittest.TestCase):
    def timing(self, events=(1000, 1000)):
        return {"values": [{"events": e, "node_runs": 10,
                            "virtual_ns": 4_000_000_000, "real_ns": real}
                           for e, real in zip(events, (1e9, 2e9))],
                "rounds": [0, 1], "seq": [0, 3]}

    def test_rates_per_run(self):
        figures = sim._figures(self.timing())
        self.assertEqual(figures["samples"]["events_per_s"], [1000, 500])
        self.assertEqual(figures["samples"]["real_time_factor"], [4, 2])
        self.assertEqual(figures["summary"]["events_per_s"]["median"], 750)
        self.assertTrue(figures["deterministic"])

    def test_differing_runs_are_flagged(self):
        figures = sim._figures(self.timing(events=(1000, 1001)))
        self.assertFalse(figures["deterministic"])
        entry = dict(status="measured", workload="tcp", nodes=2, **figures)
        result = {"workloads": {"tcp": "transfers"},
                  "cases": {"tcp.2": entry}}
        self.assertTrue(any("differed between runs" in line
                            for line in sim.report(result)))

    def test_csv_has_every_metric_of_every_run(self):
        entry = dict(status="measured", **sim._figures(self.timing()))
        rows = list(sim.csv_rows({"cases": {"tcp.2": entry,
                                            "ping.2": {"status": "skipped"}}}))
        self.assertEqual(len(rows), 2 * len(sim.CSV_METRICS))
        self.assertIn(("sim", "tcp.2", "real_time_factor", "ratio", 3, 1, 2.0),
                      rows)


if __name__ == "__main__":
    unittest.main()
