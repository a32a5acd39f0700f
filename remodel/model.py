r"""The remodel model: cells, signalling, drivers and bone at each site, for a batch of members.

A *member* is one parameter set under one :class:`~remodel.regimen.Regimen`. The state of a member is
``SITE_STATES`` at each of the ``SITES``; the right-hand side evaluates all members at once
(arrays of shape ``(state, site, member)``).

Driver multipliers of the cell model, with estrogen deficiency :math:`d = 1 - a_E`:

.. math::

    m_{RANKL} &= (1 + \lambda_{RANKL,E}\, d)(1 + \kappa_{disuse} r^-)\, m_{infl}, \qquad
    m_{OPG} = \frac{1}{1 + \lambda_{OPG,E}\, d}, \qquad
    m_{A,OCa} = \frac{m_{BP}}{1 + \lambda_{OCa,E}\, d},

    m_{A,OBa} &= \frac{1 + \lambda_{OBa,E}\, d}{1 + \lambda_A a_A}, \qquad
    m_{OBu} = g\, m_{supply}, \qquad P_{mech} = \kappa_{form}\, g\, r^+, \qquad
    g = \exp\left[-\gamma_{age} \ln\left(1 + e^{a - a_{inv}}\right)\right],

with :math:`m_{infl}`, :math:`m_{supply}` (protein, alcohol) and the PTH and mineralisation
multipliers from :mod:`remodel.blocks.nutrition`, :math:`m_{BP}` and the denosumab RANKL sink from
:mod:`remodel.blocks.drugs`, and :math:`r^\pm` from :mod:`remodel.blocks.mechanics`. Ageing
:math:`g` (involutional, estrogen-independent loss from about :math:`a_{inv}` = 50 years,
RiggsMelton1986) lowers both the supply of osteoblast progenitors and the osteogenic response to
overload (Rubin1992), so that the mechanostat no longer arrests the loss of old age.

References: Pivonka2008 (cells), PetersonRiggs2010 and MartinezReina2019 (estrogen acting on
RANKL/OPG), Hughes1996 and Kousteni2001 (apoptosis), Scheiner2013 (mechanics).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import bone, cells, drugs, estradiol, exercise, mechanics, nutrition, signalling
from .parameters import ParameterSet
from .populations import REFERENCE_AGE, SITES
from .solver import newton_log
from .therapies import active

__all__ = ["Model", "SITE_STATES", "batch_parameters"]

SITE_STATES = ("OBp", "OBa", "phi", "OCa", "V", "O", "M")
DAYS_PER_YEAR = 365.25
CITATIONS = ("Pivonka2008", "PetersonRiggs2010", "MartinezReina2019", "Hughes1996", "Kousteni2001", "Hofbauer1999", "Rubin1992", "RiggsMelton1986")

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

    def per_site(self) -> "Drivers":
        """The same drivers with a site axis inserted before the member axis (loading unchanged)."""
        fields = {k: np.asarray(v)[..., None, :] if k not in ("age", "loading") else v for k, v in vars(self).items()}
        fields["age"] = np.asarray(self.age)[..., None]
        return Drivers(**fields)


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
        self._lifestyle_cache = {}
        self.reference = self._reference_state()
        self.frozen_at = None

    @property
    def regimens(self):
        """The distinct regimens and the boolean mask of their members."""
        return self._regimens

    # --- drivers -----------------------------------------------------------------------------
    def _regimen_drivers(self, regimen, t_years):
        *lifestyle, m_aromatase = self._lifestyle(regimen, t_years)
        steroids = estradiol.sex_steroids(self.population, regimen.therapies, t_years, self.p, m_aromatase)
        return (*steroids, *lifestyle)

    def _lifestyle(self, regimen, t_years):
        """Loading and nutrition multipliers: piecewise constant in time, so cached per set of
        active interventions when evaluated at a single time (the integrator's case)."""
        if np.size(t_years) != 1:
            return self._lifestyle_at(regimen, t_years)
        t = float(np.ravel(t_years)[0])
        key = (regimen, tuple(bool(active(item, t)) for item in regimen.exercise + regimen.supplements))
        if key not in self._lifestyle_cache:
            self._lifestyle_cache[key] = self._lifestyle_at(regimen, t_years)
        return self._lifestyle_cache[key]

    def _lifestyle_at(self, regimen, t_years):
        load = exercise.loading(regimen.exercise, t_years, self.p)
        return (load, *nutrition.multipliers(regimen.nutrition, regimen.supplements, regimen.habits, t_years, self.p))

    def drivers(self, t_days) -> Drivers:
        """Drivers at ``t_days`` (days since the simulation start; scalar or array ``(T,)``)."""
        if self.frozen_at is not None:
            t_days = np.zeros_like(np.asarray(t_days, dtype=float)) + self.frozen_at
        t_years = (np.asarray(t_days, dtype=float) / DAYS_PER_YEAR)[..., None]
        out = None
        for regimen, mask in self._regimens:
            values = self._regimen_drivers(regimen, t_years)
            out = values if out is None else tuple(np.where(mask, v, o) for v, o in zip(values, out))
        return Drivers(self.population.age + t_years, *out)

    def multipliers(self, drv: Drivers, r_plus, r_minus, bp_surface=0.0):
        """Driver multipliers of the cell and signalling equations (see module docstring)."""
        p = self.p
        d = 1.0 - drv.a_E
        ageing = np.exp(-p["gamma_age"] * np.logaddexp(0.0, drv.age - p["age_involution"]))
        return dict(
            m_rankl=(1.0 + p["lambda_RANKL_E"] * d) * (1.0 + p["kappa_disuse"] * r_minus) * drv.m_inflammation,
            m_opg=1.0 / (1.0 + p["lambda_OPG_E"] * d),
            m_AOCa=drugs.bisphosphonate_apoptosis(bp_surface, p) / (1.0 + p["lambda_OCa_E"] * d),
            m_AOBa=(1.0 + p["lambda_OBa_E"] * d) / (1.0 + p["lambda_A"] * drv.a_A),
            m_OBu=ageing * drv.m_supply,
            p_mech=p["kappa_form"] * ageing * r_plus,
        )

    # --- right-hand side ------------------------------------------------------------------------
    def split(self, y):
        """Site states ``(..., 7, site, N)`` and systemic states ``(..., 4, N)`` of ``y`` ``(..., n_states, N)``."""
        n = self.n_site_states * len(SITES)
        site = y[..., :n, :].reshape(*y.shape[:-2], self.n_site_states, len(SITES), self.N)
        return site, y[..., n:, :]

    def rates(self, y, drv):
        """Rates of ``y`` (shape ``(..., n_states, N)``) and the signals, formation and resorption."""
        site, systemic = self.split(y)
        drv = drv.per_site()
        OBp, OBa, phi, OCa, V, O, M = (site[..., i, :, :] for i in range(self.n_site_states))
        bp_surface, denosumab = systemic[..., 0, :], systemic[..., 3, :]
        r_plus, r_minus = mechanics.mechanostat(drv.loading, V, self.p)
        m = self.multipliers(drv, r_plus, r_minus, bp_surface[..., None, :])
        sig = signalling.signals(OBp, OBa, OCa, self.p, m_pth=drv.m_pth, m_opg=m["m_opg"],
                                 m_rankl=m["m_rankl"], rankl_sink=drugs.rankl_sink(denosumab, self.p)[..., None, :])
        ref = self.reference
        dcells = cells.cell_rates(
            OBp, OBa, phi, OCa, sig, self.p, ref["pi"],
            m_OBu=m["m_OBu"], m_AOBa=m["m_AOBa"], m_AOCa=m["m_AOCa"], p_mech=m["p_mech"],
        )
        formation = self.p["rho"] * OBa / ref["OBa"]
        resorption = self.p["rho"] * OCa / ref["OCa"]
        dbone = bone.bone_rates(V, O, M, formation, resorption, self.p, k_sec=self.p["k_sec"] * drv.m_k2)
        dsite = np.stack(np.broadcast_arrays(*dcells, *dbone), axis=-3)
        dsys = drugs.drug_rates(systemic, np.mean(OBa, axis=-2) / ref["OBa"], np.mean(OCa, axis=-2) / ref["OCa"],
                                self.p, self.population.weight_kg)
        flat = np.concatenate([dsite.reshape(*dsite.shape[:-3], -1, self.N), dsys], axis=-2)
        return flat, sig, formation, resorption

    def rhs(self, t, y_flat):
        """Flat right-hand side for :func:`scipy.integrate.solve_ivp`."""
        rates, *_ = self.rates(y_flat.reshape(self.n_states, self.N), self.drivers(t))
        return rates.reshape(-1)

    # --- steady states ------------------------------------------------------------------------------
    def _reference_state(self):
        """Young-adult steady state (age 30, no therapy, adequate diet, habitual loading, V = 1):
        the cells that normalise formation and resorption and the RANK occupancy at which the
        precursor pool is 1."""
        population, p = self.population, self.p
        t30 = (REFERENCE_AGE - population.age) * DAYS_PER_YEAR
        e2, testosterone, a_E, a_A = estradiol.sex_steroids(population, (), t30 / DAYS_PER_YEAR, p)
        one = np.ones(self.N)
        drv = Drivers(np.asarray(REFERENCE_AGE), e2, testosterone, a_E, a_A, one, one, one, one, one)
        r_plus, r_minus = mechanics.mechanostat(1.0, 1.0, p)
        m = self.multipliers(drv, r_plus, r_minus)

        def residual(x):
            OBp, OBa, OCa = x
            sig = signalling.signals(OBp, OBa, OCa, p, m_opg=m["m_opg"], m_rankl=m["m_rankl"])
            rates = cells.cell_rates(
                OBp, OBa, 1.0, OCa, sig, p, sig.rankl_occupancy,
                m_OBu=m["m_OBu"], m_AOBa=m["m_AOBa"], m_AOCa=m["m_AOCa"], p_mech=m["p_mech"],
            )
            return np.stack(np.broadcast_arrays(rates[0], rates[1], rates[3])) / x

        guess = np.repeat(np.array(_PIVONKA_STEADY_STATE)[:, None], self.N, axis=1)
        OBp, OBa, OCa = newton_log(residual, guess)
        sig = signalling.signals(OBp, OBa, OCa, p, m_opg=m["m_opg"], m_rankl=m["m_rankl"])
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
        return self._assemble(np.stack([ref["OBp"] * ones, ref["OBa"] * ones, ones, ref["OCa"] * ones, ones, O, M]))

    def steady_state_vector(self, t_days, y_guess):
        """Steady state with the drivers frozen at ``t_days`` and no drug in the body (cells, pool
        and matrix volume solved; osteoid and mineral from :func:`remodel.blocks.bone.steady_bone`)."""
        drv = self.drivers(t_days)
        n_sites = len(SITES)
        guess = self.split(y_guess)[0][:5].reshape(5 * n_sites, self.N)

        def full(x):
            x = x.reshape(5, n_sites, self.N)
            formation = self.p["rho"] * x[1] / self.reference["OBa"]
            O, M = bone.steady_bone(x[4], formation, self.p)
            return self._assemble(np.concatenate([x, O[None], M[None]]))

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
