r"""Osteocytes: serum sclerostin, an output of the drivers that act on the osteocyte.

Osteocytes secrete sclerostin, which holds back Wnt signalling in the osteoblast lineage and
raises RANKL (Wijenayaka2011). Loading lowers its expression and disuse raises it (Robling2008;
bed rest raises serum sclerostin, Spatz2012); estradiol lowers it (Modder2011: -27 % in four weeks
of estradiol in postmenopausal women). Relative to the young-adult reference (premenopausal
estradiol, habitual loading) serum sclerostin is

.. math::

    \mathrm{Scl} = \mathrm{Scl}_{ref}\, (1 + \lambda_{Scl,E}\, d_{Scl})\,
        \left\langle \frac{1 + \kappa_{disuse} r^-}{1 + \kappa_{load} r^+} \right\rangle_{sites},
    \qquad d_{Scl} = \frac{K_{Scl,E2}}{K_{Scl,E2} + E_2},

with the serum estradiol :math:`E_2` (pg/mL) and the mechanostat responses :math:`r^\pm` of
:mod:`remodel.model.physiology.mechanics`, averaged over the skeletal sites.

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

The mechanical factor is the one by which loading acts on RANKL in
:mod:`remodel.model.physiology.site`: sclerostin is the osteocytes' path from strain to RANKL
(Wijenayaka2011), so it takes no parameter of its own. Sclerostin is reported, not fed back: the
drivers already act on the cells through their own terms, which this output summarises; the
anti-sclerostin antibody acts through :mod:`remodel.model.agents.romosozumab`.
"""

from __future__ import annotations

from ..declare import Output

CITATIONS = ("Wijenayaka2011", "Robling2008", "Spatz2012", "Modder2011", "Kim2015", "Geisler2002", "Ettinger2004",
             "Mirza2010")

#: Outputs (computed by :mod:`remodel.model.observables`).
OUTPUTS = (Output("serum_sclerostin", "pmol/L", "serum sclerostin",
                  "serum sclerostin from serum estradiol and mechanical loading (Kim2015, Modder2011, Robling2008)"),)


def estrogen_deficiency(e2, p):
    """The sclerostin response's estrogen deficiency :math:`d_{Scl}` (0 to 1) at serum estradiol ``e2`` (pg/mL)."""
    return p["K_Scl_E2"] / (p["K_Scl_E2"] + e2)


def serum_sclerostin(e2, r_plus, r_minus, p):
    """Serum sclerostin (pmol/L) at serum estradiol ``e2`` (pg/mL) and the mechanostat responses
    ``r_plus``, ``r_minus`` of each site (site first: averaged over it)."""
    mechanical = (1.0 + p["kappa_disuse"] * r_minus) / (1.0 + p["kappa_load"] * r_plus)
    return p["Scl_ref"] * (1.0 + p["lambda_Scl_E"] * estrogen_deficiency(e2, p)) * mechanical.mean(axis=0)
