r"""Osteocytes: serum sclerostin, an output of the drivers that act on the osteocyte.

Osteocytes secrete sclerostin, which holds back Wnt signalling in the osteoblast lineage and
raises RANKL (Wijenayaka2011). Loading lowers its expression and disuse raises it (Robling2008;
bed rest raises serum sclerostin, Spatz2012); estradiol lowers it (Modder2011: -27 % in four weeks
of estradiol in postmenopausal women). Relative to the young-adult reference (premenopausal
estradiol, habitual loading) serum sclerostin is

.. math::

    \mathrm{Scl} = \mathrm{Scl}_{ref}\, (1 + \lambda_{Scl,E}\, d_{Scl})\,
        \left(1 - f_{WB} + f_{WB} \left\langle \frac{1 + \kappa_{disuse} r^-}{1 + \kappa_{load} r^+} \right\rangle_{sites}\right),
    \qquad d_{Scl} = \frac{K_{Scl,E2}}{K_{Scl,E2} + E_2},

with the serum estradiol :math:`E_2` (pg/mL) and the mechanostat responses :math:`r^\pm` of
:mod:`remodel.model.physiology.mechanics`, averaged over the skeletal sites. The sites stand for
the weight-bearing skeleton, whose osteocytes make a share :math:`f_{WB}` of serum sclerostin; the
rest (the skull and arms) keeps its loading in bed rest (LeBlanc1990: the skull gained mineral) and
its sclerostin expression with it. Serum sclerostin grows with bone mineral content (Amrein2012),
so :math:`f_{WB}` is the unloaded share of the skeleton's mineral: 17 weeks of bed rest took 1.4 % of
total-body BMD while the weight-bearing sites lost 4.0 % (spine 3.9, femoral neck 3.6, trochanter
4.6; LeBlanc1990), :math:`f_{WB}` = 1.4/4.0 = 0.35.

**Its rise on disuse.** Strict bed rest takes the daily stimulus to zero at every site and the
underload to :math:`r^- = 1 - w \approx 0.99` within days (the set-point does not accommodate to disuse, :mod:`remodel.model.physiology.mechanics`):
serum sclerostin rises by :math:`f_{WB} \kappa_{disuse} r^-` and holds. Seven men of 31 in head-down
bed rest rose by 29 +- 20 % at 28 days, 42 +- 31 % at 60 and 22 +- 21 % at 90 (mean +- SD,
Spatz2012), 31 % on average: :math:`\kappa_{disuse}` = 0.31/(0.35 x 0.99) = 0.9, the neutral 1 within
that spread (+35 % here). The three sites alone would give +99 %, three times the measured rise.

**Training and serum sclerostin.** The osteocytes' Sost expression falls under loading (Robling2008)
and serum sclerostin rises on disuse (Spatz2012), but a training programme moves resting serum
sclerostin in people inconsistently: -33.9 % after 8 weeks in sedentary premenopausal women
(Ardawi2012), lower after 12 months of resistance or jump training in osteopenic men (Hinton2017),
unchanged at 6 and 12 months of exercise in a randomised trial in older adults
(ArmamentoVillareal2012), higher after 16 weeks of resistance training in older women whose hip
BMD rose (Huovinen2016), and higher in trained than in sedentary men (Zagrodna2016): serum
sclerostin also grows with the skeleton that makes it (Amrein2012), and a single bout raises it
for minutes (Kouvelioti2018). Here a training programme lowers it by a few percent, as the
overload :math:`r^+` it causes, which fades as the set-point accommodates, in the weight-bearing
share :math:`f_{WB}` of the skeleton.

**Its own estradiol response.** The osteocytes' sclerostin answers the last pg/mL of estradiol:
removing the few pg/mL a postmenopausal woman still makes by peripheral aromatization raised it by
40-56 % in six months (Kim2015: +39.9 % and +55.9 % in its two arms of women starting an aromatase
inhibitor), about as much as the whole fall from premenopausal estradiol to the postmenopausal
level (Kim2015: 23.1 pmol/L in premenopausal women, 27.8 in postmenopausal women, +20 %;
Modder2011: estradiol lowered it by 27 %, so it was 37 % higher without). The bone's estrogen
receptor activity :math:`a_E` of :mod:`remodel.model.physiology.estradiol` (half-maximal at about
30 pg/mL) is already 0.8 deficient after menopause and cannot carry that step; the sclerostin
response is a binding isotherm of its own, half-maximal at :math:`K_{Scl,E2}` of a few pg/mL,
between the aromatase inhibitors' residual estradiol (about 0.2 pg/mL here, Geisler2002) and the
postmenopausal level (about 5-10 pg/mL, Ettinger2004, Mirza2010). It reads serum estradiol, not
receptor activity: tamoxifen's partial agonism and the men's scaling of the estrogen deficiency do
not reach it.

**Sclerostin acting on the cells.** The mechanical factor is the osteocytes' relative sclerostin
expression at a site,

.. math::

    s = \frac{1 + \kappa_{disuse} r^-}{1 + \kappa_{load} r^+},

and it reaches the cells of :mod:`remodel.model.physiology.site` by two paths (the mechanostat acts
through it). Sclerostin raises the osteocytes' RANKL (Wijenayaka2011): RANKL production is multiplied by
:math:`s f_{free}^{\nu}`, which is how loading is anti-catabolic (Rubin2000) and disuse catabolic (bed
rest: eroded surfaces doubled, Zerwekh1998), and how an antibody that binds sclerostin lowers it. Free
sclerostin holds back the Wnt pathway that commits progenitors to the osteoblast lineage (Baron2013);
the Wnt drive of osteoblastogenesis is the relative Wnt activity,

.. math::

    w = \frac{1}{s\, f_{free}} - 1,

with Wnt activity inversely proportional to free sclerostin (an inhibitor well above its inhibition
constant) and :math:`f_{free}` the fraction of sclerostin left free by an antibody
(:mod:`remodel.model.agents.romosozumab`; 1 without). Under overload :math:`w = \kappa_{load} r^+`, the
drive of osteoblastogenesis :math:`1 + \kappa_{form} w` of the mechanostat before sclerostin carried it;
under disuse :math:`w = 1/(1 + \kappa_{disuse} r^-) - 1 < 0` divides it, :math:`1/(1 - \kappa_{form} w)`
(the same slope, and osteoblastogenesis stays positive however high sclerostin rises): bed rest raises sclerostin (Spatz2012:
+29 % at 4 and +42 % at 8 weeks) and lowers the osteoblast surface (Zerwekh1998: 3.1 to 1.9 % of
cancellous surface in 12 weeks, the serum formation markers unchanged). The antibody's gain of bone is
braked by the same path: the bone it adds lowers tissue strain, which raises sclerostin expression
(Eudy2015's feedback of bone mass on sclerostin). Serum sclerostin's estrogen response (Kim2015,
Modder2011) does not reach the cells: at the Wnt gain of the mechanostat (:math:`\kappa_{form}` about
6 per unit :math:`w`, calibrated) the +48 % of an aromatase inhibitor would all but stop
osteoblastogenesis, so estrogen deficiency acts through its own terms of
:mod:`remodel.model.physiology.site`.
"""

