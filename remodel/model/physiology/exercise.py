r"""Mechanical loading dose: from exercise prescriptions to the daily stimulus at each site.

Each modality loads a site with an effective peak strain :math:`\varepsilon` relative to
walking (magnitude and strain rate folded together, Turner1998); loading cycles within a session
saturate (RubinLanyon1984). The daily stress stimulus of Carter/Beaupre (Beaupre1990),
relative to habitual daily activity :math:`H` (effective cycles at walking strain per day), is

.. math::

    \ell = \left(u + X\left(1 - e^{-E/(H X)}\right)\right)^{1/m}, \qquad
    E = \sum_{k} \frac{s_k}{7}\, a_k\, N_{sat} \left(1 - e^{-n_k/N_{sat}}\right) \varepsilon_k^{m},
    \qquad X = \ell_{max}^m - 1,

with :math:`s_k = s_{sat}(1 - e^{-S_k/s_{sat}})` the effective sessions of :math:`S_k` sessions per
week (bone cells need hours to days to recover their sensitivity, so sessions beyond two or three a
week add little, RoblingTurner2002, Shojaa2020), :math:`a_k` adherence (the programme's times the person's) and
:math:`n_k` cycles per session of
programme :math:`k`, active between its start and stop. Resistance training strain scales with the
load, :math:`\varepsilon = \varepsilon_{80} L/80` for :math:`L` % of one-repetition maximum.
Swimming, cycling and balance training carry no skeletal load (:math:`\varepsilon = 0`).

**Walking at the spine.** The unit :math:`\varepsilon = 1` is a site's habitual loading cycle: a
walking step at the hip, whose habitual loading is locomotion (:mod:`remodel.model.sites`), and at the
lumbar spine the loads of the trunk muscles as posture changes through the day, rising from a chair or
bending forward (intradiscal pressure 1.1 MPa, Wilke1999). A walking step loads the lumbar disc little
more than standing still (0.53-0.65 MPa against 0.50), so its strain at the spine is
:math:`\varepsilon_{walk,spine}` = 0.65/1.1 = 0.6 of the habitual cycle and its cycles weigh
:math:`0.6^m` = 0.13 of a habitual cycle's: walking, customary loading for an ambulatory person,
adds next to nothing to the spine's stimulus. So walking programmes of 6-24 months left lumbar spine
BMD unchanged in postmenopausal women (8 trials, MartynStJames2008; Ma2013), with positive effects
at the femoral neck only. The spine's other strains are set against the same habitual cycle: lifting
20 kg with a flexed back, 2.3 MPa, is 2.1 times it, as :math:`\varepsilon_{80}` at the spine (2.0).
The day's extra stimulus :math:`E` saturates as cycles and sessions do, so that no programme or
combination of programmes raises the stimulus beyond :math:`\ell_{max}` times the habitual (for
small :math:`E`, :math:`\ell \approx (1 + E/H)^{1/m}`, Beaupre1990's sum): exercise effects
stay within the few percent the trials report (Howe2011, Kohrt1997).

**Immobilisation.** :math:`u` is the share of the habitual daily loading that remains, 1 but
during a :class:`remodel.regimen.Disuse` (the product of the ``loading_fraction`` of those active):
bed rest, a cast or paralysis removes cycles of the habitual sum, and the stimulus falls as
their :math:`m`-th root (:math:`u` = 0.1 leaves :math:`\ell` = 0.56 at :math:`m` = 4). Strict bed rest
is :math:`u` = 0, no stimulus at any site. Lying still loads the spine at about a fifth of relaxed
standing (intradiscal pressure 0.10 MPa lying prone, 0.12 on the side, 0.50 standing, Wilke1999):
the habitual cycles at a fifth of their load weigh :math:`0.2^m` = 0.2 % in the daily sum
but leave :math:`\ell` = 0.2 of the habitual stimulus, which :math:`u` = 0 neglects (the spine
loses about a seventh less with it). The
mechanostat of :mod:`remodel.model.physiology.mechanics` answers the fall with underload :math:`r^-`: sclerostin
rises (Spatz2012: +29 % at 4 and +42 % at 8 weeks of bed rest) and resorption with it (Zerwekh1998:
eroded surfaces doubled), and bone is lost (LeBlanc1990: 17 weeks of bed rest, femoral neck -3.6 %,
lumbar spine -3.9 %, trochanter -4.6 % in six men). Exercise during immobilisation still adds to what remains.

**Habitual loading in old age.** The habitual stimulus is the young adult's until 70-75 and
falls after it, ever faster, as physical activity falls. Accelerometry finds total activity stable
through midlife (Varma2017, NHANES) and lower in each older decade, 60-69, 70-79 and 80 and over
(Evenson2012, NHANES); followed up, men aged 70-93 (mean 78) took 4806 steps a day and 341 fewer
each year (-7.1 %/year, Jefferis2015: the steep decline of the oldest old). The stimulus
:math:`\ell` is the :math:`m`-th root of a sum over loading cycles, so that decline of the cycles
lowers it by 1.8 %/year at 78. With the relative rate of decline rising linearly with age
beyond an onset :math:`a_{act}`, the habitual stimulus (and with it the whole of :math:`\ell`) is
multiplied by :math:`h(a)^{q}`,

.. math::

    h(a) = \exp\left[-\tfrac{1}{2} \beta_{act} \ln^2\left(1 + e^{a - a_{act}}\right)\right], \qquad
    -\frac{d \ln h}{da} \approx \beta_{act}\,(a - a_{act}) \quad (a - a_{act} \gg 1),

with :math:`q` the share of a site's habitual loading that locomotion brings (:mod:`remodel.model.sites`):
1 at the hip, loaded at every step by hip contact forces of about 2.5 times body weight
(Bergmann2001), 0 at the lumbar spine, loaded by the trunk muscles that hold posture, as much
sitting as standing (Wilke1999). :math:`\beta_{act}` = 0.018/(78 - 70) = 0.0022 per year squared
takes the decline to start at 70; the onset :math:`a_{act}` itself is fitted (prior 70) and lands
near 75, the upper end of its bounds, pushed there by the hip rows of women of 72-78 years (FREEDOM
against placebo, FLEX): the habitual stimulus then falls by 1.1 %/year at 80, 2.2 %/year at 85, and
by less than 0.1 %/year before 75. Only the cycles are counted. Leg strength falls faster still in
the 70s (-2.6 %/year in white women of 70-79, Goodpaster2006; 2.5-3 %/year at 75, Mitchell2012),
but the peak forces of daily tasks (walking,
rising from a chair) are set by body weight while strength suffices for them, and strength limits
usual gait only in the weakest (Buchner1996): the peak forces are left at the young adult's. The
mechanostat answers the falling stimulus by shedding bone, which is why untreated hip loss
quickens in old age, from about -0.3 %/year at 67-69 to -1.5 %/year at 85 and over (Ensrud1995),
where the osteoblast factors of :mod:`remodel.model.physiology.site` alone leave the loss of the
menopause fading. The factor multiplies the exercise stimulus too: a programme adds the same
fraction of an older person's habitual stimulus as of a younger one's, since trial programmes set
their intensity by what the person can do (resistance as % of her one-repetition maximum, the
jumps she can make).
"""

