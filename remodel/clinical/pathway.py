r"""The clinical pathway of an arm: DXA scans on a schedule, and rules that start or stop a therapy
from what a scan measures, after a simulated fracture, or by the risk factors of the algorithm for
aromatase-inhibitor bone loss (Hadji2011, Hadji2017); for example zoledronic acid 4 mg every 6 months
once the measured T-score at any site is below -2.0 or after a fracture, as in the delayed arm of
ZO-FAST (Coleman2013), then a drug holiday after 5 years (Black2006).

**Visits.** Rules are evaluated at visits: every scan of the arm's schedule and, when a rule acts on
fractures, every output time (a fracture is acted on at the first output time at or after it).
At a visit that is not a scan only ``after_fracture`` can be met.

**Order of evaluation.** At each visit the arm's rules are evaluated in the order the file gives
them (for a factorial arm: factor by factor, in the order of the factors), each on the state the
rules before it left at that visit: a stop rule listed before a start rule of the same class can
stop one drug and let the next start at the same visit; listed after it, it sees the drug just
started (which has not yet been taken for any time). The conditions of one rule are alternatives
(any of them meets the rule).

* A **start** rule starts its therapy at the visit (for ``duration_years``, or to the horizon). It
  fires at most once per patient (``repeat``: again at any later visit that meets it, as after a
  drug holiday), and not while she takes a drug of the same class (two bisphosphonates at a time
  are refused, as in the arm's own therapies).
* A **stop** rule stops every course of its drug the patient takes at the visit (a course started
  by a rule or in the arm's therapies; doses end there). ``after_years``: the course has been
  taken that long by the visit (a drug holiday after N years, Black2006); ``t_score_above``: the
  measured T-score has recovered above the threshold.

Sites: ``"any"`` reads the lowest measured T-score of the three sites (so "below -2.0 at any site"
and "recovered above -1.5 at every site" are both on the lowest), and a loss at any site.

**Simulated fractures.** With fracture risk factors (:class:`~remodel.clinical.fracture.FractureInputs`),
each patient's first major osteoporotic fracture is drawn from the hazard of her own simulated
trajectory (:func:`remodel.clinical.fracture.fracture_times`): one uniform number per patient from
``numpy.random.default_rng([seed, 3])``, the same in every arm, so that the same seed gives the same
fractures and an arm with a lower hazard fractures later or not at all.

**The aromatase-inhibitor bone-loss algorithm** (``aibl_algorithm``; Hadji2017, as Hadji2011 with the
T-score rule refined): bone-directed therapy for a measured T-score below -2.0, or for two or more
risk factors of :data:`AIBL_RISK_FACTORS` (a T-score below -1.5 with one more risk factor is two of
them). The risk factors are read at each scan: the measured T-score, the age, the BMI of the
population's weight with the arm's weight change, smoking (the arm's habits, current or past), a
prior fragility fracture (``[fracture_risk] prior_fracture`` or a simulated fracture before the
scan), a family history of hip fracture and oral glucocorticoids for more than 6 months
(``[fracture_risk]``: for everyone, or in a cohort a share of the patients, each drawn with the seed).

**Simulation.** A patient's trajectory up to a visit does not depend on what is decided there, so
the arm is simulated lazily: every patient with the arm as given, then, visit by visit, only the
patients whose regimen a rule changed, with their new regimen (one batch per distinct regimen),
to the horizon. Each patient keeps the simulation of her final regimen; the decisions were made on
the simulation valid up to each visit. Measurements use :mod:`~remodel.clinical.dxa` (seeded, the
same errors in every arm).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..model.sites import SITES
from ..model.timing import DAYS_PER_YEAR, window
from ..regimen import Regimen
from ..therapies import DRUGS, Therapy
from . import dxa
from .fracture import SHARED_FACTORS, FractureInputs, fall_rate_ratios, fracture_times, fracture_uniforms

__all__ = ["AIBL_CITATIONS", "AIBL_RISK_FACTORS", "AIBL_TREAT_BELOW", "Pathway", "StopRule", "TreatmentRule", "Visit",
           "run_pathways", "shared_risk_factors"]

#: Citation keys of the algorithm for aromatase-inhibitor bone loss.
AIBL_CITATIONS = ("Hadji2011", "Hadji2017")
#: Measured T-score below which the algorithm for aromatase-inhibitor bone loss treats whatever
#: the risk factors (Hadji2011, Hadji2017).
AIBL_TREAT_BELOW = -2.0
#: Risk factors of the algorithm for aromatase-inhibitor bone loss: key -> description. Hadji2017
#: (READ, in its published summaries): therapy for T < -2.0, for T < -1.5 with one additional risk
#: factor, or for two or more risk factors without BMD; risk factors named there: low BMD, family
#: history of hip fracture, personal fragility fracture after 50, oral corticosteroids for more than
#: 6 months, smoking. Age over 65 and a BMI below 20 kg/m2 are from the algorithm's figure as
#: RECALLED (Hadji2011's list, "unchanged" since its 2008 version), not checked against the figure.
AIBL_RISK_FACTORS = {
    "t_score": "measured T-score below -1.5",
    "age": "age over 65 years",
    "bmi": "body mass index below 20 kg/m2",
    "smoking": "smoking (current or past)",
    "family_history": "family history of hip fracture",
    "prior_fracture": "personal fragility fracture after the age of 50",
    "glucocorticoids": "oral glucocorticoids for more than 6 months",
}
_AIBL_T_SCORE, _AIBL_AGE, _AIBL_BMI = -1.5, 65.0, 20.0
#: Seed stream of the risk factors drawn by share (1: cohort's measured changes, 2: DXA, 3: fractures).
_RISK_FACTOR_STREAM = 5


@dataclass(frozen=True)
class Visit:
    """What the clinic knows of each of ``P`` patients at a visit at ``time`` (years).

    Attributes
    ----------
    time : float
    t_score, change : ndarray (P, site) or None
        Measured T-score and change from the baseline scan (%) when the visit is a scan, else None.
    fractured : ndarray (P,) of bool
        A simulated fracture at or before ``time``.
    risk_factors : ndarray (P,) of int or None
        Number of :data:`AIBL_RISK_FACTORS` present (at scans).
    """

    time: float
    t_score: np.ndarray | None
    change: np.ndarray | None
    fractured: np.ndarray
    risk_factors: np.ndarray | None = None


def _columns(site: str):
    return slice(None) if site == "any" else [SITES.index(site)]


def _site_words(site: str) -> str:
    return "at any site" if site == "any" else f"at the {site.replace('_', ' ')}"


def _check_site(site: str) -> None:
    if site != "any" and site not in SITES:
        raise ValueError(f"unknown site {site!r}; sites: any, {', '.join(SITES)}")


@dataclass(frozen=True)
class TreatmentRule:
    """Start ``therapy`` at the first visit where the measured T-score at ``site`` (``"any"``: the
    lowest of the sites) is below ``t_score_below``, or (``significant_loss``) the measured BMD has
    fallen from the baseline scan by at least the least significant change, or (``after_fracture``)
    a simulated fracture has happened, or (``aibl_algorithm``) the algorithm for
    aromatase-inhibitor bone loss calls for therapy; the therapy lasts ``duration_years`` (None: to
    the horizon); with ``repeat`` it starts again at any later visit that meets the rule while no drug
    of its class is taken. ``therapy.start_year`` and ``stop_year`` are replaced. ``after_fracture`` reads the
    fractures simulated from the start on; a fracture before it is ``FractureInputs.prior_fracture``,
    a risk factor of ``aibl_algorithm``."""

    therapy: Therapy
    t_score_below: float | None = None
    significant_loss: bool = False
    site: str = "any"
    duration_years: float | None = None
    after_fracture: bool = False
    aibl_algorithm: bool = False
    repeat: bool = False

    def __post_init__(self):
        if self.t_score_below is None and not (self.significant_loss or self.after_fracture or self.aibl_algorithm):
            raise ValueError("a treatment rule needs t_score_below, significant_loss, after_fracture or aibl_algorithm")
        _check_site(self.site)

    def describe(self) -> str:
        """One line: what is started, and when."""
        t = self.therapy
        every = "" if t.interval_days is None else f" every {t.interval_days:g} days" if t.interval_days < 28 else \
            f" every {t.interval_days / (DAYS_PER_YEAR / 12):.3g} months"
        when = [f"a measured T-score < {self.t_score_below:g} {_site_words(self.site)}"] \
            if self.t_score_below is not None else []
        when += [f"a loss >= least significant change {_site_words(self.site)}"] if self.significant_loss else []
        when += ["a fracture"] if self.after_fracture else []
        when += [f"T-score < {AIBL_TREAT_BELOW:g} or >= 2 risk factors (Hadji2017)"] if self.aibl_algorithm else []
        lasting = "" if self.duration_years is None else f" for {self.duration_years:g} years"
        visit = "every visit" if self.repeat else "the first visit"
        return (f"start {t.drug} {t.dose:g} {DRUGS[t.drug].dose_units}{every}{lasting} at {visit} with "
                f"{' or '.join(when)}")

    @property
    def drug(self) -> str:
        return self.therapy.drug

    def started(self, year: float) -> Therapy:
        """The therapy started at ``year``."""
        stop = None if self.duration_years is None else year + self.duration_years
        return dataclasses.replace(self.therapy, start_year=year, stop_year=stop)

    def met(self, measured: dict[str, np.ndarray]) -> np.ndarray:
        """Whether each scan of ``measured`` (:func:`remodel.clinical.dxa.scan_values`, last dims
        ``(scan, site)``) meets the rule's measured conditions: ``(..., scan)``."""
        columns = _columns(self.site)
        met = np.zeros(measured["t_score"].shape[:-1], dtype=bool)
        if self.t_score_below is not None:
            met |= (measured["t_score"][..., columns] < self.t_score_below).any(axis=-1)
        if self.significant_loss:
            lsc = np.array([dxa.least_significant_change(s) for s in SITES])
            met |= (measured["change"] <= -lsc)[..., columns].any(axis=-1)
        return met

    def decide(self, visit: Visit) -> np.ndarray:
        """Whether the rule is met at ``visit``, per patient."""
        met = visit.fractured.copy() if self.after_fracture else np.zeros(visit.fractured.shape, dtype=bool)
        if visit.t_score is not None:
            met |= self.met({"t_score": visit.t_score, "change": visit.change})
            if self.aibl_algorithm:
                met |= (visit.t_score.min(axis=-1) < AIBL_TREAT_BELOW) | (visit.risk_factors >= 2)
        return met


