"""Unit tests of unibench.stats against data whose answers are known."""
import random
import statistics
import unittest

from unibench import stats


class Percentile(unittest.TestCase):
    def test_ends_are_min_and_max(self):
        data = [5, 1, 4, 2, 3]
        self.assertEqual(stats.percentile(data, 0), 1)
        self.assertEqual(stats.percentile(data, 100), 5)

    def test_interpolates_between_ranks(self):
        # Ranks 0..10 over the values 0, 10, ..., 100: p-th percentile is p.
        data = list(range(0, 101, 10))
        for p in (5, 25, 37.5, 95):
            self.assertAlmostEqual(stats.percentile(data, p), p)
        # Two values: the 25th percentile is a quarter of the way.
        self.assertAlmostEqual(stats.percentile([10, 20], 25), 12.5)

    def test_matches_numpy_default_on_known_values(self):
        # numpy.percentile([15, 20, 35, 40, 50], [5, 40, 95]) with the
        # default (linear) method gives 16, 29 and 48.
        data = [15, 20, 35, 40, 50]
        self.assertAlmostEqual(stats.percentile(data, 5), 16)
        self.assertAlmostEqual(stats.percentile(data, 40), 29)
        self.assertAlmostEqual(stats.percentile(data, 95), 48)

    def test_one_value(self):
        self.assertEqual(stats.percentile([7], 95), 7)

    def test_rejects_bad_input(self):
        with self.assertRaises(ValueError):
            stats.percentile([], 50)
        with self.assertRaises(ValueError):
            stats.percentile([1, 2], 101)
        with self.assertRaises(ValueError):
            stats.percentile([1, 2], -1)


class Median(unittest.TestCase):
    def test_odd_and_even(self):
        self.assertEqual(stats.median([3, 1, 2]), 2)
        self.assertEqual(stats.median([4, 1, 3, 2]), 2.5)

    def test_agrees_with_statistics_module(self):
        rng = random.Random(7)
        for n in (1, 2, 3, 10, 101, 1000):
            data = [rng.expovariate(1) for _ in range(n)]
            self.assertAlmostEqual(stats.median(data),
                                   statistics.median(data))

    def test_summary(self):
        s = stats.summary([1, 2, 3, 4, 100])
        self.assertEqual((s["n"], s["median"], s["min"], s["max"]),
                         (5, 3, 1, 100))
        # Rank 3.8 of 5: 4 + 0.8 * (100 - 4).
        self.assertAlmostEqual(s["p95"], 80.8)

    def test_relative_spread(self):
        self.assertEqual(stats.relative_spread([5, 5, 5]), 0)
        # 0..20: p5 = 1, p95 = 19, median 10.
        self.assertAlmostEqual(stats.relative_spread(list(range(21))), 1.8)


class Bootstrap(unittest.TestCase):
    def test_constant_samples_give_exact_ratio(self):
        low, high = stats.bootstrap_ratio([6.0] * 50, [2.0] * 80)
        self.assertEqual((low, high), (3.0, 3.0))

    def test_interval_holds_the_ratio_and_is_reproducible(self):
        rng = random.Random(3)
        top = [rng.gauss(30, 3) for _ in range(400)]
        bottom = [rng.gauss(10, 1) for _ in range(400)]
        first = stats.ratio(top, bottom, resamples=500, seed=11)
        again = stats.ratio(top, bottom, resamples=500, seed=11)
        self.assertEqual(first, again)
        low, high = first["ci95"]
        self.assertLess(low, first["ratio"])
        self.assertGreater(high, first["ratio"])
        self.assertLess(low, 3.0)
        self.assertGreater(high, 3.0)
        self.assertFalse(first["wide"])

    def test_interval_shrinks_with_more_samples(self):
        rng = random.Random(5)

        def width(n):
            top = [rng.lognormvariate(1, 0.5) for _ in range(n)]
            bottom = [rng.lognormvariate(0, 0.5) for _ in range(n)]
            low, high = stats.bootstrap_ratio(top, bottom, resamples=400)
            return high - low
        self.assertLess(width(2000), width(20) / 4)

    def test_coverage_of_a_known_ratio(self):
        # The median of exp(N(mu, 1)) is e^mu, so the true ratio of these
        # medians is e. A 95% interval should hold it in nearly all of 40
        # independent experiments.
        rng = random.Random(9)
        held = 0
        for experiment in range(40):
            top = [rng.lognormvariate(1, 1) for _ in range(150)]
            bottom = [rng.lognormvariate(0, 1) for _ in range(150)]
            low, high = stats.bootstrap_ratio(top, bottom, resamples=300,
                                              seed=experiment)
            held += low <= 2.718281828 <= high
        self.assertGreaterEqual(held, 34)

    def test_few_samples_flag_a_wide_interval(self):
        result = stats.ratio([1.0, 3.0, 9.0], [1.0, 2.0, 4.0], resamples=300)
        self.assertTrue(result["wide"])
        self.assertEqual(result["ratio"], 1.5)

    def test_rejects_bad_input(self):
        with self.assertRaises(ValueError):
            stats.bootstrap_ratio([], [1.0])
        with self.assertRaises(ValueError):
            stats.bootstrap_ratio([1.0], [1.0], confidence=1.5)


if __name__ == "__main__":
    unittest.main()