from __future__ import annotations

import numpy as np

from ..declare import Output
from ..sites import SITE_TABLE, SITES
from ..timing import active
from .mechanics import softplus

CITATIONS = ("Spatz2012", "Zerwekh1998", "LeBlanc1990", "Turner1998", "RubinLanyon1984", "Beaupre1990", "Kohrt1997", "RoblingTurner2002", "Shojaa2020", "Howe2011",
             "MartynStJames2008", "Ma2013", "Varma2017", "Evenson2012", "Jefferis2015", "Goodpaster2006", "Mitchell2012", "Buchner1996", "Ensrud1995", "Bergmann2001", "Wilke1999")

#: Outputs (computed by :mod:`remodel.model.observables`).
OUTPUTS = (
    Output("mechanical_stimulus", "1", "mechanical loading stimulus",
           "daily stress stimulus relative to the young adult's habitual loading (exercise, body weight and, at the hip, the fall of activity in old age)"),
)

#: Parameter holding the effective strain of a loaded modality in each loading region
#: (:attr:`remodel.model.sites.Site.region`); None: the unit, a walking step at the hip.
_STRAIN = {
    "walking": {"spine": "eps_walking_spine", "hip": None},
    "running": {"spine": "eps_running_spine", "hip": "eps_running_hip"},
    "high_impact": {"spine": "eps_impact_spine", "hip": "eps_impact_hip"},
    "resistance": {"spine": "eps_resistance_spine", "hip": "eps_resistance_hip"},
}


def session_strain(exercise, p):
    """Effective strain relative to walking of one session, per site: list of arrays."""
    if exercise.modality not in _STRAIN:
        return [np.zeros_like(p["H_habitual"]) for _ in SITES]
    names = _STRAIN[exercise.modality]
    scale = exercise.load_pct_1rm / 80.0 if exercise.modality == "resistance" else 1.0
    return [np.ones_like(p["H_habitual"]) if names[site.region] is None else p[names[site.region]] * scale
            for site in SITE_TABLE]


def loading(exercises, disuse, t_years, p):
    """Relative daily loading stimulus per site, shape ``(..., site, member)`` (1 = habitual), of
    exercise programmes and :class:`remodel.regimen.Disuse` periods (module docstring)."""
    t = np.asarray(t_years, dtype=float)
    remains = np.prod([1.0 - active(d, t) * (1.0 - d.loading_fraction) for d in disuse], axis=0)
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
    return np.stack(np.broadcast_arrays(*[(remains - room * np.expm1(-e / (p["H_habitual"] * room))) ** (1.0 / m)
                                          for e in extra]), axis=-2)


def habitual_activity(age, p):
    """The factor :math:`h(a)` of the habitual loading of old age at ``age`` (years), relative to the
    young adult's: the multiplier of the loading stimulus of a site whose habitual loading is all
    locomotion (module docstring)."""
    return np.exp(-0.5 * p["beta_activity"] * softplus(age - p["age_activity"]) ** 2)