@dataclass(frozen=True)
class StopRule:
    """Stop every course of ``drug`` the patient takes at a scan where the course has been taken
    ``after_years`` (a drug holiday) or the measured T-score at ``site`` (``"any"``: the lowest of the
    sites) is above ``t_score_above``."""

    drug: str
    t_score_above: float | None = None
    after_years: float | None = None
    site: str = "any"

    def __post_init__(self):
        if self.drug not in DRUGS:
            raise ValueError(f"unknown drug {self.drug!r}; known drugs: {', '.join(sorted(DRUGS))}")
        if self.t_score_above is None and self.after_years is None:
            raise ValueError("a stop rule needs t_score_above or after_years")
        _check_site(self.site)

    def describe(self) -> str:
        """One line: what is stopped, and when."""
        when = [f"it has been taken {self.after_years:g} years"] if self.after_years is not None else []
        where = "at every site" if self.site == "any" else _site_words(self.site)
        when += [f"the measured T-score is > {self.t_score_above:g} {where}"] if self.t_score_above is not None else []
        return f"stop {self.drug} at the first scan at which {' or '.join(when)}"

    def decide(self, visit: Visit, since: np.ndarray) -> np.ndarray:
        """Whether the rule is met at ``visit`` for patients who have taken the drug ``since`` years."""
        if visit.t_score is None:
            return np.zeros(visit.fractured.shape, dtype=bool)
        met = np.zeros(visit.fractured.shape, dtype=bool)
        if self.after_years is not None:
            met |= since >= self.after_years - 1e-9
        if self.t_score_above is not None:
            met |= visit.t_score[:, _columns(self.site)].min(axis=-1) > self.t_score_above
        return met


