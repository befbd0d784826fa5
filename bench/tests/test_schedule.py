"""Unit tests of unibench.schedule: the interleaved rounds and run counts."""
import types
import unittest

from unibench import schedule


def settings(**values):
    base = dict(runs=1000, min_runs=20, budget=60.0, warmup=20)
    base.update(values)
    return types.SimpleNamespace(**base)


class Plan(unittest.TestCase):
    def test_every_case_runs_its_count(self):
        counts = [10, 3, 1, 10, 7]
        rounds = schedule.plan(counts)
        self.assertEqual(len(rounds), 10)
        for i, count in enumerate(counts):
            self.assertEqual(sum(r.count(i) for r in rounds), count)

    def test_order_rotates(self):
        rounds = schedule.plan([4, 4])
        self.assertEqual(rounds, [[0, 1], [1, 0], [0, 1], [1, 0]])
        firsts = [r[0] for r in schedule.plan([6, 6, 6])]
        self.assertEqual(firsts, [0, 1, 2, 0, 1, 2])

    def test_rare_runs_are_spread_out(self):
        rounds = schedule.plan([100, 4])
        where = [n for n, r in enumerate(rounds) if 1 in r]
        self.assertEqual(where, [24, 49, 74, 99])

    def test_nothing_to_run(self):
        self.assertEqual(schedule.plan([]), [])


class Counts(unittest.TestCase):
    def test_budget_cuts_slow_cases_within_bounds(self):
        costs = {"fast": 0.001, "medium": 0.5, "slow": 5.0}
        self.assertEqual(schedule.counts(costs, settings()),
                         {"fast": 1000, "medium": 120, "slow": 20})

    def test_warmups_fit_a_tenth_of_the_budget(self):
        costs = {"fast": 0.001, "slow": 5.0}
        self.assertEqual(schedule.warmups(costs, settings()),
                         {"fast": 19, "slow": 1})


class Check(unittest.TestCase):
    case = types.SimpleNamespace(timeout=5, expect="hello")

    def outcome(self, status=0, output="hello\n", timed_out=False):
        return types.SimpleNamespace(status=status, output=output,
                                     timed_out=timed_out)

    def test_accepts_a_clean_run(self):
        schedule.check(self.case, self.outcome())
        schedule.check(self.case, self.outcome(output=None))

    def test_rejects_status_silence_and_hangs(self):
        for bad in (self.outcome(status=1), self.outcome(output="bye"),
                    self.outcome(timed_out=True)):
            with self.assertRaises(schedule.Failure):
                schedule.check(self.case, bad)


if __name__ == "__main__":
    unittest.main()
