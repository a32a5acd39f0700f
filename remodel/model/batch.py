"""A batch of members of the model: their drivers, reference and steady states, and rates as arrays.

A *member* is one parameter set under one :class:`~remodel.regimen.Regimen`. :class:`Model` holds
the piecewise-constant numbers of every member (:meth:`Model.constants`), the young-adult reference and
the steady states, and evaluates the assembled right-hand side (:mod:`remodel.model.assembly`) on
arrays of members and times.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..parameters import ParameterSet
from ..populations import REFERENCE_AGE
from ..solvers.newton import newton_log
from .assembly import DRIVERS_ROW, MEMBER_FIELDS, PER_SITE_FIELDS, assembly, member_field, site_loading
from .physiology import body, bone, cells, estradiol, exercise, mechanics, nutrition, signalling, site
from .sites import SITE_TABLE, SITES
from .timing import DAYS_PER_YEAR, window

__all__ = ["Model", "batch_parameters"]

_PIVONKA_STEADY_STATE = (6.196390628e-4, 5.583931900e-4, 8.069635263e-4)  # OBp, OBa, OCa (pM)


def batch_parameters(params: ParameterSet, overrides=None, n=None):
    """Parameter values as arrays of shape ``(N,)`` for a batch of ``N`` members.

    ``overrides`` maps names to scalars or length-``N`` arrays (a sweep or virtual population).
    """
    values = params.values()
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(values)
    if unknown:
        raise KeyError(f"unknown parameters {sorted(unknown)}; parameter set {params.name} has: {', '.join(sorted(values))}")
    sizes = {np.size(v) for v in overrides.values()} - {1}
    if len(sizes) > 1:
        raise ValueError(f"parameter overrides have different lengths {sorted(sizes)}")
    N = n or (sizes.pop() if sizes else 1)
    p = {k: np.broadcast_to(np.asarray(overrides.get(k, v), dtype=float), (N,)).copy() for k, v in values.items()}
    p["rho"] = np.stack([p[site.turnover_parameter] for site in SITE_TABLE])
    p["f_open"] = np.stack([p[site.open_surface_parameter] for site in SITE_TABLE])
    return p


class Observed(NamedTuple):
    """What the right-hand side computes on the way, at given times: signals, formation and
    resorption ``(site, ..., N)``, estradiol, testosterone and estrogen receptor activity ``(..., N)``,
    and the loading stimulus ``(site, ..., N)``."""

    signals: signalling.Signals
    formation: np.ndarray
    resorption: np.ndarray
    estradiol: np.ndarray
    testosterone: np.ndarray
    a_E: np.ndarray
    loading: np.ndarray


class Model:
    """Drivers, reference state and rates of the model for a batch of members.

    The flat state of a member is laid out by :class:`remodel.model.assembly.Assembly`; arrays are
    ``(state, member)``.

    Parameters
    ----------
    population : Population
    regimens : sequence of Regimen
        One regimen per member.
    p : dict
        Output of :func:`batch_parameters` with ``N == len(regimens)``.
    """

    def __init__(self, population, regimens, p):
        self.population = population
        self.p = p
        self.N = len(regimens)
        self.assembly = assembly()
        self.n_states = self.assembly.n_states
        unique = list(dict.fromkeys(regimens))
        for regimen in unique:
            body.check_weight_change(population, regimen.weight)
        index = np.array([unique.index(r) for r in regimens])
        self._regimens = [(regimen, index == i) for i, regimen in enumerate(unique)]
        self._windows = np.array([window(item) for regimen in unique for item in regimen.interventions()]).reshape(-1, 2)
        self._constants_cache = {}
        self.reference = self._reference_state()
        self.frozen_at = None

    @property
    def regimens(self):
        """The distinct regimens and the boolean mask of their members."""
        return self._regimens

    def population_inputs(self):
        """The population's arguments of :meth:`remodel.model.assembly.Assembly.rates`: sex, menopause age,
        age, testosterone (NaN where not applicable), weight and height."""
        return (self.population.sex == "female", *estradiol.population_constants(self.population),
                float(self.population.weight_kg), float(self.population.height_m))

    # --- drivers -----------------------------------------------------------------------------
    def constants(self, t_days) -> np.ndarray:
        """The piecewise-constant numbers of every member at ``t_days`` (a number), ``(k, N)``: the
        :data:`~remodel.model.assembly.MEMBER_FIELDS`, then the
        :data:`~remodel.model.assembly.PER_SITE_FIELDS` per site (:func:`~remodel.model.assembly.member_field`);
        cached per set of active interventions."""
        t = float(t_days if self.frozen_at is None else self.frozen_at) / DAYS_PER_YEAR
        key = ((t >= self._windows[:, 0]) & (t < self._windows[:, 1])).tobytes()  # as remodel.model.timing.active
        if key not in self._constants_cache:
            N, p, ref = self.N, self.p, self.reference
            member = np.empty((len(MEMBER_FIELDS) + len(PER_SITE_FIELDS) * len(SITES), N))
            member[:3] = ref["OBa"], ref["OCa"], ref["pi"]
            member[member_field("rho")] = p["rho"]
            member[member_field("f_open")] = p["f_open"]
            member[member_field("locomotion")] = np.array([s.locomotion for s in SITE_TABLE])[:, None]
            loading = member[member_field("loading")]
            parts = {}  # arms often share their exercise, diet or therapies: each computed once

            def part(function, *items):
                if (function, items) not in parts:
                    parts[function, items] = function(*items, t, p)
                return parts[function, items]

            for regimen, mask in self._regimens:
                np.copyto(loading, part(exercise.loading, regimen.exercise, regimen.disuse), where=mask)
                values = (*part(nutrition.multipliers, regimen.nutrition, regimen.supplements, regimen.habits),
                          *part(self.assembly.exposures, regimen.therapies), *body.weight_schedule(regimen.weight))
                for row, value in zip(member[3:len(MEMBER_FIELDS)], values):
                    np.copyto(row, value, where=mask)
            self._constants_cache[key] = member
        return self._constants_cache[key]

    def _time_inputs(self, t_days, constants=None):
        """Driver time (days; the frozen time if frozen) and constants at ``t_days`` (a number or
        ``(T,)``), or ``constants`` if given (an integration segment's)."""
        t_days = np.asarray(t_days if self.frozen_at is None else self.frozen_at + 0 * np.asarray(t_days), dtype=float)
        if not t_days.ndim:
            return t_days, self.constants(t_days) if constants is None else constants
        return t_days[:, None], np.stack([self.constants(t) for t in t_days], axis=-2)

    # --- right-hand side ------------------------------------------------------------------------
    def split(self, y):
        """Site states ``(..., kind, site, N)`` and systemic states ``(..., systemic, N)`` of ``y``
        ``(..., n_states, N)`` (views)."""
        n = self.assembly.n_site_rows
        site_states = y[..., :n, :].reshape(*y.shape[:-2], len(site.STATES), len(SITES), self.N)
        return site_states, y[..., n:, :]

    def evaluate(self, t_days, y, constants=None):
        """Rates of ``y`` ``(..., n_states, N)`` at ``t_days`` (a number, or ``(T,)`` for ``y``
        ``(T, n_states, N)``) and what was computed on the way (:class:`Observed`); ``constants``
        (:meth:`constants`) fixes the piecewise-constant inputs at a number ``t_days``."""
        t, constants = self._time_inputs(t_days, constants)
        y_first = np.moveaxis(y, -2, 0)
        out = np.empty(y_first.shape)
        (sig, formation, resorption), e2, testosterone, a_E = self.assembly.rates(
            t, y_first, out, self.p, constants, [np.arange(len(SITES))], *self.population_inputs())
        return np.moveaxis(out, 0, -2), Observed(sig, formation, resorption, e2, testosterone, a_E,
                                                 self._loading(t, constants))

    def _loading(self, t_days, constants):
        """Loading stimulus per site at ``t_days`` with ``constants`` (:meth:`_time_inputs`): the
        exercise stimulus at the body weight then (:mod:`remodel.model.physiology.body`)."""
        weight = body.body_weight(self.population.weight_kg, *(constants[member_field(k)] for k in (
            "weight_change_kg", "weight_change_start", "weight_change_end")), t_days)
        activity = exercise.habitual_activity(self.population.age + t_days / DAYS_PER_YEAR, self.p)
        return site_loading(constants, np.arange(len(SITES)), body.loading_factor(weight, self.p), activity)

    def parameter_records(self):
        """The parameters of every member as records ``(N,)``, a field per parameter (what the
        compiled right-hand side reads, ``p["K_D2"]``)."""
        names = sorted(k for k, v in self.p.items() if np.ndim(v) == 1)
        records = np.empty(self.N, dtype=[(k, "f8") for k in names])
        for k in names:
            records[k] = self.p[k]
        return records

    def compiled_inputs(self, constants, records):
        """The arguments of the compiled right-hand side after the member
        (:meth:`remodel.model.assembly.Assembly.integrate`): ``records`` of :meth:`parameter_records`,
        the :meth:`constants` member by member, the time at which the drivers are frozen (NaN if
        not), room for each member's drivers at the last time they were computed (NaN: none yet)
        and :meth:`population_inputs`."""
        return (records, np.ascontiguousarray(constants.T), np.nan if self.frozen_at is None else float(self.frozen_at),
                np.full((len(records), DRIVERS_ROW), np.nan), *self.population_inputs())

    def rhs(self, t, y_flat, constants=None):
        """Flat right-hand side for :func:`scipy.integrate.solve_ivp` (``constants`` as in :meth:`evaluate`)."""
        return self.evaluate(t, y_flat.reshape(self.n_states, self.N), constants)[0].reshape(-1)

    # --- steady states ------------------------------------------------------------------------------
    def _reference_state(self):
        """Young-adult steady state (age 30, no therapy, adequate diet, habitual loading, V = 1):
        the cells that normalise formation and resorption and the RANK occupancy at which the
        precursor pool is 1."""
        population, p = self.population, self.p
        t30 = (REFERENCE_AGE - population.age) * DAYS_PER_YEAR
        e2, testosterone, a_E, a_E_OB, a_A = estradiol.sex_steroids(population, t30 / DAYS_PER_YEAR, p)
        r_plus, r_minus = mechanics.mechanostat(1.0, 1.0, p)
        m = site.multipliers(site.ageing(REFERENCE_AGE, p), a_E, a_E_OB, a_A, 1.0, 1.0, r_plus, r_minus, site.NO_DRUG, 1.0, p)

        def residual(x):
            OBp, OBa, OCa = x
            sig = signalling.signals(OBp, OBa, OCa, p, m_opg=m.m_opg, m_rankl=m.m_rankl)
            rates = cells.cell_rates(OBp, OBa, 1.0, OCa, 0.0, sig, p, sig.rankl_occupancy, m_OBu=m.m_OBu,
                                     m_AOBa=m.m_AOBa, m_AOCa=m.m_AOCa)
            return np.stack(np.broadcast_arrays(rates[0], rates[1], rates[3])) / x

        guess = np.repeat(np.array(_PIVONKA_STEADY_STATE)[:, None], self.N, axis=1)
        OBp, OBa, OCa = newton_log(residual, guess)
        sig = signalling.signals(OBp, OBa, OCa, p, m_opg=m.m_opg, m_rankl=m.m_rankl)
        return {"OBp": OBp, "OBa": OBa, "OCa": OCa, "pi": sig.rankl_occupancy}

    def _assemble(self, site_states):
        """Flat state from site states ``(kind, site, N)``, with no drug in the body."""
        return np.concatenate([site_states.reshape(-1, self.N),
                               np.zeros((self.n_states - self.assembly.n_site_rows, self.N))])

    def reference_state_vector(self):
        """Full state ``(n_states, N)`` of the young-adult reference: cells at reference, no
        osteomorphs, V = 1, bone steady."""
        ref, p = self.reference, self.p
        O, M = bone.steady_bone(1.0, p["rho"], p)
        ones = np.ones((len(SITES), self.N))
        return self._assemble(np.stack([ref["OBp"] * ones, ref["OBa"] * ones, ones, ref["OCa"] * ones, 0 * ones, ones,
                                        O, M, ones]))

    def steady_state_vector(self, t_days, y_guess):
        """Steady state with the drivers frozen at ``t_days`` and no drug in the body (cells, pool
        and matrix volume solved; no osteomorphs, which only RANKL blockade makes,
        :mod:`remodel.model.physiology.cells`; osteoid and mineral from
        :func:`remodel.model.physiology.bone.steady_bone`, the mechanostat set-point from
        :func:`remodel.model.physiology.mechanics.steady_setpoint`)."""
        loading = self._loading(*self._time_inputs(t_days))
        n_sites = len(SITES)
        solved = [site.SYMBOLS.index(k) for k in ("OBp", "OBa", "phi", "OCa", "V")]
        guess = self.split(y_guess)[0][solved].reshape(len(solved) * n_sites, self.N)

        def full(x):
            OBp, OBa, phi, OCa, V = x.reshape(len(solved), n_sites, self.N)
            O, M = bone.steady_bone(V, bone.formation_rate(OBa / self.reference["OBa"], self.p["rho"], self.p), self.p)
            S = mechanics.steady_setpoint(mechanics.tissue_stimulus(loading, V, self.p), self.p)
            return self._assemble(np.stack([OBp, OBa, phi, OCa, 0 * OCa, V, O, M, S]))

        def residual(x):
            y = full(x)
            return (self.split(self.evaluate(t_days, y)[0])[0][solved] / self.split(y)[0][solved]).reshape(x.shape)

        return full(newton_log(residual, guess))