@dataclass(frozen=True)
class Pathway:
    """What the clinic does in one arm: a scan schedule and rules evaluated in order at each visit."""

    monitoring: dxa.Monitoring
    rules: tuple[TreatmentRule | StopRule, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "rules", tuple(self.rules))

    @property
    def acts_on_fractures(self) -> bool:
        return any(isinstance(r, TreatmentRule) and r.after_fracture for r in self.rules)

    def describe(self) -> str:
        """The rules, numbered when there are several."""
        if len(self.rules) == 1:
            return self.rules[0].describe()
        return "; ".join(f"{k + 1}. {r.describe()}" for k, r in enumerate(self.rules))


def _ongoing(therapies, drug: str, year: float) -> list[int]:
    """Indices of the courses of ``drug`` taken at ``year``."""
    return [i for i, t in enumerate(therapies) if t.drug == drug and t.start_year <= year + 1e-9 < t.stop]


def _apply(rule, therapies: tuple[Therapy, ...], year: float, fired_before: bool):
    """The therapies after ``rule`` fires at ``year``, or None if it cannot act on them."""
    if isinstance(rule, TreatmentRule):
        action = DRUGS[rule.drug].action
        if fired_before and not rule.repeat or any(DRUGS[t.drug].action == action and t.start_year <= year + 1e-9 < t.stop
                               for t in therapies):
            return None
        return therapies + (rule.started(year),)
    courses = _ongoing(therapies, rule.drug, year)
    if not courses:
        return None
    return tuple(dataclasses.replace(t, stop_year=year) if i in courses and t.start_year < year - 1e-9 else t
                 for i, t in enumerate(therapies) if not (i in courses and t.start_year >= year - 1e-9))


