r"""The remodel model: cells, signalling, drivers and bone at each site, for a batch of members.

A *member* is one parameter set under one :class:`~remodel.regimen.Regimen`. The state of a member is
``SITE_STATES`` at each of the ``SITES``; the right-hand side evaluates all members at once
(arrays of shape ``(state, site, member)``).

Driver multipliers of the cell model, with estrogen deficiency :math:`d = 1 - a_E`:

.. math::

    m_{RANKL} &= (1 + \lambda_{RANKL,E}\, d)(1 + \kappa_{disuse} r^-), \qquad
    m_{OPG} = \frac{1}{1 + \lambda_{OPG,E}\, d}, \qquad
    m_{A,OCa} = \frac{1}{1 + \lambda_{OCa,E}\, d},

    m_{A,OBa} &= \frac{1 + \lambda_{OBa,E}\, d}{1 + \lambda_A a_A}, \qquad
    m_{OBu} = g, \qquad P_{mech} = \kappa_{form}\, g\, r^+, \qquad g = e^{-\gamma_{age} (a - 30)}.

Ageing :math:`g` lowers both the supply of osteoblast progenitors and the osteogenic response to
overload (Rubin1992), so that the mechanostat no longer arrests the loss of old age.

References: Pivonka2008 (cells), PetersonRiggs2010 and MartinezReina2019 (estrogen acting on
RANKL/OPG), Hughes1996 and Kousteni2001 (apoptosis), Scheiner2013 (mechanics).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import bone, cells, estradiol, mechanics, signalling
from .parameters import ParameterSet
from .populations import REFERENCE_AGE, SITES
from .solver import newton_log

__all__ = ["Model", "SITE_STATES", "batch_parameters"]

SITE_STATES = ("OBp", "OBa", "phi", "OCa", "V", "O", "M")
DAYS_PER_YEAR = 365.25
CITATIONS = ("Pivonka2008", "PetersonRiggs2010", "MartinezReina2019", "Hughes1996", "Kousteni2001", "Hofbauer1999", "Rubin1992")

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
    """Systemic drivers at given times, shape broadcastable to ``(..., member)``."""

    age: np.ndarray
    estradiol: np.ndarray
    testosterone: np.ndarray
    a_E: np.ndarray
    a_A: np.ndarray


class Model:
    """Right-hand side, reference state and outputs of remodel for a batch of members.

    Parameters
    ----------
    population : Population
    regimens : sequence of Regimen
        One regimen per member.
    p : dict
        Output of :func:`batch_parameters` with ``N == len(regimens)``.
    """

    n_site_states = len(SITE_STATES)

    def __init__(self, population, regimens, p):
        self.population = population
        self.p = p
        self.N = len(regimens)
        unique = list(dict.fromkeys(regimens))
        index = np.array([unique.index(r) for r in regimens])
        self._regimens = [(regimen, index == i) for i, regimen in enumerate(unique)]
        self.n_states = self.n_site_states * len(SITES)
        self.reference = self._reference_state()
        self.frozen_at = None

    # --- drivers -----------------------------------------------------------------------------
    def drivers(self, t_days) -> Drivers:
        """Drivers at ``t_days`` (days since the simulation start; scalar or array ``(T, 1, 1)``)."""
        if self.frozen_at is not None:
            t_days = np.zeros_like(np.asarray(t_days, dtype=float)) + self.frozen_at
        t_years = np.asarray(t_days, dtype=float) / DAYS_PER_YEAR
        out = None
        for regimen, mask in self._regimens:
            values = estradiol.sex_steroids(self.population, regimen.therapies, t_years, self.p)
            out = values if out is None else tuple(np.where(mask, v, o) for v, o in zip(values, out))
        e2, testosterone, a_E, a_A = out
        return Drivers(self.population.age + t_years, e2, testosterone, a_E, a_A)

    def multipliers(self, drv: Drivers, r_plus, r_minus):
        """Driver multipliers of the cell and signalling equations (see module docstring)."""
        p = self.p
        d = 1.0 - drv.a_E
        ageing = np.exp(-p["gamma_age"] * (drv.age - REFERENCE_AGE))
        return dict(
            m_rankl=(1.0 + p["lambda_RANKL_E"] * d) * (1.0 + p["kappa_disuse"] * r_minus),
            m_opg=1.0 / (1.0 + p["lambda_OPG_E"] * d),
            m_AOCa=1.0 / (1.0 + p["lambda_OCa_E"] * d),
            m_AOBa=(1.0 + p["lambda_OBa_E"] * d) / (1.0 + p["lambda_A"] * drv.a_A),
            m_OBu=ageing,
            p_mech=p["kappa_form"] * ageing * r_plus,
        )

    # --- right-hand side ------------------------------------------------------------------------
    def _cell_and_bone_rates(self, y, drv, loading=1.0):
        """Rates of all site states ``y`` (shape ``(7, site, N)`` or with leading time axes)."""
        OBp, OBa, phi, OCa, V, O, M = (y[..., i, :, :] for i in range(self.n_site_states))
        r_plus, r_minus = mechanics.mechanostat(loading, V, self.p)
        m = self.multipliers(drv, r_plus, r_minus)
        sig = signalling.signals(OBp, OBa, OCa, self.p, m_opg=m["m_opg"], m_rankl=m["m_rankl"])
        ref = self.reference
        dcells = cells.cell_rates(
            OBp, OBa, phi, OCa, sig, self.p, ref["pi"],
            m_OBu=m["m_OBu"], m_AOBa=m["m_AOBa"], m_AOCa=m["m_AOCa"], p_mech=m["p_mech"],
        )
        formation = self.p["rho"] * OBa / ref["OBa"]
        resorption = self.p["rho"] * OCa / ref["OCa"]
        dbone = bone.bone_rates(V, O, M, formation, resorption, self.p)
        rates = np.stack(np.broadcast_arrays(*dcells, *dbone), axis=-3)
        return rates, sig, formation, resorption

    def rhs(self, t, y_flat):
        """Flat right-hand side for :func:`scipy.integrate.solve_ivp`."""
        y = y_flat.reshape(self.n_site_states, len(SITES), self.N)
        rates, *_ = self._cell_and_bone_rates(y, self.drivers(t))
        return rates.reshape(-1)

    # --- steady states ------------------------------------------------------------------------------
    def _reference_state(self):
        """Young-adult steady state (age 30, no therapy, habitual loading, V = 1): the cells that
        normalise formation and resorption and the RANK occupancy at which the precursor pool is 1."""
        population, p = self.population, self.p
        t30 = (REFERENCE_AGE - population.age) * DAYS_PER_YEAR
        e2, testosterone, a_E, a_A = estradiol.sex_steroids(population, (), t30 / DAYS_PER_YEAR, p)
        drv = Drivers(np.asarray(REFERENCE_AGE), e2, testosterone, a_E, a_A)
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

    def reference_state_vector(self):
        """Full state (flat) of the young-adult reference: cells at reference, V = 1, bone steady."""
        ref, p = self.reference, self.p
        O, M = bone.steady_bone(1.0, p["rho"], p)
        ones = np.ones((len(SITES), self.N))
        y = np.stack([ref["OBp"] * ones, ref["OBa"] * ones, ones, ref["OCa"] * ones, ones, O, M])
        return y.reshape(-1)

    def steady_state_vector(self, t_days, y_guess):
        """Steady state with the drivers frozen at ``t_days`` (cells, pool and matrix volume solved;
        osteoid and mineral from :func:`remodel.blocks.bone.steady_bone`)."""
        drv = self.drivers(t_days)
        n_sites = len(SITES)
        guess = y_guess.reshape(self.n_site_states, n_sites, self.N)[:5].reshape(5 * n_sites, self.N)

        def full(x):
            x = x.reshape(5, n_sites, self.N)
            V = x[4]
            formation = self.p["rho"] * x[1] / self.reference["OBa"]
            O, M = bone.steady_bone(V, formation, self.p)
            return np.concatenate([x, O[None], M[None]])

        def residual(x):
            y = full(x)
            rates, _, formation, resorption = self._cell_and_bone_rates(y, drv)
            rel = rates[:5] / y[:5]
            return rel.reshape(5 * n_sites, self.N)

        x = newton_log(residual, guess)
        return full(x).reshape(-1)

    # --- outputs ------------------------------------------------------------------------------------
    def outputs(self, t_days, Y):
        """Derived quantities at output times ``t_days`` (T,) for states ``Y`` (T, n_states, N)."""
        y = Y.reshape(len(t_days), self.n_site_states, len(SITES), self.N)
        drv = self.drivers(np.asarray(t_days, dtype=float)[:, None, None])
        _, sig, formation, resorption = self._cell_and_bone_rates(y, drv)
        return drv, sig, formation, resorption
