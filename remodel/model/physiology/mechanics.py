r"""Mechanostat: the local mechanical stimulus relative to an accommodating set-point, with a lazy zone.

The daily stimulus :math:`\ell` (1 = habitual loading, from :mod:`remodel.model.physiology.exercise`) is
carried by the bone present; tissue strain rises as matrix volume falls, since apparent stiffness
grows with the square of density (CarterHayes1977). The tissue stimulus :math:`x` is compared with
a set-point :math:`S` that accommodates, on its own time scale, to a fraction :math:`\alpha_S` of a
sustained change of the stimulus (cellular accommodation, Turner1998 rule 3, Schriefer2005):

.. math::

    x = \ell\, V^{-n_V}, \qquad \Psi = \frac{x}{S} - 1, \qquad
    \dot S = k_S\left(\alpha_S\, x + 1 - \alpha_S - S\right),

    r^{+} = \delta \ln\!\left(1 + e^{(\Psi - w)/\delta}\right), \qquad
    r^{-} = \delta \ln\!\left(1 + e^{(-\Psi - w)/\delta}\right).

:math:`w` is the half-width of Frost's lazy zone (Frost1987); :math:`\delta` smooths its edges.
Overload (:math:`r^+`) drives osteoblastogenesis (:mod:`remodel.model.physiology.site`), underload
(:math:`r^-`) RANKL expression, after Scheiner2013. A sudden change of the stimulus is opposed fully, a sustained one
by a fraction :math:`1 - \alpha_S` once the set-point has accommodated (within about
:math:`1/k_S`): the anabolic drive of a new exercise programme fades, and the bone lost to a
chronic harm raises the drive that opposes further loss by less than a fixed mechanostat would.
With :math:`\alpha_S = 0` the set-point stays at 1: the fixed mechanostat of Scheiner2013; with
:math:`\alpha_S = 1` bone mass has no set-point at all. Harms that impair osteoblast precursors
blunt the anabolic response itself (:mod:`remodel.model.physiology.site`), so the mechanostat does
not win back what they take.
"""

from __future__ import annotations

import numpy as np

from ..declare import Output, State

CITATIONS = ("Frost1987", "CarterHayes1977", "Scheiner2013", "Turner1998", "Schriefer2005")

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
    """Time derivative of the set-point ``S`` (per day) at the tissue stimulus ``x``."""
    return p["k_S"] * (steady_setpoint(x, p) - S)


def steady_setpoint(x, p):
    """The set-point accommodated to a tissue stimulus ``x`` held constant."""
    return p["alpha_S"] * x + 1.0 - p["alpha_S"]