def _since(therapies, drug: str, year: float) -> float:
    """Years the current course of ``drug`` has been taken at ``year`` (-inf: none)."""
    courses = _ongoing(therapies, drug, year)
    return max((year - therapies[i].start_year for i in courses), default=-math.inf)


class _Arm:
    """The patients of one arm with rules: their regimens and the simulation each keeps."""

    def __init__(self, name, regimen, pathway, data, n_patients):
        self.name, self.regimen, self.pathway = name, regimen, pathway
        self.therapies = [regimen.therapies] * n_patients
        self.fired = np.full((n_patients, len(pathway.rules)), np.nan)
        self.pieces = [(data, np.arange(n_patients))]  # (dataset, patients): later pieces override
        self.bmd, self.t_fn = self._read(data, n_patients)

    @staticmethod
    def _read(data, n):
        """BMD ``(patient, time, site)`` and femoral-neck T-score ``(patient, time)`` of ``n`` patients."""
        bmd = data["bmd"].transpose(..., "time", "site").values.reshape(n, -1, len(SITES)).copy()
        return bmd, data["t_score"].sel(site="femoral_neck").transpose(..., "time").values.reshape(n, -1).copy()

    def update(self, data, patients) -> None:
        self.pieces.append((data, patients))
        self.bmd[patients], self.t_fn[patients] = self._read(data, len(patients))


def shared_risk_factors(inputs: FractureInputs, patients: int, seed) -> np.ndarray:
    """Whether each patient has each of :data:`remodel.clinical.fracture.SHARED_FACTORS` ``(patient,
    factor)``: everyone (true), no one (false), or each patient with the probability of the share
    given, from ``numpy.random.default_rng([seed, 5])``."""
    shares = np.array([float(getattr(inputs, name)) for name in SHARED_FACTORS])
    return np.random.default_rng([seed, _RISK_FACTOR_STREAM]).random((patients, len(shares))) < shares