from __future__ import annotations

import numpy as np

from ..declare import Output

CITATIONS = ("Wijenayaka2011", "Robling2008", "Spatz2012", "Modder2011", "Kim2015", "Geisler2002", "Ettinger2004",
             "Mirza2010", "Baron2013", "Rubin2000", "Zerwekh1998", "Eudy2015", "Ardawi2012", "Hinton2017",
             "ArmamentoVillareal2012", "Huovinen2016", "Zagrodna2016", "Amrein2012", "Kouvelioti2018", "LeBlanc1990")

#: Outputs (computed by :mod:`remodel.model.observables`).
OUTPUTS = (Output("serum_sclerostin", "pmol/L", "serum sclerostin",
                  "serum sclerostin from serum estradiol and mechanical loading (Kim2015, Modder2011, Robling2008)"),)


def estrogen_deficiency(e2, p):
    """The sclerostin response's estrogen deficiency :math:`d_{Scl}` (0 to 1) at serum estradiol ``e2`` (pg/mL)."""
    return p["K_Scl_E2"] / (p["K_Scl_E2"] + e2)


def sclerostin_expression(r_plus, r_minus, p):
    """Relative sclerostin expression :math:`s` of a site's osteocytes (1 at the reference) at the
    mechanostat responses ``r_plus``, ``r_minus``."""
    return (1.0 + p["kappa_disuse"] * r_minus) / (1.0 + p["kappa_load"] * r_plus)


def osteocytic_rankl(r_plus, r_minus, free, p):
    r"""Multiplier :math:`s\, f_{free}^{\nu}` of RANKL production by the osteocytes' sclerostin at the
    mechanostat responses ``r_plus``, ``r_minus`` with a fraction ``free`` of the sclerostin free."""
    return sclerostin_expression(r_plus, r_minus, p) * free ** p["nu_RANKL_Scl"]


def wnt_drive(r_plus, r_minus, free, p):
    """Wnt drive :math:`w` of osteoblastogenesis (0 at the reference) at the mechanostat responses
    ``r_plus``, ``r_minus`` with a fraction ``free`` of the sclerostin free."""
    return 1.0 / (sclerostin_expression(r_plus, r_minus, p) * free) - 1.0


def osteoblastogenesis(u):
    r"""The Wnt drive's multiplier of osteoblastogenesis at the gain-weighted drive ``u`` (:math:`\kappa w`):
    :math:`1 + u` above the reference and :math:`1/(1 - u)` below it (the same slope at the reference,
    and positive however high sclerostin rises)."""
    below = np.minimum(u, 0.0)
    return 1.0 + np.maximum(u, 0.0) + below / (1.0 - below)


def serum_sclerostin(e2, r_plus, r_minus, p):
    """Serum sclerostin (pmol/L) at serum estradiol ``e2`` (pg/mL) and the mechanostat responses
    ``r_plus``, ``r_minus`` of each site (site first: averaged over it, a share ``f_weight_bearing``
    of the skeleton's sclerostin)."""
    share = p["f_weight_bearing"]
    mechanical = 1.0 - share + share * sclerostin_expression(r_plus, r_minus, p).mean(axis=0)
    return p["Scl_ref"] * (1.0 + p["lambda_Scl_E"] * estrogen_deficiency(e2, p)) * mechanical
