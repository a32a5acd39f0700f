r"""Mechanical loading dose: from exercise prescriptions to the daily stimulus at each site.

Each modality loads a site with an effective peak strain :math:`\varepsilon` relative to
walking (magnitude and strain rate folded together, Turner1998); loading cycles within a session
saturate (RubinLanyon1984). The daily stress stimulus of Carter/Beaupre (Beaupre1990),
relative to habitual daily activity :math:`H` (effective cycles at walking strain per day), is

.. math::

    \ell = \left(1 + X\left(1 - e^{-E/(H X)}\right)\right)^{1/m}, \qquad
    E = \sum_{k} \frac{s_k}{7}\, a_k\, N_{sat} \left(1 - e^{-n_k/N_{sat}}\right) \varepsilon_k^{m},
    \qquad X = \ell_{max}^m - 1,

with :math:`s_k = s_{sat}(1 - e^{-S_k/s_{sat}})` the effective sessions of :math:`S_k` sessions per
week (bone cells need hours to days to recover their sensitivity, so sessions beyond two or three a
week add little, RoblingTurner2002, Shojaa2020), :math:`a_k` adherence (the programme's times the person's) and
:math:`n_k` cycles per session of
programme :math:`k`, active between its start and stop. Resistance training strain scales with the
load, :math:`\varepsilon = \varepsilon_{80} L/80` for :math:`L` % of one-repetition maximum.
Swimming, cycling and balance training carry no skeletal load (:math:`\varepsilon = 0`).
The day's extra stimulus :math:`E` saturates as cycles and sessions do, so that no programme or
combination of programmes raises the stimulus beyond :math:`\ell_{max}` times the habitual (for
small :math:`E`, :math:`\ell \approx (1 + E/H)^{1/m}`, Beaupre1990's sum): exercise effects
stay within the few percent the trials report (Howe2011, Kohrt1997).
"""

from __future__ import annotations

import numpy as np

from ..declare import Output
from ..sites import SITE_TABLE, SITES
from ..timing import active

CITATIONS = ("Turner1998", "RubinLanyon1984", "Beaupre1990", "Kohrt1997", "RoblingTurner2002", "Shojaa2020", "Howe2011")

#: Outputs (computed by :mod:`remodel.model.observables`).
OUTPUTS = (
    Output("mechanical_stimulus", "1", "mechanical loading stimulus",
           "daily stress stimulus relative to habitual loading"),
)

#: Parameter holding the effective strain of a loaded modality in each loading region
#: (:attr:`remodel.model.sites.Site.region`).
_STRAIN = {
    "walking": None,
    "running": {"spine": "eps_running_spine", "hip": "eps_running_hip"},
    "high_impact": {"spine": "eps_impact_spine", "hip": "eps_impact_hip"},
    "resistance": {"spine": "eps_resistance_spine", "hip": "eps_resistance_hip"},
}


def session_strain(exercise, p):
    """Effective strain relative to walking of one session, per site: list of arrays."""
    if exercise.modality not in _STRAIN:
        return [np.zeros_like(p["H_habitual"]) for _ in SITES]
    names = _STRAIN[exercise.modality]
    if names is None:
        return [np.ones_like(p["H_habitual"]) for _ in SITES]
    scale = exercise.load_pct_1rm / 80.0 if exercise.modality == "resistance" else 1.0
    return [p[names[site.region]] * scale for site in SITE_TABLE]


def loading(exercises, t_years, p):
    """Relative daily loading stimulus per site, shape ``(..., site, member)`` (1 = habitual)."""
    t = np.asarray(t_years, dtype=float)
    m = p["m_stimulus"]
    extra = [np.zeros(np.broadcast_shapes(t.shape, np.shape(p["H_habitual"]))) for _ in SITES]
    for exercise in exercises:
        on = active(exercise, t)
        if not np.any(on):
            continue
        cycles = p["N_sat"] * (1.0 - np.exp(-exercise.cycles_per_session / p["N_sat"]))
        sessions = p["s_sat"] * (1.0 - np.exp(-exercise.sessions_per_week / p["s_sat"]))
        dose = on * sessions / 7.0 * exercise.adherence * p["adherence"] * cycles
        for i, strain in enumerate(session_strain(exercise, p)):
            extra[i] = extra[i] + dose * strain**m
    room = p["ell_max"] ** m - 1.0  # the largest extra stimulus, in units of the habitual
    return np.stack(np.broadcast_arrays(*[(1.0 - room * np.expm1(-e / (p["H_habitual"] * room))) ** (1.0 / m)
                                          for e in extra]), axis=-2)
