"""Time: days per year, and when a timed item (therapy, exercise programme, immobilisation, supplement, diet,
habits) is taken."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DAYS_PER_YEAR", "MAX_HISTORY_YEARS", "active", "dose_times", "window"]

#: Days per (Julian) year: the model runs in days, scenarios and outputs are in years.
DAYS_PER_YEAR = 365.25
#: Earliest start of a habit or a past therapy (years before the simulation start): the life
#: history begins at the young-adult reference age, 30, and people are at most 100.
MAX_HISTORY_YEARS = 70.0


def window(item) -> tuple[float, float]:
    """``(start, stop)`` in years since the simulation start of a timed item (therapy, exercise
    programme, immobilisation, supplement, habits): a missing start is -inf (the whole history), a missing stop inf."""
    return (-math.inf if item.start_year is None else item.start_year,
            math.inf if item.stop_year is None else item.stop_year)


def active(item, t_years):
    """1.0 where a timed item is taken at ``t_years`` (years since the simulation start; start
    inclusive, stop exclusive), else 0.0."""
    start, stop = window(item)
    return ((t_years >= start) & (t_years < stop)) * 1.0


def dose_times(therapy, horizon_days):
    """Days of the discrete doses of ``therapy`` within ``[0, horizon_days]``: every
    ``interval_days`` from its start, none at or after its stop."""
    start = therapy.start_year * DAYS_PER_YEAR
    stop = min(therapy.stop * DAYS_PER_YEAR, horizon_days + 1e-9)
    return np.arange(start, stop, therapy.interval_days)
