r"""Bone matrix, mineralisation and areal BMD at each skeletal site.

Per site, relative to the young-adult reference (volume 1): resorption (reference volume per day)
scales with the active osteoclasts, :math:`R = \rho\, a\, \mathrm{OC_a}/\mathrm{OC_a^{ref}}`, with
:math:`\rho` the site's turnover rate and :math:`a` the osteoclasts' resorbing fraction
(:func:`remodel.model.physiology.cells.resorbing_fraction`, close to 1 unless RANKL is blocked), and
formation has two parts,

.. math::

    F = \rho \left[(1 - f_{mod})\, \mathrm{OB_a}/\mathrm{OB_a^{ref}} + f_{mod}\right]:

remodelling-based formation by the active osteoblasts, which refill what osteoclasts resorbed, and
modeling-based formation, a share :math:`f_{mod}` of the young-adult formation laid on quiescent
surfaces without prior resorption, so not coupled to it (periosteal, endocortical and cancellous
surfaces of the femoral neck, labels over smooth cement lines, Dempster2020). Its extent is the same
on a RANKL antibody as without it while remodelling-based formation falls (Ominsky2015, monkeys on
denosumab for 16 months; Dempster2020 in women): at the reference the remodelling units' deficit
balances it, and an anti-resorptive unmasks it, so that bone volume keeps rising while remodelling
stays suppressed (the hip on denosumab for 10 years, Bone2017; two thirds of its 3-year gain
cortical thickness, one third density, Poole2015). Its share is the same at every site, so that the
spine, whose turnover is about twice the hip's, keeps gaining about twice as fast (Bone2017: +9.2,
+13.7 and +21.7 % at 3, 5 and 10 years against +4.8, +7.0 and +9.2 at the total hip). Matrix volume
:math:`V` (osteoid included), osteoid :math:`O` awaiting mineralisation and mineral :math:`M` (in
units of fully mineralised matrix) obey

.. math::

    \dot V = F - R, \qquad \dot O = F - O/\tau_{lag}, \qquad
    \dot M = c_p\, O/\tau_{lag} + k_{sec}\,(V - O - M) - R\, \frac{M}{V - O},

primary mineralisation to a fraction :math:`c_p` after the lag, then secondary mineralisation
towards full mineral content at rate :math:`k_{sec}` (MartinezReina2019 mineralisation curve, whose
fast phase is 0.007/day; Boivin2002). One rate stands for its fast phase; the slow phase over years
is left out, since the mineral that suppressed turnover adds saturates: the mineralisation density
distribution of women's bone after 10 years of alendronate was that after 5 years on it and 5 off
(Roschger2010, FLEX biopsies). Resorption removes mineral at the mean density. The bone's areal
BMD is proportional to mineral, :math:`\mathrm{BMD}_b(t) = \mathrm{BMD}_b(0)\, M(t)/M(0)`. At the
lumbar spine the anteroposterior DXA projection also counts the apparent mineral of degenerative changes
(osteophytes, end-plate and facet sclerosis, aortic calcification), which accrues with age:

.. math::

    \mathrm{BMD}(t) = \mathrm{BMD}_b(t) + \mu_{YA}\, r_{deg} \ln\left(1 + e^{a(t) - a_{deg}}\right),

with :math:`\mu_{YA}` the young-adult mean and :math:`a(t)` the age in years. Their prevalence rises
from 35 to 80 % between 55 and 70 years, and osteophytes or osteochondrosis raise spine BMD by up
to 14 % (Rand1997); in women followed from 75 to 85 years spine BMD rose where they appeared and
stayed level where they did not (Tenne2013). So the spine of an older woman loses less, and regains
more after a drug stops, than her bone does; the hip, whose projection they spare, does not
(:data:`remodel.model.sites.SITE_TABLE`).

T-score :math:`(\mathrm{BMD} - \mu_{YA})/\sigma_{YA}` against the young-adult reference of the same
sex (Looker1998 for the hip, the Hologic reference for the spine); WHO category by Kanis1994.
"""

from __future__ import annotations

import numpy as np

from ..declare import Output, State
from ..sites import YOUNG_ADULT_REFERENCE

CITATIONS = ("MartinezReina2019", "Boivin2002", "Roschger2010", "Dempster2020", "Ominsky2015", "Bone2017", "Poole2015",
             "Looker1998", "Hologic", "Kanis1994", "Rand1997", "Tenne2013", "LeBlanc1990", "Zerwekh1998", "Belavy2016")

