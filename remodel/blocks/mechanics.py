r"""Mechanostat: the local mechanical stimulus relative to its set-point, with a lazy zone.

The daily stimulus :math:`\ell` (1 = habitual loading, from :mod:`remodel.blocks.exercise`) is
carried by the bone present; tissue strain rises as matrix volume falls, since apparent stiffness
grows with the square of density (CarterHayes1977):

.. math::

    \Psi = \ell\, V^{-n_V} - 1, \qquad
    r^{+} = \delta \ln\!\left(1 + e^{(\Psi - w)/\delta}\right), \qquad
    r^{-} = \delta \ln\!\left(1 + e^{(-\Psi - w)/\delta}\right).

:math:`w` is the half-width of Frost's lazy zone (Frost1987); :math:`\delta` smooths its edges.
Overload (:math:`r^+`) drives osteoblast precursor proliferation, underload (:math:`r^-`) RANKL
expression, as in Scheiner2013.
"""

from __future__ import annotations

import numpy as np

CITATIONS = ("Frost1987", "CarterHayes1977", "Scheiner2013")


def softplus(x):
    r""":math:`\ln(1 + e^x)`, as ``np.logaddexp(0, x)`` computes it but several times faster."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def mechanostat(loading, V, p):
    """Anabolic and catabolic mechanostat responses ``(r_plus, r_minus)`` (dimensionless)."""
    psi = loading * V ** (-p["n_V"]) - 1.0
    delta = p["delta_lazy"]
    r_plus = delta * softplus((psi - p["w_lazy"]) / delta)
    r_minus = delta * softplus((-psi - p["w_lazy"]) / delta)
    return r_plus, r_minus