def _risk_factors(arm: _Arm, population, time: float, t_score, fractured, prior: bool, shared) -> np.ndarray:
    """Number of :data:`AIBL_RISK_FACTORS` present at ``time`` per patient (``shared``: those of
    :func:`shared_risk_factors`; ``prior``: a fracture before the start)."""
    from ..model.physiology.body import body_weight

    regimen = arm.regimen
    change = regimen.weight
    weight = population.weight_kg if change is None else float(body_weight(
        population.weight_kg, change.change_kg, change.start_year * DAYS_PER_YEAR, change.stop_year * DAYS_PER_YEAR,
        time * DAYS_PER_YEAR))
    habits = regimen.habits
    smoking = habits.cigarettes_per_day > 0 and window(habits)[0] <= time
    fixed = sum([population.age + time > _AIBL_AGE, weight / population.height_m**2 < _AIBL_BMI, smoking])
    return fixed + shared.sum(axis=-1) + (t_score.min(axis=-1) < _AIBL_T_SCORE) + (prior | fractured)


def run_pathways(simulate_arms, arms: dict[str, Regimen], pathways: dict[str, Pathway], years: float,
                 population, seed: int = 0, fracture: FractureInputs | None = None):
    """Simulate ``arms`` with their ``pathways`` (arm name -> :class:`Pathway`; arms without one
    are simulated as usual). ``simulate_arms(dict of name -> Regimen, patients=None)`` returns the
    Dataset of :func:`remodel.simulate` (or :func:`remodel.simulate_cohort`, for the ``patients``
    given by index) with an ``arm`` dimension and the scan times among its output times.

    Returns the Dataset of ``arms`` with the scan variables (dimension ``scan``): ``scan_time``,
    ``measured_bmd``, ``measured_t_score``, ``measured_bmd_change``, ``significant_change``,
    ``first_significant_change_time``, ``least_significant_change``, ``treatment_rule`` (the rules'
    text; empty without one), ``rule_description``, ``rule_action`` and ``rule_fired_time`` (dimension
    ``rule``) and
    ``treatment_start_time`` (the first therapy a start rule began; NaN: never, or no rule); with
    ``fracture`` risk factors, ``simulated_fracture_time``.
    """
    import xarray as xr

    full = simulate_arms(dict(arms))
    if not pathways:
        return full
    times = full["time"].values
    missing = sorted({t for p in pathways.values() for t in p.monitoring.scan_years(years)}
                     - {round(float(t), 9) for t in times})
    if missing:
        raise ValueError(f"scan times {missing} are not output times of the simulation; add them to its output times")
    if fracture is None and any(p.acts_on_fractures for p in pathways.values()):
        raise ValueError("a rule after a fracture needs the fracture risk factors (fracture=FractureInputs())")
    cohort = "patient" in full.dims
    n_patients = full.sizes["patient"] if cohort else 1
    schedules = {name: p.monitoring.scan_years(years) for name, p in pathways.items()}
    n_scans = max(map(len, schedules.values()), default=0)
    errors = dxa.measurement_errors(seed, n_patients, n_scans, len(SITES))
    uniforms = fracture_uniforms(seed, n_patients)
    shared = shared_risk_factors(fracture or FractureInputs(), n_patients, seed)
    sex = population.sex
    ruled = {name: _Arm(name, arms[name], p, full.sel(arm=name), n_patients)
             for name, p in pathways.items() if p.rules}
    for name, arm in ruled.items():
        def simulate(regimen, patients, name=name):
            return simulate_arms({name: regimen}, patients if cohort else None).sel(arm=name)

        _decide(arm, schedules[name], errors, uniforms, shared, times, full["age"].values, population, fracture,
                simulate)

    chosen, scans = [], {}
    for name in arms:
        data = full.sel(arm=name)
        if name in ruled:
            data = _assemble(data, ruled[name].pieces, cohort)
        if name in pathways:
            scan_times = list(schedules[name])
            own = errors[:, : len(scan_times)] if cohort else errors[0, : len(scan_times)]
            scans[name] = (scan_times, dxa.scan_values(data["bmd"].sel(time=scan_times, method="nearest").values,
                                                       sex, SITES, own))
        chosen.append(data.drop_vars("arm", errors="ignore"))
    ds = xr.concat(chosen, dim=xr.Variable("arm", list(arms), {"long_name": "treatment arm"}),
                   coords="minimal", compat="override", join="override")
    ds = ds.transpose(*(d for d in full.dims if d in ds.dims))  # the arm back in its place
    ds.attrs = dict(full.attrs, arms="; ".join(
        f"{a}: {arms[a]!r}" + (f"; pathway: {pathways[a]!r}" if a in pathways else "") for a in arms))
    if cohort and "bmd_change_measured" in full:
        from ..cohort import measured_change

        ds["bmd_change_measured"] = measured_change(ds, seed)
    ds = ds.assign(_scan_variables(ds, scans, n_scans, cohort))
    ds = ds.assign(_rule_variables(ds, pathways, ruled, cohort))
    return ds


