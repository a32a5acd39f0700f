r"""Mechanostat: the local mechanical stimulus relative to an accommodating set-point, with a lazy zone.

The daily stimulus :math:`\ell` (1 = habitual loading, from :mod:`remodel.model.physiology.exercise`) is
carried by the bone present; tissue strain rises as matrix volume falls, since apparent stiffness
grows with the square of density (CarterHayes1977). The tissue stimulus :math:`x` is compared with
a set-point :math:`S` that accommodates, on its own time scale, to a fraction :math:`\alpha_S` of a
sustained rise of the stimulus above the young adult's habitual (cellular accommodation, Turner1998
rule 3, Schriefer2005), and returns to the habitual when the rise ends, but not below it: at the
rate :math:`k_S`, or at the faster rate :math:`k_R` of restoration (``k_S_restore``) once the stimulus
is below the habitual:

.. math::

    x = \ell\, V^{-n_V}, \qquad \Psi = \frac{x}{S} - 1, \qquad
    \dot S = \left(k_S + (k_R - k_S)\, h\right)\left(1 + \alpha_S \max(x - 1, 0) - S\right), \qquad
    h = u^2 (3 - 2u), \quad u = \min\!\left(\max\!\left(\frac{1 - x}{\delta}, 0\right), 1\right),

    r^{+} = \delta \ln\!\left(1 + e^{(\Psi - w)/\delta}\right), \qquad
    r^{-} = \delta \ln\!\left(1 + e^{(-\Psi - w)/\delta}\right).

:math:`w` is the half-width of Frost's lazy zone (Frost1987); :math:`\delta` smooths its edges.
Overload (:math:`r^+`) drives osteoblastogenesis (:mod:`remodel.model.physiology.site`), underload
(:math:`r^-`) RANKL expression, after Scheiner2013. A sudden rise of the stimulus is opposed fully, a sustained one
by a fraction :math:`1 - \alpha_S` once the set-point has accommodated (within about
:math:`1/k_S`): the anabolic drive of a new exercise programme fades, and the bone lost to a
chronic harm raises the drive that opposes further loss by less than a fixed mechanostat would.
With :math:`\alpha_S = 0` the set-point stays at 1: the fixed mechanostat of Scheiner2013; with
:math:`\alpha_S = 1` bone mass has no set-point above the habitual. Harms that impair osteoblast
precursors blunt the anabolic response itself (:mod:`remodel.model.physiology.site`), so the
mechanostat does not win back what they take.

**No accommodation to disuse.** Accommodation is a loss of mechanosensitivity under customary
loading, which time off restores (Robling2001: within hours between bouts; Saxon2005: rats loaded
for long lost responsiveness and regained it after time off); unloading does not make the cells
more sensitive than the habitually loaded young adult's, so a stimulus below the habitual leaves
the set-point at 1. A set-point that sank during disuse would read normal loading after it as overload
and rebuild bone past its old mass: a harm that helps. Men re-ambulated after 17 weeks of bed
rest had not regained spine or hip BMD 6 months later (LeBlanc1990); astronauts' BMD recovers
along an exponential towards its pre-flight value (Sibonga2007); repeated unloading in mice left
cortical and trabecular bone below the controls' (Gupta2012). Here reloading after disuse regains
the lost bone as the fixed mechanostat would, and the set-point the lost bone's strain raised
meanwhile holds it a little below the old mass until it returns. The steady state is the same
either way: at a constant stimulus the set-point settles where :math:`x = S = 1`.

**Time off restores mechanosensitivity.** Accommodation builds over months of customary loading
(:math:`k_S`), but the sensitivity it took returns when the loading stops, much faster than it was
lost: within about 8 hours between bouts (Robling2001), and after time off following months of
loading in rats (Saxon2005; Schriefer2005 models the recovery). A stimulus below the habitual is
such time off: when a programme stops, the bone it built carries the habitual load at less strain
than the young adult's. So the set-point moves at :math:`k_R \gg k_S` once the stimulus is a width
:math:`\delta` of the lazy zone's edges below the habitual (:math:`h = 1`), at :math:`k_S` at and
above the habitual (:math:`h = 0`), with a smooth step between them (the right-hand side and its
derivative stay continuous). Above the habitual the set-point moves at :math:`k_S` alone: while a
programme lasts (its gains still level off), and in anyone whose loss keeps the stimulus above the
habitual. Without restoration, the set-point a programme raised returned at :math:`k_S` when it
stopped (about 3 years), and held the bone below the untrained's for years after (0.03 points at the
hip 9 years after a year of jumping before menopause); detraining returns bone towards the
untrained level, not below it (Winters2000, Dalsky1988, Kontulainen2004, Nordstrom2005). Gating
restoration on the stimulus below the set-point instead would also restore it when an anabolic
drug's gain lowers the stimulus of an older woman's spine below the set-point her loss raised:
teriparatide's spine gain against placebo at 18 months would rise from 7.9 to 11.8 points
(Neer2001: 8.6 at 21 months), the spine gaining 4.7 times the femoral neck (2.5-3.5 measured).
"""

from __future__ import annotations

import numpy as np

from ..declare import Output, State

CITATIONS = ("Frost1987", "CarterHayes1977", "Scheiner2013", "Turner1998", "Schriefer2005", "Robling2001", "Saxon2005",
             "LeBlanc1990", "Sibonga2007", "Gupta2012", "Winters2000", "Dalsky1988", "Kontulainen2004", "Nordstrom2005", "Neer2001")

#: Per-site state: the set-point.
STATES = (State("S", "1", 1e-6, Output("mechanostat_setpoint", "1", "mechanostat set-point",
                                       "tissue stimulus to which the mechanostat has accommodated, relative to the young-adult habitual (S)")),)


def softplus(x):
    r""":math:`\ln(1 + e^x)`, as ``np.logaddexp(0, x)`` computes it but several times faster."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def tissue_stimulus(loading, V, p):
    """Tissue stimulus :math:`x = \\ell V^{-n_V}` (1 at habitual loading and reference volume)."""
    return loading * V ** (-p["n_V"])


def mechanostat(x, S, p):
    """Anabolic and catabolic mechanostat responses ``(r_plus, r_minus)`` (dimensionless) to the
    tissue stimulus ``x`` against the set-point ``S``."""
    psi = x / S - 1.0
    delta = p["delta_lazy"]
    r_plus = delta * softplus((psi - p["w_lazy"]) / delta)
    r_minus = delta * softplus((-psi - p["w_lazy"]) / delta)
    return r_plus, r_minus


def setpoint_rate(x, S, p):
    """Time derivative of the set-point ``S`` (per day) at the tissue stimulus ``x``: at ``k_S``, or
    at ``k_S_restore`` once the stimulus is below the habitual (module docstring)."""
    below = np.minimum(np.maximum((1.0 - x) / p["delta_lazy"], 0.0), 1.0)
    time_off = below * below * (3.0 - 2.0 * below)
    return (p["k_S"] + (p["k_S_restore"] - p["k_S"]) * time_off) * (steady_setpoint(x, p) - S)


def steady_setpoint(x, p):
    """The set-point accommodated to a tissue stimulus ``x`` held constant: a fraction ``alpha_S`` of
    its rise above the habitual 1, none of a fall below it (module docstring)."""
    return 1.0 + p["alpha_S"] * np.maximum(x - 1.0, 0.0)
