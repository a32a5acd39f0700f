r"""Fracture risk: 5- and 10-year probabilities of hip and major osteoporotic fracture from age,
sex, femoral-neck T-score, prior fracture and falls, and the cumulative probability along a
simulated trajectory.

The BMD-age part is the published FRAX table of ten-year fracture probability for the UK with a
BMI of 25 kg/m2 and no clinical risk factor, by age and femoral-neck T-score (Kanis2008, table 3;
the T-score against NHANES III young white women, as in :mod:`remodel.model.sites`):
:data:`FRAX_UK_TEN_YEAR`. Between its ages (50-90) and T-scores (+1 to -4) the probability is
interpolated linearly in age and log-linearly in T-score (the risk is multiplicative per SD,
Johnell2005); outside, age and T-score are held at the nearest edge (an underestimate below
T = -4 or above 90 years). The two cells printed as "<0.1" are extrapolated log-linearly from
their row (0.05 % and 0.025 %).

Each ten-year probability :math:`p_{10}` is turned into a constant yearly hazard
:math:`h = -\ln(1 - p_{10})/10`, so that

.. math::

    p_{5} = 1 - e^{-5h}, \qquad P(t) = 1 - \exp\Bigl(-\int_0^t h(s)\,ds\Bigr)

(the five-year probability from the same hazard: an approximation, the table gives ten years
only; the cumulative probability :math:`P` integrates the hazard of the simulated age and
T-score over the simulation, trapezoidal between output times). Risk factors multiply the hazard:

* prior fragility fracture: 1.86 for any, osteoporotic or hip fracture (Kanis2004: risk ratio
  1.86, 95 % CI 1.75-1.98, similar for hip; its decline with age for hip is not modelled);
* falls: 98 % of hip fractures result from a fall (Parkkari1999), so the hip hazard is
  :math:`h\,(1 - 0.98 + 0.98\,r)` for a fall rate ``r`` relative to the reference population;
  exercise with balance training lowers the rate of falls by 23 % (Sherrington2019: rate ratio
  0.77, 95 % CI 0.71-0.83), scaled by the programme's adherence. The share of the other major
  fractures (clinical spine, forearm, humerus) due to falls was not found in a source we could
  check, so falls change the major-fracture hazard only through its hip part: the benefit of fewer
  falls on major fractures is a lower bound.

The Garvan nomogram (Nguyen 2007, 2008), which takes falls as a count, was considered twice: the
abstract of Nguyen 2008 (Osteoporos Int 19:1431) names its model I (a Cox model of age,
femoral-neck BMD, prior fracture after 50 and falls in the past year, 1358 women and 858 men of the
Dubbo study) but gives neither the coefficients nor the baseline survival that turn it into
probabilities, and no source available to us prints them (the calculator is a web form), so it is
not implemented; the FRAX table is printed in full in an open-access paper.

Limitations, stated: the table is FRAX for the UK (BMI 25, no other risk factor), not a
cohort-specific calibration; FRAX already accounts for the competing risk of death over ten
years, which the constant hazard carries over only approximately; the BMD used is the simulated
(true) femoral-neck BMD, not a measured one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..bounds import bounded, check_ranges

__all__ = ["FRACTURE_CITATIONS", "FRAX_AGES", "FRAX_T_SCORES", "FRAX_UK_TEN_YEAR", "FALL_SHARE_OF_HIP_FRACTURES",
           "EXERCISE_FALL_RATE_RATIO", "PRIOR_FRACTURE_RISK_RATIO", "FractureInputs", "FRACTURES",
           "ten_year_probability", "yearly_hazards", "probability", "fall_rate_ratios", "fracture_variables",
           "cumulative_hazard", "fracture_times", "fracture_uniforms"]

#: Ages (years) and femoral-neck T-scores of :data:`FRAX_UK_TEN_YEAR`.
FRAX_AGES = (50.0, 60.0, 70.0, 80.0, 90.0)
FRAX_T_SCORES = (1.0, 0.0, -1.0, -2.0, -3.0, -4.0)
#: Citation keys of the fracture model.
FRACTURE_CITATIONS = ("Kanis2008", "Johnell2005", "Kanis2004", "Parkkari1999", "Sherrington2019")
#: Ten-year fracture probability (%) in the UK, BMI 25 kg/m2, no clinical risk factor, by age
#: (rows, :data:`FRAX_AGES`) and femoral-neck T-score (columns, :data:`FRAX_T_SCORES`): Kanis2008,
#: table 3 (a)-(d). ``None``: printed as "<0.1". "major" is hip, clinical spine, humerus or forearm.
FRAX_UK_TEN_YEAR = {
    ("male", "hip"): ((None, 0.1, 0.4, 1.3, 4.7, 16.0), (0.1, 0.2, 0.6, 1.9, 5.6, 15.6),
                      (0.2, 0.5, 1.1, 2.6, 5.9, 12.9), (0.6, 1.1, 1.9, 3.4, 6.1, 10.7),
                      (1.2, 1.8, 2.5, 3.8, 5.6, 8.3)),
    ("female", "hip"): ((None, 0.1, 0.2, 0.8, 3.2, 11.7), (0.1, 0.2, 0.4, 1.4, 4.4, 13.5),
                        (0.1, 0.4, 0.9, 2.4, 6.3, 16.2), (0.5, 1.0, 2.1, 4.4, 9.5, 19.7),
                        (1.2, 2.0, 3.5, 5.8, 9.8, 16.9)),
    ("male", "major"): ((2.5, 2.7, 3.5, 5.1, 9.2, 20.9), (3.0, 3.5, 4.5, 6.8, 11.5, 22.2),
                        (3.6, 4.3, 5.5, 8.2, 12.8, 20.9), (3.2, 4.0, 5.2, 7.6, 11.3, 16.9),
                        (3.1, 3.9, 5.1, 6.9, 9.7, 13.5)),
    ("female", "major"): ((3.0, 3.3, 3.8, 5.2, 8.5, 17.7), (4.2, 4.8, 5.6, 7.9, 12.6, 23.0),
                          (5.6, 6.8, 8.4, 11.5, 18.2, 30.4), (5.8, 7.5, 10.1, 13.8, 21.7, 34.3),
                          (5.1, 7.1, 9.9, 13.8, 20.0, 30.3)),
}
#: The fractures reported: key -> long name.
FRACTURES = {"hip": "hip fracture", "major": "major osteoporotic fracture (hip, clinical spine, humerus, forearm)"}
#: Risk ratio of fracture after a prior fragility fracture (Kanis2004).
PRIOR_FRACTURE_RISK_RATIO = 1.86
#: Share of hip fractures that result from a fall (Parkkari1999: 98 % of 206 consecutive cases).
FALL_SHARE_OF_HIP_FRACTURES = 0.98
#: Risk factors of :class:`FractureInputs` given as true, false or a share of a cohort's patients.
SHARED_FACTORS = ("family_history_hip_fracture", "oral_glucocorticoids")
#: Rate ratio of falls with exercise against control in older people living in the community
#: (Sherrington2019, all exercise types, 59 trials, high-certainty evidence).
EXERCISE_FALL_RATE_RATIO = 0.77


@dataclass(frozen=True)
class FractureInputs:
    """Clinical risk factors of fracture besides age, sex and BMD.

    Parameters
    ----------
    prior_fracture : bool
        A fragility fracture after the age of 50.
    fall_rate_ratio : float
        Rate of falls relative to the reference population of the risk table (1: as usual;
        2: twice as many falls), before any balance training.
    family_history_hip_fracture, oral_glucocorticoids : bool or float
        A parent or sibling with a hip fracture; oral glucocorticoids for more than 6 months: true
        or false for everyone, or the share of a cohort's patients who have it (0 to 1; each patient
        drawn with the seed, :func:`remodel.clinical.pathway.shared_risk_factors`). Risk factors of
        the algorithm for aromatase-inhibitor bone loss (:data:`remodel.clinical.pathway.AIBL_RISK_FACTORS`);
        the FRAX table used here is the one without clinical risk factors, so they do not change the
        fracture probabilities.
    """

    prior_fracture: bool = False
    fall_rate_ratio: float = bounded(0.1, 10.0, default=1.0)
    family_history_hip_fracture: bool | float = False
    oral_glucocorticoids: bool | float = False

    def __post_init__(self):
        check_ranges(self)
        for name in SHARED_FACTORS:
            value = getattr(self, name)
            if not (isinstance(value, bool) or 0.0 <= value <= 1.0):
                raise ValueError(f"{name} must be true, false or a share of patients between 0 and 1, got {value!r}")


def _log_table(sex: str, fracture: str) -> np.ndarray:
    """log of :data:`FRAX_UK_TEN_YEAR` (fractions) with the "<0.1" cells extrapolated along their row."""
    rows = []
    for row in FRAX_UK_TEN_YEAR[(sex, fracture)]:
        logs = [np.nan if v is None else np.log(v / 100.0) for v in row]
        if np.isnan(logs[0]):
            logs[0] = 2 * logs[1] - logs[2]
        rows.append(logs)
    return np.array(rows)


def ten_year_probability(age, t_score, sex: str, fracture: str) -> np.ndarray:
    """Ten-year probability (fraction) of ``fracture`` ("hip" or "major") at ``age`` and
    femoral-neck ``t_score`` (arrays broadcast together) without other risk factors: the FRAX UK
    table (Kanis2008), linear in age and log-linear in T-score, held at its edges."""
    table = _log_table(sex, fracture)
    ages, scores = np.array(FRAX_AGES), np.array(FRAX_T_SCORES)[::-1]
    table = table[:, ::-1]  # T-scores increasing
    a = np.clip(np.asarray(age, dtype=float), ages[0], ages[-1])
    t = np.clip(np.asarray(t_score, dtype=float), scores[0], scores[-1])
    a, t = np.broadcast_arrays(a, t)
    i = np.clip(np.searchsorted(ages, a, side="right") - 1, 0, len(ages) - 2)
    j = np.clip(np.searchsorted(scores, t, side="right") - 1, 0, len(scores) - 2)
    u = (a - ages[i]) / (ages[i + 1] - ages[i])
    v = (t - scores[j]) / (scores[j + 1] - scores[j])
    log_p = ((1 - u) * (1 - v) * table[i, j] + u * (1 - v) * table[i + 1, j]
             + (1 - u) * v * table[i, j + 1] + u * v * table[i + 1, j + 1])
    return np.exp(log_p)


def yearly_hazards(age, t_score, sex: str, inputs: FractureInputs, fall_rate_ratio=None) -> dict[str, np.ndarray]:
    """Yearly hazards ``{"hip": ..., "major": ...}`` with the risk factors of ``inputs``;
    ``fall_rate_ratio`` (broadcast with age) replaces ``inputs.fall_rate_ratio`` (e.g. lowered by
    balance training)."""
    falls = inputs.fall_rate_ratio if fall_rate_ratio is None else np.asarray(fall_rate_ratio, dtype=float)
    prior = PRIOR_FRACTURE_RISK_RATIO if inputs.prior_fracture else 1.0
    base = {f: -np.log1p(-ten_year_probability(age, t_score, sex, f)) / 10.0 for f in FRACTURES}
    hip = base["hip"] * prior * (1.0 - FALL_SHARE_OF_HIP_FRACTURES + FALL_SHARE_OF_HIP_FRACTURES * falls)
    return {"hip": hip, "major": (base["major"] - base["hip"]) * prior + hip}


def probability(hazard, years: float) -> np.ndarray:
    """Probability of at least one event in ``years`` at a constant yearly ``hazard``."""
    return -np.expm1(-np.asarray(hazard) * years)


def fall_rate_ratios(regimen, times, inputs: FractureInputs) -> np.ndarray:
    """Rate of falls relative to the reference population at ``times`` (years) under ``regimen``:
    ``inputs.fall_rate_ratio`` times :data:`EXERCISE_FALL_RATE_RATIO` while a balance-training
    programme is done, the reduction scaled by its adherence (the most adherent programme counts)."""
    from ..model.timing import active

    times = np.asarray(times, dtype=float)
    reduction = np.zeros_like(times)
    for programme in regimen.exercise:
        if programme.modality == "balance":
            reduction = np.maximum(reduction, (1.0 - EXERCISE_FALL_RATE_RATIO) * programme.adherence
                                   * active(programme, times))
    return inputs.fall_rate_ratio * (1.0 - reduction)


def cumulative_hazard(hazard, times) -> np.ndarray:
    """Integral of the yearly ``hazard`` (last dimension: ``times`` in years) from the first time,
    trapezoidal between times."""
    return np.concatenate([np.zeros(hazard.shape[:-1] + (1,)),
                           np.cumsum(0.5 * (hazard[..., 1:] + hazard[..., :-1]) * np.diff(times), axis=-1)], axis=-1)


#: Seed stream of the simulated fractures' uniform numbers (:mod:`remodel.cohort` uses 1, DXA 2).
_STREAM = 3


def fracture_uniforms(seed, patients: int) -> np.ndarray:
    """One uniform number in [0, 1) per patient of the stream of simulated fractures of ``seed``."""
    return np.random.default_rng([seed, _STREAM]).random(patients)


def fracture_times(t_score, age, times, sex: str, inputs: FractureInputs, fall_rate_ratio, uniforms) -> np.ndarray:
    r"""Time of each patient's first simulated major osteoporotic fracture (NaN: none by the last
    time), by inversion of the cumulative hazard of her trajectory: the first time at which

    .. math::

        \int_0^t h(s)\,ds \ge -\ln(1 - u),

    linear between ``times``, for her uniform number ``u`` (:func:`fracture_uniforms`).
    ``t_score``: femoral-neck T-score ``(patient, time)``; ``age``: ``(time,)``."""
    hazard = yearly_hazards(age, t_score, sex, inputs, fall_rate_ratio)["major"]
    integral = cumulative_hazard(np.atleast_2d(hazard), times)
    target = -np.log1p(-np.asarray(uniforms))[:, None]
    reached = integral >= target
    k = np.argmax(reached, axis=-1)
    found = reached.any(axis=-1)
    k0 = np.maximum(k - 1, 0)
    rows = np.arange(len(k))
    low, high = integral[rows, k0], integral[rows, k]
    fraction = np.where(high > low, (target[:, 0] - low) / np.where(high > low, high - low, 1.0), 0.0)
    when = times[k0] + np.clip(fraction, 0.0, 1.0) * (times[k] - times[k0])
    return np.where(found, when, np.nan)


_SOURCES = " (Kanis2008 FRAX UK table; Kanis2004, Parkkari1999, Sherrington2019; remodel.clinical.fracture)"


def fracture_variables(ds, sex: str, inputs: FractureInputs, regimens, seed=0) -> dict:
    """Fracture-risk variables of a simulation ``ds`` (dims ``[patient,] arm, time``) of
    ``regimens`` (arm name -> Regimen), from its femoral-neck ``t_score`` and ``age``:
    ``{name: (dims, values, attrs)}``; ``simulated_fracture_time`` draws each patient's first major
    fracture with ``seed`` (:func:`fracture_times`)."""
    import xarray as xr

    t = ds["t_score"].sel(site="femoral_neck").transpose(*(d for d in ("patient", "arm") if d in ds.dims), "time")
    times = ds["time"].values
    falls = xr.DataArray(np.stack([fall_rate_ratios(regimens[str(a)], times, inputs) for a in ds["arm"].values]),
                         dims=("arm", "time")).broadcast_like(t).transpose(*t.dims).values
    hazards = yearly_hazards(ds["age"].values, t.values, sex, inputs, falls)
    out = {"fall_rate_ratio": (t.dims, falls, {
        "units": "1", "long_name": "rate of falls relative to the reference population",
        "description": "the population's fall rate, lowered by balance training with its adherence" + _SOURCES})}
    for key, name in FRACTURES.items():
        h = hazards[key]
        for years in (5, 10):
            out[f"{key}_fracture_probability_{years}y"] = (t.dims, 100.0 * probability(h, years), {
                "units": "%", "long_name": f"{years}-year probability of {name}",
                "description": f"probability of a first {name} in the next {years} years at the age and "
                               "femoral-neck T-score of each time, with prior fracture and falls" + _SOURCES})
        out[f"{key}_fracture_cumulative_probability"] = (t.dims, 100.0 * -np.expm1(-cumulative_hazard(h, times)), {
            "units": "%", "long_name": f"probability of {name} since the simulation start",
            "description": f"probability of a first {name} between the start and each time, integrating the "
                           "yearly hazard of the simulated age and femoral-neck T-score" + _SOURCES})
    patients = t.sizes.get("patient", 1)
    flat = t.values.reshape(-1, len(times))
    per_arm = falls.reshape(-1, len(times))
    arms = t.sizes["arm"]
    uniforms = np.repeat(fracture_uniforms(seed, patients), arms)  # (patient, arm) flattened, patient-major
    when = fracture_times(flat, ds["age"].values, times, sex, inputs, per_arm, uniforms)
    out["simulated_fracture_time"] = (t.dims[:-1], when.reshape(t.shape[:-1]), {
        "units": "year", "long_name": "time of the simulated first major osteoporotic fracture",
        "description": "drawn from each patient's yearly hazard along her trajectory with the run's seed, the same "
                       "uniform number in every arm (NaN: none within the horizon)" + _SOURCES})
    return out
