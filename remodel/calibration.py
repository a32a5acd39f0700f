"""Calibration: fit the calibrated parameters of Remodel2026 to the clinical trial table.

The values of Remodel2026 come from the fits of :data:`FITS`, run in turn: the joint fit of the
shared physiology (every parameter of :data:`PRIORS`, to every target of ``calibration_trials.csv``
and ``extra_targets.csv`` but the rows of the drug blocks, with the contract's :data:`~remodel.behaviours.BEHAVIOURS`),
then the blocks fitted alone, every other parameter fixed: the men's sex-steroid parameters
(``men``), the PTH analogues' efficacy (``pth``), abaloparatide's potency (``abaloparatide``) and
romosozumab's efficacy (``romosozumab``), each to its own rows (the men's with the
Finkelstein2016 behaviours, romosozumab's with its site ratios and the waning of its formation
response). Each fit declares its parameters
with their priors (their bounds and sources are in the parameter records), its rows and the block
of ``remodel/parameter_sets/remodel2026.py`` that holds its values; one code path
(:class:`Calibration`) runs any of them.

``python -m remodel.calibration [--fit joint|men|pth|abaloparatide|romosozumab|all]`` runs a fit
(default: the joint fit; ``all``: every fit in turn, each from the values of the fits before it),
starting from the values of the Remodel2026 set, and prints each fitted value and each target;
``--write`` stores the values in the fit's block of ``remodel2026.py``; ``--from-priors`` starts
from the prior centres instead (an independent start, to check that the fit returns the same
values; far from the optimum a joint evaluation takes minutes, so it is slow); ``--check`` only
reports the cost and how far one Gauss-Newton step would move the shipped values; ``--max-nfev``
caps the evaluations (default 60). A joint fit from the shipped values took about an hour on 2
shared cores (it was stopped before converging), a joint check a few minutes; a block's fit takes
seconds (men, romosozumab) to a few minutes (the PTH analogues: about 6 s an evaluation).

Every fit is penalised least squares in ``x = ln p`` of its parameters:

.. math::

    \\min_x \\sum_i \\left(\\frac{s_i(x) - o_i}{\\tau_i}\\right)^2
          + \\sum_{i \\in T} w^2 \\left[\\left(\\frac{|s_i - o_i|}{\\tau_i} - 0.9\\right)_+^2
          + \\left(\\frac{d_i}{\\tau_i}\\right)_+^2\\right]
          + \\sum_j \\left(\\frac{x_j - \\ln p_{0,j}}{\\sigma}\\right)^2

with ``s_i`` the simulated and ``o_i`` the observed value of target ``i``, ``τ_i`` its validation
tolerance (:func:`remodel.validation.tolerance`), ``p_0`` the prior centre of each parameter
(its fit's priors, each with its basis; :data:`PRIORS` for the joint fit) and ``σ = ln(10)/2``
(95 % of the prior within a factor of 10 of its centre). The middle sum makes the validation rules hard constraints for every row ``T`` that
the fit uses: with ``d_i = m - s_i sign(o_i)`` where the
observation is a change, and ``d_i = min(|s_i| - (0.25 - m), m - s_i sign(o_i))`` where it is "no
change" (within +-0.25 points of zero, which :mod:`remodel.validation` matches by a simulation as
close to zero or on the observed side of it; ``d_i = |s_i| - (0.25 - m)`` for an observation of
exactly 0, which has no side), a
parameter set that leaves a row outside its tolerance or on the wrong side of zero is not a
solution, whatever its other residuals (``w`` = :data:`PENALTY`, margin ``m`` =
:data:`DIRECTION_MARGIN` points). Behaviours of the physiology contract that no trial row encodes
(:data:`~remodel.behaviours.BEHAVIOURS`: denosumab stopping resorption within days and holding bone
through each dosing interval, the timing and height of its offset, its hip gain more volume than
mineral density, the anti-resorptives' site order (spine, total hip, femoral neck), the alendronate
dose-response and FLEX's course, the postmenopausal spine gain held
on tamoxifen, bounded and levelling exercise gains, calcium that helps the deficient without adding
bone year after year, lifestyle that does not undo an aromatase inhibitor) are hard constraints of
the joint fit in the same way, ``w`` times how far each lies outside its bounds (they
do not depend on the blocks' parameters). The rows of the drugs in :data:`FITTED_ALONE_DRUGS` are
left out of the joint fit: their own parameters are fitted to them afterwards. The priors are weak:
they move a well-constrained parameter by much less than its data do, but they make the minimum
unique where the trials leave a direction free (turnover vs estrogen sensitivity, the denosumab pool
rate), so that re-running the fit can return the same values.
Solver: :func:`scipy.optimize.least_squares` (trust-region reflective, bounds from the parameter
records), Jacobian by forward differences of step ``1e-4`` in ``x``, all parameter sets of one
Jacobian simulated as one batch at rtol 1e-9 (1e-8 for the PTH analogues, see :class:`Fit`).
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from .behaviours import BEHAVIOURS, MEN_BEHAVIOURS, ROMOSOZUMAB_BEHAVIOURS, finkelstein_course, joint_behaviours, romosozumab_course
from .model.timing import DAYS_PER_YEAR
from .parameter_sets import remodel2026
from .parameters import parameter_set
from .trials import EXTRA_TARGETS, load_targets, load_trial_scenarios, simulated_values
from .validation import STABLE_BAND, tolerance

__all__ = ["Prior", "PRIORS", "PRIOR_SIGMA", "Fit", "FITS", "FITS_BY_NAME", "Calibration", "calibrate", "check", "write_calibrated"]


@dataclass(frozen=True)
class Prior:
    """Centre of the weak log-normal prior of a calibrated parameter and the basis of that value."""

    centre: float
    basis: str


#: Prior centres: literature values where they exist, otherwise a neutral order of magnitude.
PRIORS = {
    "K_E2": Prior(10.0, "Ettinger2004: ultralow-dose estradiol (+4 pg/mL) raises BMD, so bone responds around 10 pg/mL"),
    "eps_tamoxifen": Prior(0.5, "neutral: halfway between antagonist and full agonist"),
    "eps_tamoxifen_OB": Prior(0.5, "neutral: halfway between antagonist and full agonist"),
    "gamma_age": Prior(0.01, "neutral: 1 %/year decline of osteoprogenitor supply"),
    "kappa_form": Prior(1.0, "neutral: an overload of 1 doubles osteoblastogenesis"),
    "rho_lumbar_spine": Prior(0.2 / DAYS_PER_YEAR, "Parfitt2002: cancellous bone turns over ~25 %/year, cortical ~3 %/year"),
    "rho_total_hip": Prior(0.12 / DAYS_PER_YEAR, "Parfitt2002: as rho_lumbar_spine, a more cortical site"),
    "rho_femoral_neck": Prior(0.12 / DAYS_PER_YEAR, "Parfitt2002: as rho_lumbar_spine, a more cortical site"),
    "eta_PTH": Prior(0.5, "neutral order of magnitude"),
    "zeta_protein": Prior(0.1, "neutral order of magnitude"),
    "lambda_smoke_OB": Prior(0.1, "WardKlesges2001: smokers' BMD deficit about a tenth of an SD, growing with age"),
    "ell_max": Prior(1.2, "neutral: a day's loading stimulus at most a fifth above the habitual"),
    "H_habitual": Prior(500.0, "neutral: a few thousand steps a day at walking strain, saturated"),
    "k_sec": Prior(2e-3, "Roschger2010: mineralisation after 10 years of alendronate the same as after 5 on and 5 off, so saturated within 5 years (half-time at most a year); MartinezReina2019: 0.007/day for the fast phase"),
    "f_modeling": Prior(0.1, "neutral: a tenth of formation modeling-based (Ominsky2015, Dempster2020: modeling-based formation on every envelope of the femoral neck, not its share)"),
    "E_max_BP": Prior(5.0, "neutral order of magnitude"),
    "EC50_BP": Prior(1.0, "neutral: 1 mg alendronate-equivalent on the bone surface"),
    "chi_den": Prior(10.0, "neutral: denosumab binds RANKL with picomolar affinity (K_A_den), so at nanogram serum levels its sink outweighs binding to RANK and OPG"),
    "k_e0_den": Prior(0.03, "neutral: denosumab reaches the bone microenvironment within a month (Sheiner1979 effect compartment)"),
    "B_max_den": Prior(20.0, "neutral: the bone microenvironment binds denosumab up to tens of ng/mL, far below serum peaks (about 4 µg/mL), so that it fills within days of a dose and empties over months"),
    "k_des_BP": Prior(0.693 / 200, "Chen2002: terminal plasma half-life of zoledronic acid about 190 days"),
    "k_bury_BP": Prior(1 / 365.25, "Khan1997: new bone covers the remodelling surface within about a year"),
    "k_r_BP": Prior(1 / 14, "Sato1991: the drug binds where osteoclasts resorb, a lacuna's resorption phase lasting about two weeks"),
    "w_r_BP": Prior(10.0, "Sato1991: alendronate concentrates on resorbing surfaces (neutral order of magnitude)"),
    "k_phi": Prior(1 / DAYS_PER_YEAR, "Bone2011: BMD returns to baseline about a year after stopping denosumab"),
    "omega_OC": Prior(1.0, "Lacey2000: RANKL withdrawal sends mature osteoclasts into apoptosis (no fold in vivo); neutral"),
    "K_act_OC": Prior(0.1, "neutral: osteoclasts resorb at half their capacity at a tenth of the reference RANK occupancy (Amgen2010: CTX about 85 % down within 3 days of denosumab)"),
    "OBp_ocy": Prior(1e-3, "Nakashima2011: osteocytes express RANKL about as much as the osteoblast lineage; the young-adult osteoblast precursors, about 1e-3 pM"),
    "w_phi": Prior(0.75, "Bone2011: resorption about twice baseline for months after stopping denosumab (a pool of 2-4 fold)"),
    "f_OM": Prior(1.0, "neutral: under RANKL blockade the lineage collects at the rate it formed osteoclasts (McDonald2021, Fontalis2020: accumulation, not its rate)"),
    "k_fus_OM": Prior(0.05, "McDonald2021: osteoclasts recycle again within 3 weeks of OPG:Fc withdrawal in mice"),
    "A_OM": Prior(1 / DAYS_PER_YEAR, "neutral: osteomorphs persist for about a year (Bone2011: the rebound after stopping denosumab follows treatment of years)"),
    "n_E2": Prior(1.0, "neutral: a simple binding isotherm"),
    "k_S": Prior(1 / DAYS_PER_YEAR, "Dalsky1988: exercise gains level off within the first year"),
    "alpha_S": Prior(0.5, "neutral: half of a sustained rise of the stimulus accommodated"),
    "lambda_mech_E": Prior(0.5, "Lee2003: the adaptive response to loading needs estrogen receptor alpha (qualitative); neutral"),
    "r_DXA_spine": Prior(0.004, "Rand1997: osteophytes and osteochondrosis add up to 14 % to spine BMD, their prevalence rising from 35 to 80 % between 55 and 70 years, about 0.4 % of the young-adult mean a year; Tenne2013: spine BMD still rising with them from 75 to 85"),
    "age_DXA_spine": Prior(62.5, "Rand1997: the prevalence of degenerative changes of the lumbar spine rises from 35 to 80 % between 55 and 70 years; the midpoint"),
    "age_activity": Prior(70.0, "Evenson2012, Jefferis2015: accelerometer-measured activity lower in each decade after 60, falling steeply after 70"),
}

PRIOR_SIGMA = np.log(10.0) / 2.0


@dataclass(frozen=True)
class Fit:
    """One fit of the calibration: the parameters it fits, each with its prior (their bounds are
    those of the parameter records, each with its source), the targets it fits them to, and the
    block of ``remodel/parameter_sets/remodel2026.py`` that holds their values.

    ``rows`` are target ids (``calibration_trials.csv`` and ``extra_targets.csv``); ``None`` means
    every target but the rows of scenarios that take a drug of a block (the joint fit). A block with
    ``drugs`` owns the rows of those drugs: they are left out of the joint fit, so that they do not
    pull the shared physiology. A block without (the men's) fits rows that the joint fit reads too,
    with the block's values fixed. ``behaviours``: behaviours of the physiology contract held as
    hard constraints of the fit, each :class:`~remodel.behaviours.Behaviour` a column of ``measure(parameters, samples,
    rtol)`` (``(sample, behaviours)``). ``rtol``: the solver's relative tolerance (the daily pulses
    of the PTH analogues fail at 1e-9).
    """

    name: str
    block: str
    priors: dict[str, Prior]
    rows: tuple[str, ...] | None = None
    drugs: frozenset[str] = frozenset()
    behaviours: tuple = ()
    measure: object = None
    rtol: float = 1e-9


#: Weight of the penalties that keep every target within its tolerance and on the observed side
#: of zero (:meth:`Calibration.penalties`), and the margin (points) of the latter.
PENALTY = 10.0
DIRECTION_MARGIN = 0.05


#: Every fit of Remodel2026, in the order that reproduces the shipped values: the joint fit of the
#: shared physiology, then the blocks fitted alone, every other parameter fixed at the values of the
#: fits before (a later block's rows depend on an earlier block's values: the abaloparatide rows on
#: the PTH analogues' efficacy, ROMO-TH on ``f_open_total_hip``; no earlier fit's rows depend on a
#: later block's values, but the men's rows, which the joint fit reads too).
FITS = (
    Fit("joint", "CALIBRATED", PRIORS, behaviours=BEHAVIOURS, measure=joint_behaviours),
    Fit("men", "MEN", {
        "f_E2_testis": Prior(0.2, "Longcope1969: about 15 % of a man's estradiol is secreted by the testes; "
                                  "TSjoen2005: about 0.2 from letrozole in men"),
        "K_E2_male": Prior(12.5, "Finkelstein2016: bone loss in men sets in below 10-15 pg/mL estradiol"),
        "n_E2_male": Prior(1.0, "neutral: a simple binding isotherm"),
        "lambda_A": Prior(1.0, "neutral order of magnitude"),
        "delta_E_male": Prior(1.0, "neutral: men's bone as estrogen-deficient as women's at the same receptor activity"),
        "gamma_SHBG_male": Prior(0.01, "Feldman2002, Khosla1998: bioavailable estradiol falls about 1 %/year with age "
                                       "as SHBG rises"),
    }, rows=("MEN-E2", "MEN-E2-BB", "MEN-AI", "CAL24", "CAL25", "ADT-LS"), behaviours=MEN_BEHAVIOURS,
        measure=finkelstein_course),
    Fit("pth", "PTH_ANALOGUES", {
        "E_OB_PTH1R": Prior(10.0, "neutral order of magnitude: the survival programme prolongs osteoblast life "
                                  "several-fold (Jilka1999)"),
        "E_arr_PTH1R": Prior(1.0, "neutral: full desensitisation doubles osteoblast apoptosis"),
        "chi_ptd": Prior(1.0, "neutral: the catabolic path sees the effect-compartment ligand as it is"),
        "f_open_femoral_neck": Prior(0.5, "neutral: half of the osteoblasts on open surfaces, between the cortical "
                                          "share of the proximal femur (Hansen2013) and all"),
    }, rows=("TPTD-LS", "TPTD-FN", "TPTD-NTX6", "TPTD-INF-P1NP"), drugs=frozenset({"teriparatide"}), rtol=1e-8),
    Fit("abaloparatide", "ABALOPARATIDE", {
        "pi_abl": Prior(1.0, "neutral: as potent as teriparatide at PTH1R per pM"),
        "f_open_total_hip": Prior(0.5, "neutral: as f_open_femoral_neck"),
    }, rows=("ABL-LS", "ABL-TH"), drugs=frozenset({"abaloparatide"}), rtol=1e-8),
    Fit("romosozumab", "ROMOSOZUMAB", {
        "E_OB_rmab": Prior(1.0, "neutral: binding all sclerostin halves osteoblast apoptosis at the spine"),
        "E_OPG_rmab": Prior(1.0, "neutral: binding all sclerostin doubles OPG production"),
        "k_tol_rmab": Prior(0.693 / DAYS_PER_YEAR, "neutral: tolerance builds with a half-time of a year"),
        "K_b_rmab": Prior(100.0, "neutral: the bone fluid sees a small fraction of the serum antibody, so that half its "
                                "sclerostin is bound at about the monthly serum peak (about 135 nM, Eudy2015), far above the "
                                "serum K_m (0.45 nM)"),
        "k_e0_rmab": Prior(0.693 / 14.0, "neutral: the bone fluid follows the serum antibody with a half-time of "
                                         "two weeks (denosumab's k_e0_den is about a third of that rate)"),
        "nu_RANKL_Scl": Prior(0.5, "neutral: between no effect of free sclerostin on osteocytic RANKL and a "
                                   "proportional one (Wijenayaka2011)"),
    }, rows=("ROMO-LS", "ROMO-TH", "ROMO-P1NP12", "ROMO-CTX12", "ROMO-LS24"), drugs=frozenset({"romosozumab"}),
        behaviours=ROMOSOZUMAB_BEHAVIOURS, measure=romosozumab_course),
)
FITS_BY_NAME = {fit.name: fit for fit in FITS}
#: Drugs whose own parameters are fitted alone to their rows (the drug blocks of :data:`FITS`): the
#: joint fit leaves out the rows of scenarios that take them.
FITTED_ALONE_DRUGS = frozenset().union(*(fit.drugs for fit in FITS))


def _takes(scenario, drugs) -> bool:
    """Whether an arm of ``scenario`` takes one of ``drugs``."""
    return any(therapy.drug in drugs for regimen in scenario.arms.values() for therapy in regimen.therapies)


class Calibration:
    """Weighted residuals of the targets of one of :data:`FITS`, the penalties and the priors, and
    their Jacobian, in log-parameters (``names``: a subset of the fit's parameters, by default all)."""

    def __init__(self, parameters="Remodel2026", fit="joint", *, names=None, rtol=None, step=1e-4, verbose=False):
        self.base = parameter_set(parameters)
        self.spec = FITS_BY_NAME[fit] if isinstance(fit, str) else fit
        self.names = list(self.spec.priors if names is None else names)
        unknown = set(self.names) - set(self.spec.priors)
        if unknown:
            raise ValueError(f"{sorted(unknown)} are not parameters of the fit {self.spec.name!r}")
        targets = load_targets() + EXTRA_TARGETS
        if self.spec.rows is None:
            scenarios = load_trial_scenarios(targets)
            self.rows = [r for r in targets if not _takes(scenarios[r["id"]], FITTED_ALONE_DRUGS)]
        else:
            by_id = {r["id"]: r for r in targets}
            self.rows = [by_id[i] for i in self.spec.rows]
            scenarios = load_trial_scenarios(self.rows)
        self.scenarios = {r["id"]: scenarios[r["id"]] for r in self.rows}
        self.observed = np.array([r["value"] for r in self.rows])
        self.tolerance = np.array([tolerance(r) for r in self.rows])
        self.prior = np.log([self.spec.priors[n].centre for n in self.names])  # ln p0
        self.bounds = np.log([[max(self.base[n].bounds[0], 1e-12), self.base[n].bounds[1]] for n in self.names]).T
        self.rtol = self.spec.rtol if rtol is None else rtol
        self.step, self.verbose = step, verbose
        self._cache = {}
        self.costs = []  # of every point evaluated, in turn

    @property
    def x0(self):
        """Log of the parameter set's current values."""
        return np.log([self.base[n].value for n in self.names])

    def simulate(self, x_list):
        """Simulated value of every target for each row of ``x_list``: ``(len(x_list), targets)``."""
        values = np.exp(np.atleast_2d(x_list))
        return simulated_values(self.rows, self.base, samples={n: values[:, j] for j, n in enumerate(self.names)},
                                scenarios=self.scenarios, rtol=self.rtol)

    def behaviours(self, x_list):
        """The value of each of the fit's behaviours for each row of ``x_list``: ``(len(x_list), behaviours)``."""
        values = np.exp(np.atleast_2d(x_list))
        if not self.spec.behaviours:
            return np.empty((len(values), 0))
        return self.spec.measure(self.base, {n: values[:, j] for j, n in enumerate(self.names)}, self.rtol)

    def behaviour_penalties(self, values):
        """:data:`PENALTY` times how far each of the fit's behaviours lies outside its bounds less its
        margin, in its scale (none for a value NaN: not measured)."""
        behaviours = self.spec.behaviours
        lower, upper, scale = (np.array([getattr(b, k) for b in behaviours]) for k in ("lower", "upper", "scale"))
        margin = np.array([b.scale if b.margin is None else b.margin for b in behaviours])
        applies = ~np.isnan(values)  # NaN: a behaviour whose condition does not hold
        values = np.where(applies, values, 0.0)
        outside = np.maximum(lower + margin - values, 0.0) + np.maximum(values - upper + margin, 0.0)
        return PENALTY * np.where(applies, outside, 0.0) / scale

    def penalties(self, sims):
        """The hard part of the fit: :data:`PENALTY` times how far each simulated value (``sims``,
        ``(..., targets)``) lies outside its tolerance (less a tenth of it, a margin) and on the wrong
        side of zero, or away from zero where the observation is "no change", in tolerance units;
        zero for a solution that meets the validation rules of :mod:`remodel.validation`."""
        outside = np.maximum(np.abs(sims - self.observed) / self.tolerance - 0.9, 0.0)
        stable = np.abs(self.observed) <= STABLE_BAND
        wrong_side = DIRECTION_MARGIN - sims * np.sign(self.observed)
        near_zero = np.abs(sims) - (STABLE_BAND - DIRECTION_MARGIN)
        # an observation of exactly 0 has no side: only a simulation near zero meets it
        stable_rule = np.where(self.observed == 0.0, near_zero, np.minimum(near_zero, wrong_side))
        direction = np.where(stable, stable_rule, wrong_side)
        return PENALTY * np.concatenate([outside, np.maximum(direction, 0.0) / self.tolerance], axis=-1)

    def evaluate(self, x):
        """Residuals ``r(x)`` (targets, their :meth:`penalties`, the :data:`~remodel.behaviours.BEHAVIOURS`' penalties, then
        priors) and their Jacobian, from one batch."""
        key = tuple(x)
        if key not in self._cache:
            points = [x] + [x + self.step * e for e in np.eye(len(x))]
            sims, behaviours = self.simulate(points), self.behaviours(points)
            fit = np.hstack([(sims - self.observed) / self.tolerance, self.penalties(sims),
                             self.behaviour_penalties(behaviours)])
            r = np.concatenate([fit[0], (x - self.prior) / PRIOR_SIGMA])
            jac = np.vstack([((fit[1:] - fit[0]) / self.step).T, np.eye(len(x)) / PRIOR_SIGMA])
            self._cache = {key: (r, jac, sims[0], behaviours[0])}
            self.costs.append(0.5 * r @ r)
            if self.verbose:
                print(f"  cost {self.costs[-1]:.5f}  " + " ".join(f"{n}={v:.5g}" for n, v in zip(self.names, np.exp(x))),
                      flush=True)
        return self._cache[key]

    def gauss_newton_step(self, x):
        """The Gauss-Newton step from ``x`` (in ``ln p``), ``-(JᵀJ)⁻¹ Jᵀ r``: near zero at the minimum."""
        r, jac, *_ = self.evaluate(x)
        return -np.linalg.lstsq(jac, r, rcond=None)[0]

    def local_minimum(self, x):
        r"""What the linearised residuals say of ``x`` (in ``ln p``): the Gauss-Newton step, the cost it
        would save, :math:`\tfrac12 (|r|^2 - |r + J\,\delta|^2)`, and the posterior standard deviation of
        each ``ln p``, :math:`\sqrt{\mathrm{diag}(J^T J)^{-1}}` (Laplace approximation; the prior alone
        gives :data:`PRIOR_SIGMA`): how well the targets and priors determine each value. A step that is
        small against these deviations and saves little cost is at the minimum, however far it moves a
        poorly determined value."""
        r, jac, *_ = self.evaluate(x)
        step = self.gauss_newton_step(x)
        saving = 0.5 * (r @ r - np.sum((r + jac @ step) ** 2))
        return step, saving, np.sqrt(np.diag(np.linalg.inv(jac.T @ jac)))

    def fit(self, x0=None, max_nfev=60):
        """Minimise from ``x0`` (default: the current values); returns ``scipy``'s result."""
        x0 = self.x0 if x0 is None else np.asarray(x0, dtype=float)
        x0 = np.clip(x0, self.bounds[0] + 1e-9, self.bounds[1] - 1e-9)
        return least_squares(lambda x: self.evaluate(x)[0], x0, jac=lambda x: self.evaluate(x)[1],
                             bounds=self.bounds, x_scale=1.0, xtol=1e-10, ftol=1e-10, gtol=1e-10,
                             max_nfev=max_nfev)

    def report(self, x):
        """Text table of every target (observed, simulated, tolerance) and every fitted value."""
        _, _, sims, behaviours = self.evaluate(x)
        lines = [f"  {r['id']:<14}{r['site']:<14}observed {o:7.2f}  simulated {s:7.2f}  (tolerance {t:.1f})"
                 for r, o, s, t in zip(self.rows, self.observed, sims, self.tolerance)]
        lines += [f"  {b.name}: {v:.3f} (allowed {b.lower:g} to {b.upper:g}; {b.source})"
                  for b, v in zip(self.spec.behaviours, behaviours)]
        lines += [f"  {n} = {v:.6g} (prior {self.spec.priors[n].centre:.3g}: {self.spec.priors[n].basis})"
                  for n, v in zip(self.names, np.exp(x))]
        return "\n".join(lines)


def calibrate(parameters="Remodel2026", fit="joint", verbose=True, max_nfev=60, from_priors=False) -> dict[str, float]:
    """Run one of :data:`FITS` (by name), starting from the values of ``parameters`` (or from the
    prior centres); returns the fitted values."""
    calibration = Calibration(parameters, fit, verbose=verbose)
    result = calibration.fit(calibration.prior if from_priors else None, max_nfev=max_nfev)
    if verbose:
        print(f"least_squares: {result.message} ({result.nfev} evaluations); "
              f"cost {calibration.costs[0]:.5f} at the start, {result.cost:.5f} at the end")
        print(calibration.report(result.x))
    return dict(zip(calibration.names, np.exp(result.x)))


def check(parameters="Remodel2026", fit="joint"):
    """Print the report of one of :data:`FITS` at the values of ``parameters``, its cost, and
    :meth:`Calibration.local_minimum`: each parameter's change in one Gauss-Newton step, also in units
    of its posterior standard deviation, and the cost that step would save (both zero at the minimum)."""
    calibration = Calibration(parameters, fit)
    step, saving, sd = calibration.local_minimum(calibration.x0)
    r = calibration.evaluate(calibration.x0)[0]
    print(calibration.report(calibration.x0))
    print(f"cost {0.5 * r @ r:.5f}; one Gauss-Newton step would save {saving:.4f}; per parameter, its change "
          "(relative, and in posterior standard deviations) and the factor exp(sd) of its posterior uncertainty:")
    for name, s, d in zip(calibration.names, step, sd):
        print(f"  {name:<20}{np.expm1(s):+.2e}  {s / d:+.2f} sd  x{np.exp(d):.2f}")


def write_calibrated(values, block="CALIBRATED", path=Path(remodel2026.__file__)):
    """Update the dictionary ``block`` (``CALIBRATED``, or a block of :data:`FITS`) of the Remodel2026
    module with ``values`` (6 s.f.)."""
    text = path.read_text(encoding="utf-8")
    shipped = getattr(remodel2026, block)
    unknown = set(values) - set(shipped)
    if unknown:
        raise ValueError(f"{sorted(unknown)} are not values of {block} in {path}")
    values = {**shipped, **values}
    body = "".join(f'    "{k}": {float(f"{v:.6g}")!r},\n' for k, v in values.items())
    new, count = re.subn(rf"^{block} = \{{\n.*?\n\}}", f"{block} = {{\n" + body + "}", text, flags=re.S | re.M)
    if count != 1:
        raise RuntimeError(f"no {block} block found in {path}")
    path.write_text(new, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m remodel.calibration", description=__doc__.splitlines()[0])
    parser.add_argument("--fit", choices=[*FITS_BY_NAME, "all"], default="joint",
                        help="which fit to run (default: joint); all: every fit in turn, each from the values of "
                             "the fits before it")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="store the fitted values in the Remodel2026 set")
    parser.add_argument("--from-priors", action="store_true", help="start from the prior centres, not the shipped values")
    action.add_argument("--check", action="store_true",
                        help="only report the Gauss-Newton step from the shipped values (zero at the minimum)")
    parser.add_argument("--max-nfev", type=int, default=60, help="most evaluations of each fit (default: 60)")
    args = parser.parse_args(argv)
    params = parameter_set("Remodel2026")
    for spec in FITS if args.fit == "all" else (FITS_BY_NAME[args.fit],):
        print(f"fit {spec.name!r}: {', '.join(spec.priors)}", flush=True)
        if args.check:
            check(params, spec.name)
            continue
        values = calibrate(params, spec.name, max_nfev=args.max_nfev, from_priors=args.from_priors)
        params = params.updated(params.name, **values)
        if args.write:
            write_calibrated(values, spec.block)
            print(f"{spec.block} written to {remodel2026.__file__}")


if __name__ == "__main__":
    main()
