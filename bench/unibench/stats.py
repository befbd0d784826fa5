"""Order statistics and bootstrap intervals for benchmark samples.

Medians and percentiles rather than means: on a shared machine a few runs are
slowed by other work, and those outliers would drag a mean but not a median.
"""
import random

# How wide a spread (p95 - p5, relative to the median) still reads as a
# stable measurement, and how wide a ratio's 95% interval may be (relative to
# the ratio) before the report warns that the figure should not be trusted.
WIDE_SPREAD = 1.0
WIDE_INTERVAL = 0.25


def percentile(values, p):
    """The p-th percentile (0..100) by linear interpolation between the two
    nearest ranks, the definition most tools use (numpy's default, R's type
    7): the 0th is the minimum, the 100th the maximum, the 50th the median."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values):
    return percentile(values, 50)


def summary(values):
    """The figures the report quotes for one case."""
    return {
        "n": len(values),
        "median": median(values),
        "p5": percentile(values, 5),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
    }


def relative_spread(values):
    """(p95 - p5) / median: how far apart the typical fast and slow runs are."""
    middle = median(values)
    if middle == 0:
        return float("inf")
    return (percentile(values, 95) - percentile(values, 5)) / middle


def _sorted_median(ordered):
    n = len(ordered)
    half = n // 2
    if n % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) / 2


def bootstrap_ratio(numerator, denominator, resamples=2000, confidence=0.95,
                    seed=1):
    """A confidence interval for median(numerator) / median(denominator) by
    the percentile bootstrap: resample each case's samples with replacement,
    take the ratio of the resampled medians, and read the interval off the
    distribution of those ratios. The two cases are resampled independently,
    as they were measured in separate runs. A fixed seed makes the interval
    reproducible from the stored samples."""
    if not numerator or not denominator:
        raise ValueError("bootstrap of an empty sample")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence {confidence} is outside (0, 1)")
    rng = random.Random(seed)
    ratios = []
    for _ in range(resamples):
        top = _sorted_median(sorted(rng.choices(numerator, k=len(numerator))))
        bottom = _sorted_median(
            sorted(rng.choices(denominator, k=len(denominator))))
        ratios.append(top / bottom if bottom else float("inf"))
    tail = (1 - confidence) / 2 * 100
    return percentile(ratios, tail), percentile(ratios, 100 - tail)


def ratio(numerator, denominator, resamples=2000, seed=1):
    """The ratio of medians with its 95% bootstrap interval, and whether the
    interval is too wide to trust."""
    value = median(numerator) / median(denominator)
    low, high = bootstrap_ratio(numerator, denominator, resamples, seed=seed)
    return {
        "ratio": value,
        "ci95": [low, high],
        "wide": (high - low) > WIDE_INTERVAL * value,
    }
