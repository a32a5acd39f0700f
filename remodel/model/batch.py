r"""The remodel model: cells, signalling, drivers and bone at each site, for a batch of members.

A *member* is one parameter set under one :class:`~remodel.regimen.Regimen`. The state of a member is
``SITE_STATES`` at each of the ``SITES``; the right-hand side evaluates all members at once
(arrays of shape ``(state, site, member)``).

Driver multipliers of the cell model, with estrogen deficiency :math:`d = 1 - a_E`:

.. math::

    m_{RANKL} &= \frac{(1 + \lambda_{RANKL,E}\, d)(1 + \kappa_{disuse} r^-)}{1 + \kappa_{load} r^+}\, m_{infl}, \qquad
    m_{OPG} = \frac{1}{1 + \lambda_{OPG,E}\, d}, \qquad
    m_{A,OCa} = \frac{m_{BP}}{1 + \lambda_{OCa,E}\, d},

    m_{A,OBa} &= \frac{1 + \lambda_{OBa,E}\, d}{1 + \lambda_A a_A}, \qquad
    m_{OBu} = g\, m_{supply}, \qquad P_{mech} = \kappa_{form}\, g\, (1 - \lambda_{mech,E}\, d)\, r^+, \qquad
    g = \exp\left[-\gamma_{age} \ln\left(1 + e^{a - a_{inv}}\right)\right],

with :math:`m_{infl}`, :math:`m_{supply}` (protein, alcohol) and the PTH and mineralisation
multipliers from :mod:`remodel.model.physiology.nutrition`, :math:`m_{BP}` and the denosumab RANKL sink from
:mod:`remodel.model.agents.drugs`, and :math:`r^\pm` from :mod:`remodel.model.physiology.mechanics`. Ageing
:math:`g` (involutional, estrogen-independent loss from about :math:`a_{inv}` = 50 years,
RiggsMelton1986) lowers both the supply of osteoblast progenitors and the osteogenic response to
overload (Rubin1992), so that the mechanostat no longer arrests the loss of old age.
Estrogen deficiency blunts the osteogenic response to overload too (Lee2003: the adaptive response
to loading needs estrogen receptor alpha).
Loading is anti-catabolic as well: overload lowers RANKL expression (Rubin2000), as underload raises it.

References: Pivonka2008 (cells), PetersonRiggs2010 and MartinezReina2019 (estrogen acting on
RANKL/OPG), Hughes1996 and Kousteni2001 (apoptosis), Scheiner2013 (mechanics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..parameters import ParameterSet
from ..populations import REFERENCE_AGE, SITES
from ..solvers.newton import newton_log
from ..therapies import window
from .agents import drugs
from .physiology import bone, cells, estradiol, exercise, mechanics, nutrition, signalling

__all__ = ["Model", "SITE_STATES", "batch_parameters"]

SITE_STATES = ("OBp", "OBa", "phi", "OCa", "V", "O", "M", "S")
DAYS_PER_YEAR = 365.25
CITATIONS = ("Pivonka2008", "PetersonRiggs2010", "MartinezReina2019", "Hughes1996", "Kousteni2001", "Hofbauer1999", "Rubin1992", "RiggsMelton1986", "Lee2003", "Rubin2000")

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
    p["rho"] = np.stack([p[f"rho_{site}"] for site in SITES])
    return p


@dataclass
class Drivers:
    """Drivers at given times: shape ``(..., member)``, ``loading`` ``(..., site, member)``."""

    age: np.ndarray
    estradiol: np.ndarray
    testosterone: np.ndarray
    a_E: np.ndarray
    a_A: np.ndarray
    loading: np.ndarray
    m_pth: np.ndarray
    m_supply: np.ndarray
    m_k2: np.ndarray
    m_inflammation: np.ndarray


class Constants(NamedTuple):
    """The piecewise-constant drivers of every member at one time: lifestyle multipliers and the
    therapy exposures of :func:`remodel.model.physiology.estradiol.therapy_exposure` (``loading`` is
    ``(site, member)``, the rest ``(member,)``)."""

    loading: np.ndarray
    m_pth: np.ndarray
    m_supply: np.ndarray
    m_k2: np.ndarray
    m_inflammation: np.ndarray
    m_aromatase: np.ndarray
    inhibition: np.ndarray
    suppression: np.ndarray
    occupancy: np.ndarray
    trt: np.ndarray


class Multipliers(NamedTuple):
    m_rankl: np.ndarray
    m_opg: np.ndarray
    m_AOCa: np.ndarray
    m_AOBa: np.ndarray
    m_OBu: np.ndarray
    p_mech: np.ndarray


def ageing(age, p):
    """The ageing factor :math:`g` of the module docstring."""
    return np.exp(-p["gamma_age"] * mechanics.softplus(age - p["age_involution"]))


def multipliers(g, a_E, a_A, m_inflammation, m_supply, r_plus, r_minus, bp_surface, p):
    """Driver multipliers of the cell and signalling equations (see module docstring), given the
    ageing factor ``g``."""
    d = 1.0 - a_E
    return Multipliers(
        (1.0 + p["lambda_RANKL_E"] * d) * (1.0 + p["kappa_disuse"] * r_minus) / (1.0 + p["kappa_load"] * r_plus)
        * m_inflammation,
        1.0 / (1.0 + p["lambda_OPG_E"] * d),
        drugs.bisphosphonate_apoptosis(bp_surface, p) / (1.0 + p["lambda_OCa_E"] * d),
        (1.0 + p["lambda_OBa_E"] * d) / (1.0 + p["lambda_A"] * a_A),
        g * m_supply,
        p["kappa_form"] * g * (1.0 - p["lambda_mech_E"] * d) * r_plus,
    )


def site_rates(OBp, OBa, phi, OCa, V, O, M, S, bp_surface, denosumab, g, a_E, a_A, loading, m_pth, m_supply, m_k2,
               m_inflammation, rho, p, OBa_ref, OCa_ref, pi_ref):
    """Rates ``(dOBp, dOBa, dphi, dOCa, dV, dO, dM, dS)`` of the states of one site, and the signals,
    formation and resorption there: the blocks joined by the driver multipliers (``g`` from
    :func:`ageing`). Numbers or arrays that broadcast; :mod:`remodel.model.assembly` compiles this
    function as it is."""
    x = mechanics.tissue_stimulus(loading, V, p)
    r_plus, r_minus = mechanics.mechanostat(x, S, p)
    m = multipliers(g, a_E, a_A, m_inflammation, m_supply, r_plus, r_minus, bp_surface, p)
    sig = signalling.signals(OBp, OBa, OCa, p, m_pth=m_pth, m_opg=m.m_opg, m_rankl=m.m_rankl,
                             rankl_sink=drugs.rankl_sink(denosumab, p))
    dOBp, dOBa, dphi, dOCa = cells.cell_rates(OBp, OBa, phi, OCa, sig, p, pi_ref, m_OBu=m.m_OBu, m_AOBa=m.m_AOBa,
                                              m_AOCa=m.m_AOCa, p_mech=m.p_mech)
    formation = rho * OBa / OBa_ref
    resorption = rho * OCa / OCa_ref
    dV, dO, dM = bone.bone_rates(V, O, M, formation, resorption, p, p["k_sec"] * m_k2)
    return (dOBp, dOBa, dphi, dOCa, dV, dO, dM, mechanics.setpoint_rate(x, S, p)), sig, formation, resorption


class Model:
    """Right-hand side, reference state and outputs of remodel for a batch of members.

    The flat state of a member is ``SITE_STATES`` x ``SITES`` followed by the systemic
    ``drugs.SYSTEMIC_STATES``; arrays are ``(state, member)``.

    Parameters
    ----------
    population : Population
    regimens : sequence of Regimen
        One regimen per member.
    p : dict
        Output of :func:`batch_parameters` with ``N == len(regimens)``.
    """

    n_site_states = len(SITE_STATES)
    n_systemic = len(drugs.SYSTEMIC_STATES)

    def __init__(self, population, regimens, p):
        self.population = population
        self.p = p
        self.N = len(regimens)
        unique = list(dict.fromkeys(regimens))
        index = np.array([unique.index(r) for r in regimens])
        self._regimens = [(regimen, index == i) for i, regimen in enumerate(unique)]
        self.n_states = self.n_site_states * len(SITES) + self.n_systemic
        self._windows = np.array([window(item) for regimen in unique for item in regimen.interventions()]).reshape(-1, 2)
        self._constants_cache = {}
        self.reference = self._reference_state()
        self.frozen_at = None

    @property
    def regimens(self):
        """The distinct regimens and the boolean mask of their members."""
        return self._regimens

    # --- drivers -----------------------------------------------------------------------------
    def constants(self, t_days) -> Constants:
        """The piecewise-constant drivers at ``t_days`` (a number), cached per set of active
        interventions."""
        t = float(t_days if self.frozen_at is None else self.frozen_at) / DAYS_PER_YEAR
        key = ((t >= self._windows[:, 0]) & (t < self._windows[:, 1])).tobytes()  # as remodel.therapies.active
        if key not in self._constants_cache:
            N, p = self.N, self.p
            out = Constants(np.empty((len(SITES), N)), *(np.empty(N) for _ in Constants._fields[1:]))
            parts = {}  # arms often share their exercise, diet or therapies: each computed once

            def part(function, *items):
                if (function, items) not in parts:
                    parts[function, items] = function(*items, t, p)
                return parts[function, items]

            for regimen, mask in self._regimens:
                values = (part(exercise.loading, regimen.exercise),
                          *part(nutrition.multipliers, regimen.nutrition, regimen.supplements, regimen.habits),
                          *part(estradiol.therapy_exposure, regimen.therapies))
                for field, value in zip(out, values):
                    field[..., mask] = np.broadcast_to(value, field.shape)[..., mask]
            self._constants_cache[key] = out
        return self._constants_cache[key]

    def drivers(self, t_days, constants: Constants | None = None) -> Drivers:
        """Drivers at ``t_days`` (days since the simulation start; a number or an array ``(T,)``).

        ``constants`` fixes the piecewise-constant ones (an integration segment's); by default they
        are those at ``t_days``.
        """
        t_days = np.asarray(t_days if self.frozen_at is None else self.frozen_at + 0 * np.asarray(t_days), dtype=float)
        if constants is None:
            if t_days.ndim:
                per_time = [self.constants(t) for t in t_days]
                constants = Constants(*(np.stack(values) for values in zip(*per_time)))
            else:
                constants = self.constants(t_days)
        c = constants
        age = self.population.age + (t_days / DAYS_PER_YEAR)[..., None]
        steroids = estradiol.steroid_levels(self.population.sex == "female", age,
                                            *estradiol.population_constants(self.population), c.inhibition,
                                            c.suppression, c.occupancy, c.trt, self.p, c.m_aromatase)
        return Drivers(age, *steroids, c.loading, c.m_pth, c.m_supply, c.m_k2, c.m_inflammation)

    # --- right-hand side ------------------------------------------------------------------------
    def split(self, y):
        """Site states ``(..., 7, site, N)`` and systemic states ``(..., 4, N)`` of ``y`` ``(..., n_states, N)``
        (views)."""
        n = self.n_site_states * len(SITES)
        site = y[..., :n, :].reshape(*y.shape[:-2], self.n_site_states, len(SITES), self.N)
        return site, y[..., n:, :]

    def rates(self, y, drv):
        """Rates of ``y`` (shape ``(..., n_states, N)``) and the signals, formation and resorption."""
        site, systemic = self.split(y)
        out = np.empty(y.shape)
        d_site, d_systemic = self.split(out)
        ref = self.reference
        S_a, S_b, A, C = (systemic[..., i, :] for i in range(self.n_systemic))
        per_site = [np.asarray(v)[..., None, :] for v in (S_a, C, ageing(drv.age, self.p), drv.a_E, drv.a_A)]
        rates, sig, formation, resorption = site_rates(
            *(site[..., i, :, :] for i in range(self.n_site_states)), *per_site, drv.loading,
            *(np.asarray(v)[..., None, :] for v in (drv.m_pth, drv.m_supply, drv.m_k2, drv.m_inflammation)),
            self.p["rho"], self.p, ref["OBa"], ref["OCa"], ref["pi"])
        for i, rate in enumerate(rates):
            d_site[..., i, :, :] = rate
        OBa, OCa = site[..., 1, :, :], site[..., 3, :, :]
        drug = drugs.drug_rates(S_a, S_b, A, C, np.mean(OBa, axis=-2) / ref["OBa"], np.mean(OCa, axis=-2) / ref["OCa"],
                                self.p, self.population.weight_kg)
        for i, rate in enumerate(drug):
            d_systemic[..., i, :] = rate
        return out, sig, formation, resorption

    def rhs(self, t, y_flat, constants: Constants | None = None):
        """Flat right-hand side for :func:`scipy.integrate.solve_ivp` (``constants`` as in :meth:`drivers`)."""
        rates, *_ = self.rates(y_flat.reshape(self.n_states, self.N), self.drivers(t, constants))
        return rates.reshape(-1)

    # --- steady states ------------------------------------------------------------------------------
    def _reference_state(self):
        """Young-adult steady state (age 30, no therapy, adequate diet, habitual loading, V = 1):
        the cells that normalise formation and resorption and the RANK occupancy at which the
        precursor pool is 1."""
        population, p = self.population, self.p
        t30 = (REFERENCE_AGE - population.age) * DAYS_PER_YEAR
        e2, testosterone, a_E, a_A = estradiol.sex_steroids(population, (), t30 / DAYS_PER_YEAR, p)
        r_plus, r_minus = mechanics.mechanostat(1.0, 1.0, p)
        m = multipliers(ageing(REFERENCE_AGE, p), a_E, a_A, 1.0, 1.0, r_plus, r_minus, 0.0, p)

        def residual(x):
            OBp, OBa, OCa = x
            sig = signalling.signals(OBp, OBa, OCa, p, m_opg=m.m_opg, m_rankl=m.m_rankl)
            rates = cells.cell_rates(OBp, OBa, 1.0, OCa, sig, p, sig.rankl_occupancy, m_OBu=m.m_OBu,
                                     m_AOBa=m.m_AOBa, m_AOCa=m.m_AOCa, p_mech=m.p_mech)
            return np.stack(np.broadcast_arrays(rates[0], rates[1], rates[3])) / x

        guess = np.repeat(np.array(_PIVONKA_STEADY_STATE)[:, None], self.N, axis=1)
        OBp, OBa, OCa = newton_log(residual, guess)
        sig = signalling.signals(OBp, OBa, OCa, p, m_opg=m.m_opg, m_rankl=m.m_rankl)
        return {"OBp": OBp, "OBa": OBa, "OCa": OCa, "pi": sig.rankl_occupancy}

    def state_scale(self):
        """Typical magnitude of each flat state (sets absolute tolerances; drug states start at 0)."""
        site = np.ones((self.n_site_states, len(SITES))) * 1e-6
        return np.concatenate([site.reshape(-1), [1.0, 1.0, 60.0, 1000.0]])

    def _assemble(self, site):
        """Flat state from site states ``(7, site, N)``, with no drug in the body."""
        return np.concatenate([site.reshape(-1, self.N), np.zeros((self.n_systemic, self.N))])

    def reference_state_vector(self):
        """Full state ``(n_states, N)`` of the young-adult reference: cells at reference, V = 1, bone steady."""
        ref, p = self.reference, self.p
        O, M = bone.steady_bone(1.0, p["rho"], p)
        ones = np.ones((len(SITES), self.N))
        return self._assemble(np.stack([ref["OBp"] * ones, ref["OBa"] * ones, ones, ref["OCa"] * ones, ones, O, M, ones]))

    def steady_state_vector(self, t_days, y_guess):
        """Steady state with the drivers frozen at ``t_days`` and no drug in the body (cells, pool
        and matrix volume solved; osteoid and mineral from :func:`remodel.model.physiology.bone.steady_bone`,
        the mechanostat set-point from :func:`remodel.model.physiology.mechanics.steady_setpoint`)."""
        drv = self.drivers(t_days)
        n_sites = len(SITES)
        guess = self.split(y_guess)[0][:5].reshape(5 * n_sites, self.N)

        def full(x):
            x = x.reshape(5, n_sites, self.N)
            formation = self.p["rho"] * x[1] / self.reference["OBa"]
            O, M = bone.steady_bone(x[4], formation, self.p)
            S = mechanics.steady_setpoint(mechanics.tissue_stimulus(drv.loading, x[4], self.p), self.p)
            return self._assemble(np.concatenate([x, O[None], M[None], S[None]]))

        def residual(x):
            y = full(x)
            n = 5 * n_sites
            return self.rates(y, drv)[0][:n] / y[:n]

        return full(newton_log(residual, guess))

    # --- outputs ------------------------------------------------------------------------------------
    def outputs(self, t_days, Y):
        """Drivers, signals, formation and resorption at output times ``t_days`` (T,) for states
        ``Y`` (T, n_states, N)."""
        drv = self.drivers(np.asarray(t_days, dtype=float))
        _, sig, formation, resorption = self.rates(Y, drv)
        return drv, sig, formation, resorption
