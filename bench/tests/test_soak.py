"""Unit tests of the soak study's arithmetic: the intervals a run is cut
into, and the verdict from the samples (heap after the warm-up against the
end, errors), on known data."""
import types
import unittest

from unibench.studies import soak


def samples(heap, bad=0, sockets=0):
    n = len(heap)
    return {"heap_in_use": heap, "requests": [100] * n,
            "bad_responses": [0] * (n - 1) + [bad],
            "socket_errors": [sockets] + [0] * (n - 1)}


class Intervals(unittest.TestCase):
    def test_quick_and_long(self):
        self.assertEqual(soak.intervals(types.SimpleNamespace(
            soak_minutes=0.5)), (5.0, 6))
        self.assertEqual(soak.intervals(types.SimpleNamespace(
            soak_minutes=10)), (10.0, 60))


class Verdict(unittest.TestCase):
    def test_flat_heap_passes(self):
        v = soak.verdict(samples([1000] * 6), 5.0)
        self.assertTrue(v["passed"])
        self.assertEqual((v["heap_after_warmup"], v["warmup_s"]), (1000, 5.0))
        self.assertEqual(v["requests"], 600)

    def test_the_warmup_is_the_first_minute_of_a_long_run(self):
        heap = [500] * 5 + [1000] * 8   # 13 intervals of 10 s
        v = soak.verdict(samples(heap), 10.0)
        self.assertEqual((v["heap_after_warmup"], v["warmup_s"]),
                         (1000, 60.0))
        self.assertEqual(v["heap_drift"], 0)
        self.assertTrue(v["passed"])

    def test_any_growth_after_the_warmup_fails(self):
        heap = [500] * 5 + [1000] * 7 + [1040]
        v = soak.verdict(samples(heap), 10.0)
        self.assertAlmostEqual(v["heap_drift"], 0.04)
        self.assertFalse(v["passed"])

    def test_a_leak_fails(self):
        v = soak.verdict(samples([19000, 19560, 20120, 20680, 21240]), 5.0)
        self.assertAlmostEqual(v["heap_drift"], 2240 / 19000)
        self.assertFalse(v["passed"])

    def test_errors_fail(self):
        self.assertFalse(soak.verdict(samples([1000] * 4, bad=1),
                                      5.0)["passed"])
        v = soak.verdict(samples([1000] * 4, sockets=2), 5.0)
        self.assertEqual(v["errors"], 2)
        self.assertFalse(v["passed"])


if __name__ == "__main__":
    unittest.main()