def _decide(arm: _Arm, scan_times, errors, uniforms, shared, times, ages, population, inputs, simulate) -> None:
    """Evaluate the rules of ``arm`` visit by visit, re-simulating the patients whose regimen changes
    (``simulate(regimen, patients)``: the Dataset of those patients, without an arm dimension)."""
    pathway, n = arm.pathway, len(arm.therapies)
    visits = sorted(set(scan_times) | (set(np.round(times, 9)) if pathway.acts_on_fractures else set()))
    scan_index = {t: k for k, t in enumerate(scan_times)}
    falls = None if inputs is None else fall_rate_ratios(arm.regimen, times, inputs)
    for year in visits:
        fractured = np.zeros(n, dtype=bool)
        if inputs is not None:
            when = fracture_times(arm.t_fn, ages, times, population.sex, inputs, falls, uniforms)
            fractured = when <= year + 1e-9
        t_score = change = risk = None
        if year in scan_index:
            k = scan_index[year]
            bmd = arm.bmd[:, [int(np.argmin(np.abs(times - s))) for s in scan_times[: k + 1]], :]
            measured = dxa.scan_values(bmd, population.sex, SITES, errors[:, : k + 1])
            t_score, change = measured["t_score"][:, -1], measured["change"][:, -1]
            if any(isinstance(r, TreatmentRule) and r.aibl_algorithm for r in pathway.rules):
                prior = inputs is not None and inputs.prior_fracture
                risk = _risk_factors(arm, population, year, t_score, fractured, prior, shared)
        visit = Visit(year, t_score, change, fractured, risk)
        before = list(arm.therapies)
        for r, rule in enumerate(pathway.rules):
            if isinstance(rule, TreatmentRule):
                met = rule.decide(visit)
            else:
                since = np.array([_since(t, rule.drug, year) for t in arm.therapies])
                met = rule.decide(visit, since)
            for p in np.flatnonzero(met):
                changed = _apply(rule, arm.therapies[p], year, np.isfinite(arm.fired[p, r]))
                if changed is not None:
                    arm.therapies[p] = changed
                    if not np.isfinite(arm.fired[p, r]):
                        arm.fired[p, r] = year
        groups: dict[tuple, list[int]] = {}
        for p in range(n):
            if arm.therapies[p] != before[p]:
                groups.setdefault(arm.therapies[p], []).append(p)
        for therapies, patients in groups.items():
            patients = np.array(patients)
            arm.update(simulate(dataclasses.replace(arm.regimen, therapies=therapies), patients), patients)


