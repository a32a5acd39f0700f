r"""DXA monitoring: scans of the simulated BMD with each site's precision error.

A scan measures the simulated BMD with a multiplicative, normally distributed precision error
whose coefficient of variation is the site's DXA precision (:attr:`remodel.model.sites.Site.dxa_precision_cv`,
Baim2005):

.. math::

    \mathrm{BMD}_{measured} = \mathrm{BMD}\,(1 + \mathrm{CV}\,\varepsilon / 100),
    \qquad \varepsilon \sim N(0, 1),

independent between scans, sites and patients. A change from the baseline scan is statistically
significant when it equals or exceeds the least significant change at 95 % confidence (Baim2005,
the ISCD's position):

.. math::

    \mathrm{LSC} = 2.77\,\mathrm{CV}, \qquad 2.77 = 1.96 \sqrt{2}.

The errors are drawn from ``numpy.random.default_rng([seed, 2])`` with shape ``(patient, scan,
site)``, the same for every arm (common random numbers: arms differ by what happens to their
bone, not by their measurement luck), so that the same seed gives the same measurements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..bounds import bounded, check_ranges
from ..model.sites import SITE_TABLE, YOUNG_ADULT_REFERENCE

__all__ = ["LSC_FACTOR", "PRECISION_CV", "Monitoring", "least_significant_change", "measurement_errors", "scan_values"]

#: Least significant change per unit of precision error at 95 % confidence for two scans:
#: 1.96 sqrt(2) = 2.77 (Baim2005).
LSC_FACTOR = 2.77
#: Precision error (CV, %) per site (Baim2005), from :mod:`remodel.model.sites`.
PRECISION_CV = {site.name: site.dxa_precision_cv for site in SITE_TABLE}
#: Seed stream of the DXA errors (:func:`remodel.cohort.simulate_cohort` uses 1 for its own).
_STREAM = 2


def least_significant_change(site: str) -> float:
    """Least significant change (% of baseline) of ``site``: ``2.77 x`` its precision CV (Baim2005)."""
    return LSC_FACTOR * PRECISION_CV[site]


@dataclass(frozen=True)
class Monitoring:
    """A schedule of DXA scans: at ``start_year`` and every ``interval_months`` after it, up to
    the horizon (the first scan is the baseline of the changes)."""

    interval_months: float = bounded(3.0, 120.0, "months", default=24.0)
    start_year: float = bounded(0.0, 100.0, "years", default=0.0)

    def __post_init__(self):
        check_ranges(self)

    def scan_years(self, horizon: float) -> tuple[float, ...]:
        """Scan times (years since the simulation start) within ``[start_year, horizon]``."""
        step = self.interval_months / 12.0
        n = math.floor((horizon - self.start_year) / step + 1e-9) + 1
        return tuple(round(self.start_year + k * step, 9) for k in range(max(n, 0)))


def measurement_errors(seed, patients: int, scans: int, sites: int) -> np.ndarray:
    """Standard normal errors ``(patient, scan, site)`` of the stream of DXA errors of ``seed``."""
    return np.random.default_rng([seed, _STREAM]).normal(size=(patients, scans, sites))


def scan_values(bmd, sex: str, sites, errors) -> dict[str, np.ndarray]:
    """Measured values of scans of ``bmd`` (``(..., scan, site)``, g/cm2) with standard normal
    ``errors`` of the same shape: measured BMD, T-score, change from the first scan (%), whether
    it reaches the least significant change, and the index of the first scan where it does (-1:
    none)."""
    cv = np.array([PRECISION_CV[s] for s in sites])
    lsc = LSC_FACTOR * cv
    measured = bmd * (1.0 + cv * errors / 100.0)
    young = np.array([YOUNG_ADULT_REFERENCE[sex][s] for s in sites])
    change = 100.0 * (measured / measured[..., :1, :] - 1.0)
    significant = np.abs(change) >= lsc
    first = np.where(significant.any(axis=-2), np.argmax(significant, axis=-2), -1)
    return {"bmd": measured, "t_score": (measured - young[:, 0]) / young[:, 1], "change": change,
            "significant": significant, "first_significant": first}
