r"""The model's right-hand side for the compiled integrator: one member at a time.

The right-hand side is not a second copy of the model: the functions of :mod:`remodel.model`
(:func:`~remodel.model.site_rates`) and of the blocks are compiled as they are, with the parameters
of a member as a record (``p["K_D2"]`` reads a field) and numbers for arrays. :data:`integrate_members`
is the BDF integrator of :mod:`remodel.solvers.bdf` built for :func:`_rates`; the compiled code is
cached on disk, keyed by the sources of this module and of the modules it imports
(:mod:`remodel.solvers.cache`), so only the first use after an install or an edit of the model
compiles.
"""

from __future__ import annotations

import numpy as np
from numba.extending import register_jitable

from ..populations import SITES
from ..solvers.bdf import Integrator
from .agents import drugs
from .batch import DAYS_PER_YEAR, SITE_STATES, Model, ageing, multipliers, site_rates
from .physiology import bone, cells, estradiol, mechanics, signalling

__all__ = ["integrate_members", "member_inputs", "parameter_records"]

_N_SITES = len(SITES)
_N_SITE_STATES = len(SITE_STATES)
_OBA, _OCA = SITE_STATES.index("OBa"), SITE_STATES.index("OCa")
#: Per-member numbers besides the parameters: the reference cells, the piecewise-constant drivers
#: of :class:`remodel.model.Constants` and, per site, turnover and loading.
_MEMBER_FIELDS = ("OBa_ref", "OCa_ref", "pi_ref", "m_pth", "m_supply", "m_k2", "m_inflammation", "m_aromatase",
                  "inhibition", "suppression", "occupancy", "trt")
(_OBA_REF, _OCA_REF, _PI_REF, _M_PTH, _M_SUPPLY, _M_K2, _M_INFLAMMATION, _M_AROMATASE, _INHIBITION, _SUPPRESSION,
 _OCCUPANCY, _TRT) = range(len(_MEMBER_FIELDS))
_RHO, _LOADING = 0, 1  # per site


def parameter_records(model: Model):
    """The parameters of every member as records ``(N,)`` (a field per parameter) and, per site,
    turnover ``(N, site)``."""
    names = sorted(k for k, v in model.p.items() if np.ndim(v) == 1)
    records = np.empty(model.N, dtype=[(k, "f8") for k in names])
    for k in names:
        records[k] = model.p[k]
    return records, np.ascontiguousarray(model.p["rho"].T)


def member_inputs(model: Model, constants, records):
    """The arguments of the compiled right-hand side after the member: ``records`` of
    :func:`parameter_records`, the member numbers of :data:`_MEMBER_FIELDS` ``(N, k)``, turnover
    and loading per site ``(N, 2, site)``, the time at which the drivers are frozen (NaN if not)
    and the population's numbers."""
    records, rho = records
    ref = model.reference
    values = {"OBa_ref": ref["OBa"], "OCa_ref": ref["OCa"], "pi_ref": ref["pi"], **constants._asdict()}
    member = np.ascontiguousarray(np.stack([np.broadcast_to(values[k], (model.N,)) for k in _MEMBER_FIELDS], axis=1))
    per_site = np.ascontiguousarray(np.stack([rho, constants.loading.T], axis=1))  # _RHO, _LOADING
    population = model.population
    frozen_at = np.nan if model.frozen_at is None else float(model.frozen_at)
    return (records, member, per_site, frozen_at, population.sex == "female",
            *estradiol.population_constants(population), float(population.weight_kg))


def _rates(t, y, out, m, records, member, per_site, frozen_at, female, menopause_age, age_now, testosterone_now,
           weight_kg):
    """Rates ``out`` of member ``m`` at ``t`` (days) in state ``y`` (flat, as :class:`remodel.model.Model`);
    the drivers are those at ``frozen_at`` unless it is NaN."""
    p = records[m]
    c = member[m]
    age = age_now + (t if np.isnan(frozen_at) else frozen_at) / DAYS_PER_YEAR
    _, _, a_E, a_A = estradiol.steroid_levels(female, age, menopause_age, age_now, testosterone_now, c[_INHIBITION],
                                              c[_SUPPRESSION], c[_OCCUPANCY], c[_TRT], p, c[_M_AROMATASE])
    g = ageing(age, p)
    n = _N_SITE_STATES * _N_SITES
    S_a, S_b, A, C = y[n], y[n + 1], y[n + 2], y[n + 3]
    OBa_sum = 0.0
    OCa_sum = 0.0
    for i in range(_N_SITES):
        rates, _, _, _ = site_rates(y[i], y[_N_SITES + i], y[2 * _N_SITES + i], y[3 * _N_SITES + i],
                                    y[4 * _N_SITES + i], y[5 * _N_SITES + i], y[6 * _N_SITES + i],
                                    y[7 * _N_SITES + i], S_a, C, g, a_E,
                                    a_A, per_site[m, _LOADING, i], c[_M_PTH], c[_M_SUPPLY], c[_M_K2],
                                    c[_M_INFLAMMATION], per_site[m, _RHO, i], p, c[_OBA_REF], c[_OCA_REF], c[_PI_REF])
        for k in range(_N_SITE_STATES):
            out[k * _N_SITES + i] = rates[k]
        OBa_sum += y[_OBA * _N_SITES + i]
        OCa_sum += y[_OCA * _N_SITES + i]
    dS_a, dS_b, dA, dC = drugs.drug_rates(S_a, S_b, A, C, OBa_sum / _N_SITES / c[_OBA_REF],
                                          OCa_sum / _N_SITES / c[_OCA_REF], p, weight_kg)
    out[n], out[n + 1], out[n + 2], out[n + 3] = dS_a, dS_b, dA, dC


# The model's functions are compiled as they are, into the integrator built for _rates.
for _function in (signalling.activator, signalling.repressor, signalling.signals, cells.cell_rates, bone.bone_rates,
                  mechanics.softplus, mechanics.tissue_stimulus, mechanics.mechanostat, mechanics.steady_setpoint,
                  mechanics.setpoint_rate, drugs.bisphosphonate_apoptosis, drugs.rankl_sink,
                  drugs.drug_rates, estradiol.endogenous_testosterone, estradiol.steroid_levels, ageing, multipliers,
                  site_rates):
    register_jitable(_function)

#: Integrates every member alone over one smooth segment: ``integrate_members(member_inputs(...), Y0,
#: t_start, t_end, t_eval, rtol=..., atol=...)``, see :class:`remodel.solvers.bdf.Integrator`.
integrate_members = Integrator(_rates)
