"""The clinical pathway of each arm in a comparison: scans, when (and in how many patients) the
treatment rule fired, significant changes, and fracture risk; and the mean patient of a cohort
for the BMD table and figure."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.physiology.bone import who_category

__all__ = ["format_pathway_table", "mean_patient", "pathway_rows"]


def mean_patient(ds):
    """``ds`` without its ``patient`` dimension: BMD, its change and the T-score averaged over the
    patients, the WHO category of the mean T-score (``ds`` unchanged without patients)."""
    if "patient" not in ds.dims:
        return ds
    mean = ds[["bmd", "bmd_change", "t_score"]].mean("patient", keep_attrs=True)
    mean["who_category"] = mean["t_score"].copy(data=who_category(mean["t_score"].values))
    mean["who_category"].attrs = dict(ds["who_category"].attrs)
    mean.attrs = dict(ds.attrs)
    return mean


def _fraction(values) -> float:
    return float(np.mean(values))


def _firings(times) -> dict[float, int]:
    """``{year: patients}`` of the finite ``times``."""
    years, counts = np.unique(times[np.isfinite(times)], return_counts=True)
    return {float(y): int(c) for y, c in zip(years, counts)}


def pathway_rows(ds) -> list[dict[str, Any]]:
    """One row per arm: patients, scans, the share of patients whose first significant change
    (:mod:`remodel.clinical.dxa`) came by the last scan per site, the share in whom a start rule
    began a therapy, the median time of the first start among them and the number of patients by
    the year it came (``{year: count}``), each rule's own firings (``rules``: text, share and
    ``{year: count}`` of the first visit at which it changed the therapy), and fracture risk at the
    horizon (mean over patients): ten-year probabilities, fractures per 1,000 expected since the
    start and, drawn, simulated per 1,000. Values absent from ``ds`` are None."""
    rows = []
    patients = ds.sizes.get("patient", 1)
    for arm in (str(a) for a in ds["arm"].values):
        at = ds.sel(arm=arm)
        row: dict[str, Any] = {"arm": arm, "patients": patients}
        scans = at["scan_time"].values[np.isfinite(at["scan_time"].values)] if "scan_time" in ds else np.empty(0)
        row["scans"] = len(scans)
        for site in (str(s) for s in ds["site"].values):
            first = at["first_significant_change_time"].sel(site=site).values if len(scans) else None
            row[f"significant_change_share_{site}"] = None if first is None else _fraction(np.isfinite(first))
        has_rule = "treatment_rule" in ds and bool(str(at["treatment_rule"].values))
        start = np.atleast_1d(at["treatment_start_time"].values) if has_rule else np.empty(0)
        row["rule"] = str(at["treatment_rule"].values) if has_rule else None
        row["rule_fired_share"] = _fraction(np.isfinite(start)) if has_rule else None
        fired = start[np.isfinite(start)]
        row["rule_fired_median_year"] = float(np.median(fired)) if fired.size else None
        row["rule_fired_by_year"] = _firings(start) if has_rule else None
        row["rules"] = []
        if has_rule:
            for r, text in enumerate(str(t) for t in at["rule_description"].values):
                if text:
                    times = np.atleast_1d(at["rule_fired_time"].isel(rule=r).values)
                    row["rules"].append({"rule": text, "fired_share": _fraction(np.isfinite(times)),
                                         "fired_by_year": _firings(times)})
        horizon = at.isel(time=-1)
        for kind in ("hip", "major"):
            name = f"{kind}_fracture_probability_10y"
            row[f"{kind}_fracture_10y_percent"] = float(horizon[name].mean()) if name in ds else None
            name = f"{kind}_fracture_cumulative_probability"
            row[f"{kind}_fractures_per_1000"] = 10.0 * float(horizon[name].mean()) if name in ds else None
        simulated = at["simulated_fracture_time"].values if "simulated_fracture_time" in ds else None
        row["simulated_fractures_per_1000"] = None if simulated is None else 1000.0 * _fraction(np.isfinite(simulated))
        rows.append(row)
    return rows


def _share(value) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def format_pathway_table(rows, horizon) -> str:
    """Plain-text table of the clinical pathway, one line per arm, from :func:`remodel.report.pathway_rows`."""
    sites = [k.removeprefix("significant_change_share_") for k in rows[0] if k.startswith("significant_change_share_")]
    header = ["arm", "patients", "scans", "significant change " + "/".join(s.replace("_", " ") for s in sites),
              "rule fired", "median year fired", "hip 10y %", "major 10y %", "hip /1000", "major /1000",
              "simulated /1000"]
    table = []
    for r in rows:
        number = lambda v, f: "-" if v is None else format(v, f)  # noqa: E731
        table.append([r["arm"], str(r["patients"]), str(r["scans"]),
                      "/".join(_share(r[f"significant_change_share_{s}"]) for s in sites),
                      _share(r["rule_fired_share"]), number(r["rule_fired_median_year"], ".1f"),
                      number(r["hip_fracture_10y_percent"], ".1f"), number(r["major_fracture_10y_percent"], ".1f"),
                      number(r["hip_fractures_per_1000"], ".1f"), number(r["major_fractures_per_1000"], ".1f"),
                      number(r["simulated_fractures_per_1000"], ".0f")])
    widths = [max(len(c[i]) for c in [header] + table) for i in range(len(header))]
    lines = ["  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
             for cells in [header] + table]
    def fired(by_year, patients):
        if not by_year:
            return f"fired in none of {patients} patients"
        return "fired at the visit of year " + ", ".join(f"{y:g} in {n}" for y, n in by_year.items()) + \
            f" of {patients} patients"

    rules = [f"  {r['arm']}: {rule['rule']}; {fired(rule['fired_by_year'], r['patients'])}"
             for r in rows for rule in r["rules"]]
    legend = (f"Clinical pathway over {horizon:g} years. significant change: share of patients whose measured BMD "
              "changed from the baseline scan by at least the least significant change (2.77 x DXA precision) by "
              "the last scan; rule fired: share of patients in whom a rule of the arm started a therapy; hip / major "
              "10y %: ten-year fracture probability at the horizon (mean); /1000: fractures expected per 1,000 "
              f"patients from the start to year {horizon:g} (FRAX UK table with prior fracture and falls; "
              "remodel.clinical.fracture); simulated /1000: major fractures drawn from each patient's risk with the "
              "seed")
    return legend + "\n\n" + "\n".join(lines) + ("\n\nRules:\n" + "\n".join(rules) if rules else "")
