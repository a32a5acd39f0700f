"""Arms as stated mixes of sub-arms: a realistic arm as, say, 80 % of patients started on the drug
at once and 20 % who started it in year 2.

The sub-arms are simulated (and reported) as arms of their own; a mix is one more arm of the
result. In a cohort, each of its ``n`` patients is one of the sub-arms' patients: the numbers
``round(w_k n)`` (largest remainders, so that they add up to ``n``) are allocated by a seeded
permutation (``numpy.random.default_rng([seed, 4])``), and patient ``p`` of the mix carries every
variable of patient ``p`` of her sub-arm (her scans, rule firings and simulated fracture
included). For one mean person, a mix is the weighted mean of the sub-arms' numbers (the BMD,
T-score and fracture probabilities of the mixed population), its WHO category that of the mean
T-score; a time (the year a rule fired, of a fracture) or a text is kept where the sub-arms agree
and left empty (NaN, "") where they do not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Mixture", "allocation", "mix_arms"]

#: Seed stream of the allocation of a cohort's patients to the sub-arms of a mix.
_STREAM = 4


@dataclass(frozen=True)
class Mixture:
    """An arm mixing ``shares`` (sub-arm name -> share of patients; shares > 0 adding up to 1)."""

    shares: dict[str, float]

    def __post_init__(self):
        if len(self.shares) < 2 or any(not (0 < w <= 1) for w in self.shares.values()) \
                or not math.isclose(sum(self.shares.values()), 1.0, abs_tol=1e-9):
            raise ValueError(f"a mix needs two or more sub-arms with shares in (0, 1] adding up to 1, "
                             f"got {self.shares}")

    def describe(self) -> str:
        return "mix of " + ", ".join(f"{100 * w:g} % {name}" for name, w in self.shares.items())


def allocation(shares, n: int, seed) -> np.ndarray:
    """Index of the sub-arm of each of ``n`` patients: ``round(w_k n)`` of each (largest remainders),
    in a seeded random order."""
    weights = np.asarray(list(shares), dtype=float)
    exact = weights * n
    counts = np.floor(exact).astype(int)
    counts[np.argsort(-(exact - counts), kind="stable")[: n - counts.sum()]] += 1
    labels = np.repeat(np.arange(len(weights)), counts)
    return np.random.default_rng([seed, _STREAM]).permutation(labels)


def _agreed(variable):
    """``variable`` without its ``arm`` dimension: its values where the arms agree, else NaN (a text: "")."""
    values = variable.transpose("arm", ...).values
    same = np.all(values == values[:1], axis=0)
    if values.dtype.kind == "f":
        same |= np.all(np.isnan(values), axis=0)
    elif values.dtype != object:
        values = values.astype(float)
    kept = np.where(same, values[0], "" if values.dtype == object else np.nan)
    return variable.isel(arm=0, drop=True).transpose(*(d for d in variable.dims if d != "arm")).copy(data=kept)


def mix_arms(ds, mixtures: dict[str, Mixture], seed=0):
    """``ds`` with one more arm per mix of ``mixtures`` (name -> :class:`Mixture`), as the module
    describes."""
    import xarray as xr

    if not mixtures:
        return ds
    from .model.physiology.bone import who_category

    cohort = "patient" in ds.dims
    arm_variables = [k for k in ds.data_vars if "arm" in ds[k].dims]
    mixed = []
    for name, mixture in mixtures.items():
        parts = ds[arm_variables].sel(arm=list(mixture.shares))
        weights = xr.DataArray(list(mixture.shares.values()), dims="arm")
        pick = xr.DataArray(allocation(mixture.shares.values(), ds.sizes["patient"], seed), dims="patient") \
            if cohort else None
        one = {}
        for key, variable in parts.data_vars.items():
            if cohort and "patient" in variable.dims:
                one[key] = variable.isel(arm=pick).drop_vars("arm")
            elif not cohort and variable.dtype.kind == "f" and variable.attrs.get("units") != "year":
                one[key] = variable.weighted(weights).mean("arm", keep_attrs=True)
            else:
                one[key] = _agreed(variable)
        if not cohort and "who_category" in one:
            one["who_category"] = ds["who_category"].isel(arm=0, drop=True).copy(
                data=who_category(one["t_score"].values))
        if "treatment_rule" in one:
            one["treatment_rule"] = one["treatment_rule"].copy(data=np.array(mixture.describe(), dtype=object))
        mixed.append(xr.Dataset(one).expand_dims(arm=[name]))
    out = xr.concat([ds[arm_variables]] + mixed, dim="arm", coords="minimal", compat="override", join="override")
    out = out.assign({k: ds[k] for k in ds.data_vars if k not in arm_variables}).transpose(*ds.dims)
    for key in ds.data_vars:
        out[key].attrs = dict(ds[key].attrs)
    out["arm"].attrs = dict(ds["arm"].attrs)
    out.attrs = dict(ds.attrs, mixtures="; ".join(f"{name}: {m.describe()}" for name, m in mixtures.items()))
    return out