#: Per-site states, in the order of :func:`bone_rates`.
STATES = (
    State("V", "1", 1e-6, Output("bone_volume", "1", "bone matrix volume",
                                 "relative to the young-adult reference (V, osteoid included)")),
    State("O", "1", 1e-6),
    State("M", "1", 1e-6),
)

#: Outputs besides the states (computed by :mod:`remodel.model.observables`).
OUTPUTS = (
    Output("bmd", "g/cm2", "areal bone mineral density",
           "DXA-equivalent areal BMD at the site"),
    Output("bmd_change", "%", "change in bone mineral density from baseline",
           "100 (BMD(t)/BMD(0) - 1)"),
    Output("bone_mineral_change", "%", "change in the bone's own mineral from baseline",
           "100 (M(t)/M(0) - 1): bmd_change without the apparent mineral of degenerative changes that DXA "
           "adds at the lumbar spine (the same as bmd_change at the hip)"),
    Output("t_score", "1", "T-score",
           "(BMD - young-adult mean)/young-adult SD of the same sex (Looker1998; Hologic spine reference)"),
    Output("z_score", "1", "Z-score",
           "(BMD - age-matched mean)/young-adult SD; the age-matched mean follows the model's untreated natural history of this population from the young-adult mean"),
    Output("who_category", "1", "WHO diagnostic category",
           "0 normal (T >= -1), 1 osteopenia (-2.5 < T < -1), 2 osteoporosis (T <= -2.5) (Kanis1994)"),
    Output("formation_rate", "%/year", "bone formation rate",
           "matrix formed per year, percent of the young-adult reference volume"),
    Output("resorption_rate", "%/year", "bone resorption rate",
           "matrix resorbed per year, percent of the young-adult reference volume"),
    Output("ctx_change", "%", "change in serum CTX",
           "bone resorption marker: resorption of the whole skeleton (the sites, a share f_weight_bearing, and the rest keeping its loading, remodel.model.observables), percent change from baseline"),
    Output("p1np_change", "%", "change in serum P1NP",
           "bone formation marker: formation of the whole skeleton (the sites, a share f_weight_bearing, and the rest keeping its loading, remodel.model.observables), percent change from baseline"),
)


#: WHO categories in code order (values of ``who_category``).
WHO_CATEGORIES = ("normal", "osteopenia", "osteoporosis")


def formation_rate(OBa_relative, rho, p):
    """Formation (reference volume per day) at a site of turnover ``rho`` whose active osteoblasts
    are ``OBa_relative`` times the young-adult reference: remodelling-based and modeling-based
    (module docstring)."""
    return rho * ((1.0 - p["f_modeling"]) * OBa_relative + p["f_modeling"])


def bone_rates(V, O, M, formation, resorption, p, k_sec):
    """Time derivatives ``(dV, dO, dM)`` of matrix, osteoid and mineral (per day); ``k_sec`` is
    the secondary mineralisation rate (``p["k_sec"]`` times any driver multiplier)."""
    mineralising = O / p["tau_lag"]
    mineralised = V - O
    dM = p["c_primary"] * mineralising + k_sec * (mineralised - M) - resorption * M / mineralised
    return formation - resorption, formation - mineralising, dM


def degenerative_bmd(age, p):
    """Apparent areal BMD of degenerative changes at age ``age`` (years), as a fraction of the
    young-adult mean (see module docstring); at the sites whose ``degenerative`` flag is set."""
    return p["r_DXA_spine"] * np.logaddexp(0.0, age - p["age_DXA_spine"])


def steady_bone(V, turnover, p):
    """Osteoid and mineral at steady state for matrix ``V`` with formation = resorption = ``turnover``."""
    O = turnover * p["tau_lag"]
    Vm = V - O
    M = Vm * (p["c_primary"] * turnover + p["k_sec"] * Vm) / (turnover + p["k_sec"] * Vm)
    return O, M


def t_score(bmd, sex, site):
    mean, sd = YOUNG_ADULT_REFERENCE[sex][site]
    return (bmd - mean) / sd


def bmd_from_t_score(t, sex, site):
    mean, sd = YOUNG_ADULT_REFERENCE[sex][site]
    return mean + t * sd


def who_category(t):
    """0 normal (T >= -1), 1 osteopenia (-2.5 < T < -1), 2 osteoporosis (T <= -2.5).

    T-scores are rounded to 9 decimals first, so that a baseline given as exactly -1.0 is not
    pushed across the threshold by floating-point round trips.
    """
    t = np.round(t, 9)
    return np.where(t <= -2.5, 2, np.where(t < -1.0, 1, 0)).astype(np.int8)
