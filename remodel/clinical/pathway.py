"""The clinical pathway of an arm: DXA scans on a schedule, and a rule that starts a therapy from
what a scan measures (for example zoledronic acid 4 mg every 6 months once the measured T-score at
any site is below -2.0, as the delayed arm of ZO-FAST and the algorithm for aromatase-inhibitor
bone loss: Coleman2013, Hadji2011, Hadji2017).

A rule fires at most once per patient, at the first scan whose measurement meets it; the therapy
starts at that scan. Since nothing differs before the first firing, the arm is simulated in one
batch as variants (no firing, firing at each scan), and each patient keeps the variant of her own
first firing: the same result as integrating in segments between scans and adding the therapy at
the scan, at the cost of one member per scan. Measurements use :mod:`~remodel.clinical.dxa`
(seeded, the same errors in every arm).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..model.sites import SITES
from ..model.timing import DAYS_PER_YEAR
from ..regimen import Regimen
from ..therapies import Therapy
from . import dxa

__all__ = ["Pathway", "TreatmentRule", "run_pathways"]


@dataclass(frozen=True)
class TreatmentRule:
    """Start ``therapy`` at the first scan where the measured T-score at ``site`` (``"any"``: at
    any site) is below ``t_score_below``, or (``significant_loss``) the measured BMD has fallen
    from the baseline scan by at least the least significant change; the therapy lasts
    ``duration_years`` (None: to the horizon). ``therapy.start_year`` and ``stop_year`` are replaced."""

    therapy: Therapy
    t_score_below: float | None = None
    significant_loss: bool = False
    site: str = "any"
    duration_years: float | None = None

    def __post_init__(self):
        if self.t_score_below is None and not self.significant_loss:
            raise ValueError("a treatment rule needs t_score_below or significant_loss")
        if self.site != "any" and self.site not in SITES:
            raise ValueError(f"unknown site {self.site!r}; sites: any, {', '.join(SITES)}")

    def describe(self) -> str:
        """One line: what is started, and when."""
        from ..therapies import DRUGS

        t = self.therapy
        every = "" if t.interval_days is None else f" every {t.interval_days / (DAYS_PER_YEAR / 12):.3g} months"
        when = [f"T-score < {self.t_score_below:g}"] if self.t_score_below is not None else []
        when += ["loss >= least significant change"] if self.significant_loss else []
        where = "at any site" if self.site == "any" else f"at the {self.site.replace('_', ' ')}"
        lasting = "" if self.duration_years is None else f" for {self.duration_years:g} years"
        return (f"start {t.drug} {t.dose:g} {DRUGS[t.drug].dose_units}{every}{lasting} at the first scan with a "
                f"measured {' or '.join(when)} {where}")

    def started(self, year: float) -> Therapy:
        """The therapy started at ``year``."""
        stop = None if self.duration_years is None else year + self.duration_years
        return dataclasses.replace(self.therapy, start_year=year, stop_year=stop)

    def met(self, measured: dict[str, np.ndarray]) -> np.ndarray:
        """Whether each scan of ``measured`` (:func:`remodel.clinical.dxa.scan_values`, last dims
        ``(scan, site)``) meets the rule: ``(..., scan)``."""
        columns = slice(None) if self.site == "any" else [SITES.index(self.site)]
        met = np.zeros(measured["t_score"].shape[:-1], dtype=bool)
        if self.t_score_below is not None:
            met |= (measured["t_score"][..., columns] < self.t_score_below).any(axis=-1)
        if self.significant_loss:
            lsc = np.array([dxa.least_significant_change(s) for s in SITES])
            met |= (measured["change"] <= -lsc)[..., columns].any(axis=-1)
        return met


@dataclass(frozen=True)
class Pathway:
    """What the clinic does in one arm: a scan schedule and, optionally, a rule on its scans."""

    monitoring: dxa.Monitoring
    rule: TreatmentRule | None = None


def _variants(name: str, regimen: Regimen, pathway: Pathway | None, years: float) -> dict[str, Regimen]:
    """Variant regimens of an arm: as given, then (with a rule) the rule's therapy added at each scan."""
    variants = {name: regimen}
    if pathway is not None and pathway.rule is not None:
        for k, year in enumerate(pathway.monitoring.scan_years(years)):
            variants[f"{name} [rule at scan {k}]"] = dataclasses.replace(
                regimen, therapies=regimen.therapies + (pathway.rule.started(year),))
    return variants


