r"""The blocks joined at one skeletal site: cells, signalling, drivers, mechanics and bone.

Driver multipliers of the cell model, with estrogen deficiency :math:`d = 1 - a_E` and, at the
osteoblast's survival, :math:`d_{OB} = 1 - a_{E,OB}` (the same without tamoxifen, whose efficacy
differs there: :mod:`remodel.model.physiology.estradiol`):

.. math::

    m_{RANKL} &= (1 + \lambda_{RANKL,E}\, d)\, s\, f_{free}^{\nu}\, m_{infl}, \qquad
    m_{OPG} = \frac{e_{OPG}}{1 + \lambda_{OPG,E}\, d}, \qquad
    m_{A,OCa} = \frac{m_{BP}}{1 + \lambda_{OCa,E}\, d},

    m_{A,OBa} &= \frac{e_{A,OBa}}{1 + f_{open}\, \sigma_{OB}}\, \frac{1 + \lambda_{OBa,E}\, d_{OB}}{1 + \lambda_A a_A}, \qquad
    m_{OBu} = g\, m_{supply}\, \Omega\left[\kappa_{form} (1 - \lambda_{mech,E}\, d)\, w\right], \qquad
    r^+ = m_{ost}\, r^+_{mech}, \qquad
    g = \exp\left[-\gamma_{age} \ln\left(1 + e^{a - a_{inv}}\right)\right],

with :math:`m_{infl}`, :math:`m_{supply}` (protein), the PTH and mineralisation multipliers and
:math:`m_{ost}` (smoking, heavy drinking, inflammation) from :mod:`remodel.model.physiology.nutrition`,
:math:`m_{BP}`, the RANKL sink :math:`S_{den}`, the anabolic drugs' :math:`e` (1 without them), their
osteoblast survival signal :math:`\sigma_{OB}` (0 without them) and the PTH they add to the
signalling block from the drugs taken (:data:`EFFECTS`), and
:math:`r^+_{mech}, r^-` from :mod:`remodel.model.physiology.mechanics`. The osteocytes' sclerostin
expression :math:`s` and the Wnt drive :math:`w` are those of :mod:`remodel.model.physiology.osteocytes`:
:math:`s = (1 + \kappa_{disuse} r^-)/(1 + \kappa_{load} r^+)` and :math:`w = 1/(s f_{free}) - 1`,
with the fraction :math:`f_{free}` of sclerostin left free by the drugs (:data:`EFFECTS`; 1 without), and
:math:`\Omega(u) = 1 + u` for :math:`u \ge 0`, :math:`1/(1 - u)` below.

**Where the anabolic drugs build bone.** A longer osteoblast working life (the survival signal of
PTH pulses and of freed Wnt signalling) adds bone where a remodelling site can overfill: on the
open surfaces of cancellous bone and of the endocortical and periosteal envelopes (on teriparatide
cancellous bone volume and wall thickness rise, Dempster2001, Arlot2005). An intracortical osteon
refills its cavity only up to its central canal however long its osteoblasts live, and the
intracortical remodelling that PTH raises leaves porosity before it leaves bone (Burr2001;
Hansen2013: cortical porosity up on PTH(1-34) at the radius and tibia while trabecular bone improves;
Genant2017: at the hip cortical bone gained on romosozumab, not on teriparatide). With a fraction
:math:`f_{open}` of a site's osteoblasts on open surfaces and the rest in closing osteons, both
receiving the same new osteoblasts, the site's active osteoblasts at steady state are those of one
pool whose apoptosis is divided by :math:`1 + f_{open}\sigma_{OB}`; :math:`f_{open}` is a property of
the site (:mod:`remodel.model.sites`): 1 at the lumbar spine, lower at the mostly cortical hip. It
is why the spine gains 2.5-3.5 times the hip on the PTH analogues (Neer2001, Miller2016), about
twice on romosozumab (Cosman2016), whose anti-resorptive part (OPG) acts on every site alike, and
only 1.1-1.6 times on the anti-resorptives, which act on no osteoblast.
Overload raises the commitment of mesenchymal progenitors to the osteoblast lineage by a factor
:math:`1 + \kappa_{form} \ldots w`: osteocytes under strain release the Wnt pathway from sclerostin
(Robling2008), and Wnt signalling drives osteoblastogenesis (Baron2013); an antibody that binds
sclerostin acts through the same term. It multiplies the
progenitor supply, not the precursors present (their proliferation, :math:`P_{mech} \mathrm{OB_p}`
in Scheiner2013): proliferation multiplies whatever else raises the precursors, so every rise of
turnover (menopause, a poor diet's secondary hyperparathyroidism) would lift formation above
resorption for months, and a harm would briefly help.
Harms that impair osteoblast precursors blunt the osteogenic and anti-catabolic response to overload
(:math:`m_{ost} < 1`): they do little while bone is in balance, as before menopause, and let bone go
faster wherever the mechanostat is what holds it, after menopause and in old age (LawHackshaw1997:
the smokers' deficit appears after menopause and widens by about 2 % a decade). Ageing
:math:`g` (involutional, estrogen-independent loss from about :math:`a_{inv}` = 50 years,
RiggsMelton1986) lowers both the supply of osteoblast progenitors and the osteogenic response to
overload (Rubin1992), so that the mechanostat no longer arrests the loss of old age; at the hip the
fall of habitual loading with physical activity after about 70 (:mod:`remodel.model.physiology.exercise`)
makes that loss quicken (Ensrud1995).
Estrogen deficiency blunts the osteogenic response to overload too (Lee2003: the adaptive response
to loading needs estrogen receptor alpha).
Loading is anti-catabolic as well: overload lowers RANKL expression (Rubin2000), as underload raises it.

References: Pivonka2008 (cells), PetersonRiggs2010 and MartinezReina2019 (estrogen acting on
RANKL/OPG), Hughes1996 and Kousteni2001 (apoptosis), Scheiner2013 (mechanics).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import bone, cells, mechanics, osteocytes, signalling

CITATIONS = ("Pivonka2008", "PetersonRiggs2010", "MartinezReina2019", "Hughes1996", "Kousteni2001", "Hofbauer1999",
             "Rubin1992", "RiggsMelton1986", "Lee2003", "Rubin2000", "Robling2008", "Baron2013", "Dempster2001",
             "Arlot2005", "Burr2001", "Hansen2013", "Genant2017", "Neer2001", "Miller2016", "Cosman2016", "Wijenayaka2011",
             "Ensrud1995")

#: The states of a site, in the order of :func:`site_rates`.
STATES = cells.STATES + bone.STATES + mechanics.STATES
SYMBOLS = tuple(s.symbol for s in STATES)

#: Effects of the drugs' states on the site (:attr:`remodel.model.declare.Agent.effects`):
#: ``{name: (how the drugs combine, value without drug)}``, in the order of :class:`DrugEffects`:
#: multipliers of osteoclast apoptosis and osteoblast apoptosis, the osteoblast survival signal
#: :math:`\sigma_{OB}` (acting on a site's open surfaces only, see module docstring), the multiplier of
#: OPG production, the RANKL sequestration term, exogenous PTH (pM) added to the PTH of the
#: signalling block and the fraction of the osteocytes' sclerostin left free (by an antibody). Without drug each is its identity, and the model is the model without the effect.
EFFECTS = {"osteoclast_apoptosis": ("product", 1.0), "osteoblast_apoptosis": ("product", 1.0),
           "osteoblast_survival": ("sum", 0.0), "opg_production": ("product", 1.0), "rankl_sink": ("sum", 0.0),
           "pth_exposure": ("sum", 0.0), "free_sclerostin": ("product", 1.0)}


class DrugEffects(NamedTuple):
    """The value of each of :data:`EFFECTS` (same order) for the drugs in the body."""

    osteoclast_apoptosis: np.ndarray
    osteoblast_apoptosis: np.ndarray
    osteoblast_survival: np.ndarray
    opg_production: np.ndarray
    rankl_sink: np.ndarray
    pth_exposure: np.ndarray
    free_sclerostin: np.ndarray


#: The drug effects without drug.
NO_DRUG = DrugEffects(*(identity for _, identity in EFFECTS.values()))


def ageing(age, p):
    """The ageing factor :math:`g` of the module docstring."""
    return np.exp(-p["gamma_age"] * mechanics.softplus(age - p["age_involution"]))


class Multipliers(NamedTuple):
    m_rankl: np.ndarray
    m_opg: np.ndarray
    m_AOCa: np.ndarray
    m_AOBa: np.ndarray
    m_OBu: np.ndarray


def multipliers(g, a_E, a_E_OB, a_A, m_inflammation, m_supply, r_plus, r_minus, effects, f_open, p):
    """Driver multipliers of the cell and signalling equations (see module docstring), given the
    ageing factor ``g``, the estrogen receptor activities ``a_E`` and ``a_E_OB`` (at the osteoblast's
    survival), the drugs' :class:`DrugEffects` and the site's open-surface fraction ``f_open``."""
    d = 1.0 - a_E
    return Multipliers(
        (1.0 + p["lambda_RANKL_E"] * d) * osteocytes.osteocytic_rankl(r_plus, r_minus, effects.free_sclerostin, p)
        * m_inflammation,
        effects.opg_production / (1.0 + p["lambda_OPG_E"] * d),
        effects.osteoclast_apoptosis / (1.0 + p["lambda_OCa_E"] * d),
        effects.osteoblast_apoptosis / (1.0 + f_open * effects.osteoblast_survival)
        * (1.0 + p["lambda_OBa_E"] * (1.0 - a_E_OB)) / (1.0 + p["lambda_A"] * a_A),
        g * m_supply * osteocytes.osteoblastogenesis(p["kappa_form"] * (1.0 - p["lambda_mech_E"] * d)
                                                     * osteocytes.wnt_drive(r_plus, r_minus, effects.free_sclerostin, p)),
    )


def site_rates(OBp, OBa, phi, OCa, OM, V, O, M, S, effects, g, a_E, a_E_OB, a_A, loading, m_pth, m_supply, m_osteogenic, m_k2,
               m_inflammation, rho, f_open, p, OBa_ref, OCa_ref, pi_ref):
    """Rates ``(dOBp, dOBa, dphi, dOCa, dOM, dV, dO, dM, dS)`` of the states of one site, and the signals,
    formation and resorption there: the blocks joined by the driver multipliers (``g`` from
    :func:`ageing`) and the drugs' :data:`EFFECTS`. Numbers or arrays that broadcast;
    :mod:`remodel.model.assembly` compiles this function as it is."""
    x = mechanics.tissue_stimulus(loading, V, p)
    r_plus, r_minus = mechanics.mechanostat(x, S, p)
    m = multipliers(g, a_E, a_E_OB, a_A, m_inflammation, m_supply, m_osteogenic * r_plus, r_minus, effects, f_open, p)
    sig = signalling.signals(OBp, OBa, OCa, p, m_pth=m_pth, m_opg=m.m_opg, m_rankl=m.m_rankl,
                             rankl_sink=effects.rankl_sink, pth_exposure=effects.pth_exposure)
    resorbing = cells.resorbing_fraction(sig.rankl_occupancy / pi_ref, p)
    dOBp, dOBa, dphi, dOCa, dOM = cells.cell_rates(OBp, OBa, phi, OCa, OM, sig, p, pi_ref, m_OBu=m.m_OBu,
                                                   m_AOBa=m.m_AOBa, m_AOCa=m.m_AOCa, resorbing=resorbing)
    formation = bone.formation_rate(OBa / OBa_ref, rho, p)
    resorption = rho * OCa / OCa_ref * resorbing
    dV, dO, dM = bone.bone_rates(V, O, M, formation, resorption, p, p["k_sec"] * m_k2)
    return (dOBp, dOBa, dphi, dOCa, dOM, dV, dO, dM, mechanics.setpoint_rate(x, S, p)), sig, formation, resorption