def _assemble(base, pieces, cohort):
    """``base`` (one arm) with each patient's variables from the last piece that simulated her."""
    if not cohort:
        return pieces[-1][0]
    data = base.copy()
    for name, variable in base.data_vars.items():
        if "patient" in variable.dims:
            first = variable.transpose("patient", ...)
            values = first.values.copy()
            for piece, patients in pieces[1:]:
                values[patients] = piece[name].transpose(*first.dims).values
            data[name] = first.copy(data=values).transpose(*variable.dims)
    return data


def _rule_variables(ds, pathways, ruled, cohort) -> dict:
    """``treatment_rule``, ``rule_description``, ``rule_action``, ``rule_fired_time`` and
    ``treatment_start_time``."""
    arms = [str(a) for a in ds["arm"].values]
    n_rules = max((len(p.rules) for p in pathways.values()), default=0)
    lead = ("patient",) if cohort else ()
    n = ds.sizes["patient"] if cohort else 1
    fired = np.full((n, len(arms), n_rules), np.nan)
    texts = np.full((len(arms), n_rules), "", dtype=object)
    actions = np.full((len(arms), n_rules), "", dtype=object)
    start = np.full((n, len(arms)), np.nan)
    for a, name in enumerate(arms):
        if name in ruled:
            arm = ruled[name]
            fired[:, a, : arm.fired.shape[1]] = arm.fired
            starts = [r for r, rule in enumerate(arm.pathway.rules) if isinstance(rule, TreatmentRule)]
            if starts:
                first = np.where(np.isnan(arm.fired[:, starts]), np.inf, arm.fired[:, starts]).min(axis=1)
                start[:, a] = np.where(np.isinf(first), np.nan, first)
            texts[a, : len(arm.pathway.rules)] = [r.describe() for r in arm.pathway.rules]
            actions[a, : len(arm.pathway.rules)] = ["start" if isinstance(r, TreatmentRule) else "stop"
                                                    for r in arm.pathway.rules]
    if not cohort:
        fired, start = fired[0], start[0]
    return {
        "treatment_rule": (("arm",), np.array([pathways[a].describe() if a in ruled else "" for a in arms],
                                               dtype=object), {
            "long_name": "treatment rules of the arm",
            "description": "what the rules start or stop and when, in their order of evaluation (empty: no rule)"}),
        "rule_description": (("arm", "rule"), texts, {
            "long_name": "treatment rule", "description": "each rule of the arm in its order of evaluation "
                                                         "(empty: none; remodel.clinical.pathway)"}),
        "rule_action": (("arm", "rule"), actions, {
            "long_name": "what the rule does", "description": "start or stop (empty: no rule)"}),
        "rule_fired_time": (lead + ("arm", "rule"), fired, {
            "units": "year", "long_name": "first time the rule changed the therapy",
            "description": "time of the first visit at which the rule started or stopped a therapy (NaN: never)"}),
        "treatment_start_time": (lead + ("arm",), start, {
            "units": "year", "long_name": "start of the first therapy of the arm's rules",
            "description": "time of the first visit at which a start rule of the arm began its therapy (NaN: never, "
                           "or no start rule)"}),
    }


def _scan_variables(ds, scans, n_scans, cohort) -> dict:
    """The scan variables of :func:`run_pathways` (NaN where an arm has fewer scans or none)."""
    arms = [str(a) for a in ds["arm"].values]
    lead = ("patient",) if cohort else ()
    shape = ((ds.sizes["patient"],) if cohort else ()) + (len(arms), n_scans, len(SITES))
    values = {k: np.full(shape, np.nan) for k in ("bmd", "t_score", "change", "significant")}
    first_time = np.full(shape[:-2] + (len(SITES),), np.nan)
    scan_time = np.full((len(arms), n_scans), np.nan)
    for a, name in enumerate(arms):
        if name not in scans:
            continue
        times, measured = scans[name]
        scan_time[a, : len(times)] = times
        for key in values:
            values[key][..., a, : len(times), :] = measured[key]
        first = measured["first_significant"]
        first_time[..., a, :] = np.where(first >= 0, np.asarray(times)[np.maximum(first, 0)], np.nan)
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
    }