def run_pathways(simulate_arms, arms: dict[str, Regimen], pathways: dict[str, Pathway], years: float,
                 sex: str, seed: int = 0):
    """Simulate ``arms`` with their ``pathways`` (arm name -> :class:`Pathway`; arms without one
    are simulated as usual). ``simulate_arms(dict of name -> Regimen)`` returns the Dataset of
    :func:`remodel.simulate` (or :func:`remodel.simulate_cohort`) with an ``arm`` dimension and the
    scan times among its output times.

    Returns the Dataset of ``arms`` with the scan variables (dimension ``scan``): ``scan_time``,
    ``measured_bmd``, ``measured_t_score``, ``measured_bmd_change``, ``significant_change``,
    ``first_significant_change_time``, ``least_significant_change``, ``treatment_rule`` (its text;
    empty without a rule) and ``treatment_start_time`` (NaN: never, or no rule).
    """
    import xarray as xr

    variants = {}
    for name, regimen in arms.items():
        variants.update(_variants(name, regimen, pathways.get(name), years))
    full = simulate_arms(variants)
    if not pathways:
        return full
    missing = sorted({t for p in pathways.values() for t in p.monitoring.scan_years(years)}
                     - {round(float(t), 9) for t in full["time"].values})
    if missing:
        raise ValueError(f"scan times {missing} are not output times of the simulation; add them to its output times")
    cohort = "patient" in full.dims
    n_patients = full.sizes["patient"] if cohort else 1
    schedules = {name: p.monitoring.scan_years(years) for name, p in pathways.items()}
    n_scans = max(map(len, schedules.values()), default=0)
    errors = dxa.measurement_errors(seed, n_patients, n_scans, len(SITES))
    chosen, scans, starts = [], {}, {}
    for name in arms:
        data = full.sel(arm=name)
        pathway = pathways.get(name)
        if pathway is not None:
            times = list(schedules[name])
            own_errors = errors[:, : len(times)] if cohort else errors[0, : len(times)]
            measured = dxa.scan_values(data["bmd"].sel(time=times, method="nearest").values, sex, SITES,
                                       own_errors)
            if pathway.rule is not None:
                met = pathway.rule.met(measured)
                first = np.where(met.any(axis=-1), np.argmax(met, axis=-1), -1)
                starts[name] = np.where(first >= 0, np.asarray(times)[np.maximum(first, 0)], np.nan)
                names = [name] + [f"{name} [rule at scan {k}]" for k in range(len(times))]
                pick = xr.DataArray(first + 1, dims="patient") if cohort else int(first) + 1
                data = full.sel(arm=names).isel(arm=pick)
                measured = dxa.scan_values(data["bmd"].sel(time=times, method="nearest").values, sex, SITES,
                                           own_errors)
            scans[name] = (times, measured)
        chosen.append(data.drop_vars("arm", errors="ignore"))
    ds = xr.concat(chosen, dim=xr.Variable("arm", list(arms), {"long_name": "treatment arm"}),
                   coords="minimal", compat="override", join="override")
    ds = ds.transpose(*(d for d in full.dims if d in ds.dims))  # the arm back in its place
    ds.attrs = dict(full.attrs, arms="; ".join(
        f"{a}: {arms[a]!r}" + (f"; pathway: {pathways[a]!r}" if a in pathways else "") for a in arms))
    if scans:
        rules = {a: p.rule.describe() for a, p in pathways.items() if p.rule is not None}
        ds = ds.assign(_scan_variables(ds, scans, starts, rules, n_scans, cohort))
    return ds


def _scan_variables(ds, scans, starts, rules, n_scans, cohort) -> dict:
    """The scan variables of :func:`run_pathways` (NaN where an arm has fewer scans or none)."""
    arms = [str(a) for a in ds["arm"].values]
    lead = ("patient",) if cohort else ()
    shape = ((ds.sizes["patient"],) if cohort else ()) + (len(arms), n_scans, len(SITES))
    values = {k: np.full(shape, np.nan) for k in ("bmd", "t_score", "change", "significant")}
    first_time = np.full(shape[:-2] + (len(SITES),), np.nan)
    scan_time = np.full((len(arms), n_scans), np.nan)
    start = np.full(shape[:-2], np.nan)
    for a, name in enumerate(arms):
        if name not in scans:
            continue
        times, measured = scans[name]
        scan_time[a, : len(times)] = times
        for key in values:
            values[key][..., a, : len(times), :] = measured[key]
        first = measured["first_significant"]
        first_time[..., a, :] = np.where(first >= 0, np.asarray(times)[np.maximum(first, 0)], np.nan)
        if name in starts:
            start[..., a] = starts[name]
    dims = lead + ("arm", "scan", "site")
    cite = " (DXA precision error per site, Baim2005; remodel.clinical.dxa)"
    return {
        "scan_time": (("arm", "scan"), scan_time, {
            "units": "year", "long_name": "time of the DXA scan", "description": "scan schedule of the arm (NaN: no scan)"}),
        "measured_bmd": (dims, values["bmd"], {
            "units": "g/cm2", "long_name": "measured bone mineral density",
            "description": "simulated BMD at the scan with the site's DXA precision error" + cite}),
        "measured_t_score": (dims, values["t_score"], {
            "units": "1", "long_name": "measured T-score", "description": "T-score of the measured BMD" + cite}),
        "measured_bmd_change": (dims, values["change"], {
            "units": "%", "long_name": "measured change in BMD from the baseline scan",
            "description": "change of the measured BMD from the first scan" + cite}),
        "significant_change": (dims, values["significant"], {
            "units": "1", "long_name": "change at least the least significant change",
            "description": "1 where |measured change| >= 2.77 x precision CV (ISCD, Baim2005), 0 where not, "
                           "NaN: no scan"}),
        "first_significant_change_time": (lead + ("arm", "site"), first_time, {
            "units": "year", "long_name": "first scan with a significant change from baseline",
            "description": "time of the first scan whose change from the baseline scan reaches the least "
                           "significant change (NaN: none)" + cite}),
        "least_significant_change": (("site",), np.array([dxa.least_significant_change(s) for s in SITES]), {
            "units": "%", "long_name": "least significant change of two DXA scans",
            "description": "2.77 x the site's precision CV, 95 % confidence (Baim2005)"}),
        "treatment_rule": (("arm",), np.array([rules.get(a, "") for a in arms], dtype=object), {
            "long_name": "treatment rule of the arm", "description": "what the rule starts and when (empty: no rule)"}),
        "treatment_start_time": (lead + ("arm",), start, {
            "units": "year", "long_name": "start of the therapy of the arm's rule",
            "description": "time of the scan at which the arm's treatment rule fired (NaN: never, or no rule)"}),
    }
