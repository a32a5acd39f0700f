r"""Signalling of the Pivonka 2008 model: PTH, TGF-beta and the RANKL-RANK-OPG equilibrium.

All species are in quasi-steady state with the cells (pM):

.. math::

    \mathrm{PTH} &= \beta_{PTH} m_{PTH} / D_{PTH} + P_{drug}, \qquad
    \mathrm{TGF\beta} = \alpha\, \mathrm{OC_a} / D_{TGF\beta},

    \mathrm{OPG} &= \frac{P_{OPG} \mathrm{OPG_{max}}}{P_{OPG} + D_{OPG} \mathrm{OPG_{max}}},
    \quad P_{OPG} = \beta_{OPG} m_{OPG}\, \mathrm{OB_a}\, \pi_{rep}^{PTH},

    \mathrm{RANKL} &= \frac{\mathrm{RANKL_{eff}}}{1 + K_{A1}\mathrm{OPG} + K_{A2}\mathrm{RANK} + S_{den}}
       \frac{\beta_{RANKL} m_{RANKL}}{\beta_{RANKL} + D_{RANKL}\mathrm{RANKL_{eff}}},
    \quad \mathrm{RANKL_{eff}} = R_{RANKL} (\mathrm{OB_p} + \mathrm{OB_p^{ocy}})\, \pi_{act}^{PTH},

    \pi_{act}^{RANKL} &= \frac{K_{A2}\mathrm{RANKL}\,\mathrm{RANK}}{K_{A2}\mathrm{RANKL}\,\mathrm{RANK} + K_{D8}}.

:math:`m_{PTH}, m_{OPG}, m_{RANKL}` are the driver multipliers (1 in the published model) and
:math:`S_{den}` the RANKL sequestration by denosumab and :math:`P_{drug}` the PTH given as a drug
(teriparatide; both 0 without drug). With the reference-code
:math:`\beta_{RANKL}` the RANKL production term is saturated in :math:`\mathrm{RANKL_{eff}}`, so
drivers act on the production numerator, as the RANKL production :math:`P_{RANKL}^{PMO}` of
postmenopausal osteoporosis does in MartinezReina2019: :math:`\beta_{RANKL} m_{RANKL} =
\beta_{RANKL} + P_{RANKL}^{d}`. Osteocytes express RANKL as well, in adult remodelling bone more than
the osteoblast lineage on its surface (Nakashima2011, Xiong2011): :math:`\mathrm{OB_p^{ocy}}` is
their share in osteoblast-precursor equivalents (pM). Without it RANKL follows the osteoblast
precursors, and so the resorption that recruits them: when a RANKL antibody stops resorption the
precursors, RANKL and RANK occupancy fall together and remodelling dies out for good (with
:math:`\mathrm{OB_p^{ocy}} = 0` it is Pivonka2008's RANKL). References:
Pivonka2008, BoneModels2024 (values), MartinezReina2019 (denosumab term).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..declare import Output

CITATIONS = ("Pivonka2008", "BoneModels2024", "MartinezReina2019", "Nakashima2011", "Xiong2011")

#: Outputs (computed by :mod:`remodel.model.observables`).
OUTPUTS = (
    Output("rankl_opg_ratio", "1", "RANKL/OPG ratio",
           "free RANKL over OPG concentration in the bone microenvironment"),
    Output("pth", "pM", "parathyroid hormone",
           "PTH concentration"),
)


def activator(x, k):
    r"""Hill activation :math:`x/(k+x)`."""
    return x / (k + x)


def repressor(x, k):
    r"""Hill repression :math:`k/(k+x)`."""
    return k / (k + x)


class Signals(NamedTuple):
    """Quasi-steady signalling concentrations (pM) and receptor occupancies (a named tuple, so
    that :mod:`remodel.model.assembly` can build it in compiled code)."""

    pth: np.ndarray
    tgfb: np.ndarray
    opg: np.ndarray
    rankl: np.ndarray
    rankl_occupancy: np.ndarray

    @property
    def rankl_opg_ratio(self):
        return self.rankl / self.opg


def signals(OBp, OBa, OCa, p, m_pth=1.0, m_opg=1.0, m_rankl=1.0, rankl_sink=0.0, pth_exposure=0.0) -> Signals:
    """Evaluate PTH, TGF-beta, OPG, RANKL and RANK occupancy for cell concentrations (pM);
    ``pth_exposure`` (pM) is PTH given as a drug, added to the endogenous."""
    pth = p["beta_PTH"] * m_pth / p["D_PTH"] + pth_exposure
    tgfb = p["alpha_TGFb"] * OCa / p["D_TGFb"]
    p_opg = p["beta_OPG"] * m_opg * OBa * repressor(pth, p["K_PTH_rep"])
    opg = p_opg * p["OPG_max"] / (p_opg + p["D_OPG"] * p["OPG_max"])
    rankl_eff = p["R_RANKL"] * (OBp + p["OBp_ocy"]) * activator(pth, p["K_PTH_act"])
    rankl = (
        rankl_eff
        / (1.0 + p["K_A1"] * opg + p["K_A2"] * p["RANK"] + rankl_sink)
        * p["beta_RANKL"] * m_rankl
        / (p["beta_RANKL"] + p["D_RANKL"] * rankl_eff)
    )
    bound = p["K_A2"] * rankl * p["RANK"]
    return Signals(pth, tgfb, opg, rankl, bound / (bound + p["K_D8"]))
