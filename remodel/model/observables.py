r"""Observables: what a simulation reports besides the states, BMD, T- and Z-scores, WHO category,
turnover markers and the quantities the right-hand side computes on the way, computed for the
output variables the physiology declares (``OUTPUTS`` of its modules).

The bone's BMD follows mineral, :math:`\mathrm{BMD}_b(t) = \mathrm{BMD}_b(0)\, M(t)/M(0)`, from a
baseline given by the population or from the young-adult reference (:mod:`remodel.model.sites`)
times the model's mineral relative to it after the population's history; at the lumbar spine DXA
adds the apparent mineral of degenerative changes with age
(:func:`remodel.model.physiology.bone.degenerative_bmd`; a given baseline includes it, held at the
start age when the drivers are frozen). T-scores against the young-adult reference, Z-scores
against the model's untreated natural history (Looker1998, Kanis1994).

**Serum turnover markers.** Serum CTX and P1NP come from the whole skeleton's resorption and
formation. The sites stand for its weight-bearing share :math:`f_{WB}`; the rest (skull, ribs, arms)
follows the systemic drivers (hormones, drugs, nutrition, habits, age) as the sites do but keeps its
loading when the legs and spine are unloaded or trained. So a marker is

.. math::

    X = f_{WB} \langle X_{sites} \rangle + (1 - f_{WB}) \langle X_{sites} \rangle_{twin},

with :math:`\langle X_{sites} \rangle_{twin}` the mean of the sites in the same person under the
same regimen without its exercise and disuse (its unloaded twin, simulated alongside; the same
member when the regimen has neither). :math:`f_{WB}` is the weight-bearing share of the skeleton's
turnover: 17 weeks of bed rest took 1.4 % of total-body BMD while the weight-bearing sites lost 4.0 %
(LeBlanc1990), and the loss of each region follows its turnover, so 1.4/4.0 = 0.35 of the skeleton's
turnover answered the unloading as the sites did (taking the sites' turnover as the skeleton's mean;
the same share as serum sclerostin's, :mod:`remodel.model.physiology.osteocytes`). So in 12 weeks of
bed rest serum osteocalcin and bone alkaline phosphatase did not change significantly while the
cancellous osteoblast surface fell by 39 % (Zerwekh1998), and resorption markers rose by less than
the sites' resorption (Zerwekh1998; Belavy2016).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from ..populations import Population
from ..regimen import Regimen
from .assembly import assembly
from .declare import Output
from .physiology import bone, mechanics, osteocytes, site as site_block
from .physiology.site import SYMBOLS as SITE_STATES
from .sites import SITE_TABLE, SITES
from .timing import DAYS_PER_YEAR

__all__ = ["SERUM_MARKERS", "baseline_bmd", "output_variables", "unloaded_twin", "values"]

#: Serum turnover markers, as (output, per-site rate): whole-skeleton measures (module docstring).
SERUM_MARKERS = {"ctx_change": "resorption", "p1np_change": "formation"}


def output_variables() -> dict[str, Output]:
    """Every output variable of the model now assembled, by name (:attr:`remodel.model.assembly.Assembly.outputs`)."""
    return assembly().outputs


def unloaded_twin(regimen: Regimen) -> Regimen:
    """``regimen`` without its exercise and disuse: what the non-weight-bearing skeleton, which keeps
    its habitual loading, lives under (module docstring)."""
    return dataclasses.replace(regimen, exercise=(), disuse=())


def baseline_bmd(population: Population, relative_bmd_at_start, z_offset):
    """Baseline BMD per site (g/cm2): given, from a given T-score, or the young-adult mean times
    the model's relative BMD after the population's history; plus ``z_offset`` young-adult SDs
    (the individual deviation of a virtual patient)."""
    values = []
    for i, site in enumerate(SITES):
        if site in population.bmd_g_per_cm2:
            values.append(population.bmd_g_per_cm2[site] * np.ones_like(relative_bmd_at_start[i]))
        elif site in population.t_scores:
            values.append(bone.bmd_from_t_score(population.t_scores[site], population.sex, site)
                          * np.ones_like(relative_bmd_at_start[i]))
        else:
            values.append(bone.YOUNG_ADULT_REFERENCE[population.sex][site][0] * relative_bmd_at_start[i])
        values[-1] = values[-1] + z_offset * bone.YOUNG_ADULT_REFERENCE[population.sex][site][1]
    return np.stack(values)


def values(model, t_out, Y, n_samples, n_regimens, natural_history, population, twins):
    """``{name: function}`` computing each output variable (shape ``(sample, regimen, time[, site])``)
    from the states ``Y`` (T, n_states, N) at ``t_out`` (days) of members ordered sample-major over
    ``n_regimens`` regimens; ``z_score`` only if ``natural_history``, the index of the untreated
    regimen (the age-matched reference), is not None; the serum markers only if every regimen's
    :func:`unloaded_twin` has an index in ``twins`` (one entry per regimen, None where it was not
    simulated)."""
    T, S, n_reg = len(t_out), len(SITES), n_regimens
    site, systemic = model.split(Y)
    observed = functools.cache(lambda: model.evaluate(t_out, Y)[1])

    def per_site(a):
        """(site, time, member) -> (time, site, member)."""
        return np.moveaxis(a, 0, -2)

    def dims(a):
        """(time, [site,] member) -> (sample, regimen, time, [site])."""
        a = np.asarray(a)
        if a.ndim == 3:
            return np.broadcast_to(a, (T, S, model.N)).reshape(T, S, n_samples, n_reg).transpose(2, 3, 0, 1)
        return np.broadcast_to(a, (T, model.N)).reshape(T, n_samples, n_reg).transpose(1, 2, 0)

    def mechanostat():
        """The mechanostat responses ``(r_plus, r_minus)``, each (site, time, member)."""
        V, S = (site[:, SITE_STATES.index(k)] for k in ("V", "S"))  # (time, site, member)
        x = mechanics.tissue_stimulus(per_site(observed().loading), V, model.p)
        return tuple(np.moveaxis(r, 1, 0) for r in mechanics.mechanostat(x, S, model.p))

    def percent_change(a):
        """Percent change along the last (time) axis."""
        return 100.0 * (a / a[..., :1] - 1.0)

    def serum_marker(rate):
        """Percent change of the whole skeleton's ``rate`` (``"resorption"`` or ``"formation"``):
        the weight-bearing sites' and their unloaded twin's (module docstring)."""
        sites = dims(per_site(getattr(observed(), rate)).mean(axis=-2))  # (sample, regimen, time)
        share = model.p["f_weight_bearing"].reshape(n_samples, n_reg)[:, :, None]
        return percent_change(share * sites + (1.0 - share) * sites[:, twins])

    mineral = dims(site[:, SITE_STATES.index("M")])
    reference_mineral = bone.steady_bone(1.0, model.p["rho"], model.p)[1]
    reference_mineral = reference_mineral.reshape(S, n_samples, n_reg).transpose(1, 2, 0)[:, :, None, :]
    relative_to_young = mineral / reference_mineral
    z_offset = model.p["baseline_z_offset"].reshape(n_samples, n_reg)
    young = np.array([bone.YOUNG_ADULT_REFERENCE[population.sex][s] for s in SITES])
    # apparent mineral of degenerative changes (fraction of the young-adult mean), (sample, regimen, time, site)
    age = population.age + (t_out if model.frozen_at is None else model.frozen_at + 0 * t_out) / DAYS_PER_YEAR
    member = {k: model.p[k].reshape(n_samples, n_reg, 1) for k in ("r_DXA_spine", "age_DXA_spine")}
    degenerative = (bone.degenerative_bmd(age, member)[..., None]
                    * np.array([s.degenerative for s in SITE_TABLE]))
    relative_at_start = relative_to_young[:, :, 0] + degenerative[:, :, 0]
    baseline = baseline_bmd(population, np.moveaxis(relative_at_start, -1, 0), z_offset)
    bone_bmd = np.moveaxis(baseline, 0, -1)[:, :, None, :] - young[:, 0] * degenerative[:, :, :1]
    bmd = bone_bmd * mineral / mineral[:, :, :1] + young[:, 0] * degenerative
    t_score = lambda: (bmd - young[:, 0]) / young[:, 1]  # noqa: E731
    values = {  # name: function computing it
        "bmd": lambda: bmd,
        "bmd_change": lambda: 100.0 * (bmd / bmd[:, :, :1] - 1.0),
        "bone_mineral_change": lambda: 100.0 * (mineral / mineral[:, :, :1] - 1.0),
        "t_score": t_score,
        "who_category": lambda: bone.who_category(t_score()),
        "rankl_opg_ratio": lambda: dims(per_site(observed().signals.rankl_opg_ratio)),
        "pth": lambda: dims(per_site(np.broadcast_to(observed().signals.pth, observed().formation.shape))),
        "mechanical_stimulus": lambda: dims(per_site(observed().loading)),
        "formation_rate": lambda: dims(per_site(observed().formation)) * DAYS_PER_YEAR * 100,
        "resorption_rate": lambda: dims(per_site(observed().resorption)) * DAYS_PER_YEAR * 100,
        "estradiol": lambda: dims(observed().estradiol),
        "testosterone": lambda: dims(observed().testosterone),
        "estrogen_receptor_activity": lambda: dims(observed().a_E),
        "serum_sclerostin": lambda: dims(osteocytes.serum_sclerostin(observed().estradiol, *mechanostat(), model.p)),
    }
    if None not in twins:
        values.update({name: functools.partial(serum_marker, rate) for name, rate in SERUM_MARKERS.items()})
    if natural_history is not None:
        natural = relative_to_young[:, [natural_history]] + degenerative[:, [natural_history]]
        values["z_score"] = lambda: (bmd - young[:, 0] * natural) / young[:, 1]
    n_kinds = len(site_block.STATES)
    for k, state in enumerate(model.assembly.states):
        if state.output is not None:
            values[state.output.name] = functools.partial(
                lambda k: dims(site[:, k] if k < n_kinds else systemic[:, k - n_kinds]), k)
    return values


