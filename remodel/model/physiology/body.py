r"""Body weight: how heavy a person is, and what her weight does to her skeleton.

Weight :math:`W(t)` is the population's weight :math:`W_0` at the simulation start (held over the
whole life history without a change), changed by :math:`\Delta W` at a constant rate over a
regimen's weight-change window :math:`[t_a, t_b)` and kept after it; a window before the start (a
weight history: :math:`t_a < 0`) moves the earlier weights, so that :math:`W(0) = W_0` always:

.. math::

    W(t) = W_0 + \Delta W \left[f(t) - f(0)\right], \qquad
    f(t) = \min\!\left(\max\!\left(\frac{t - t_a}{t_b - t_a}, 0\right), 1\right).

It acts in two ways, each exactly neutral at the reference body (:data:`remodel.populations.REFERENCE_WEIGHT_KG`,
:data:`remodel.populations.REFERENCE_HEIGHT_M`):

Loading. Ground reaction forces of weight-bearing activity are multiples of body weight (walking
about 1.2, running 2-3 times), so the habitual stress stimulus of :mod:`remodel.model.physiology.exercise`
scales as :math:`\ell \to \ell\,(W/W_{ref})^{k_W}`, with :math:`k_W = 1` (stress proportional to
load). That weight acts through load on weight-bearing bones is the reading of Felson1993 (weight
explains 9-20 % of BMD variance at every site in women, and in men only at the weight-bearing hip
and spine). The exponent is this mechanical argument, not a fitted value.

Aromatization. Adipose tissue aromatizes adrenal androgens, so postmenopausal estradiol rises with
body mass index :math:`B = W/h^2`: log estradiol rises by :math:`\beta_B` per kg/m2
(McTiernan2006: 0.048 in 267 postmenopausal women of the Women's Health Initiative, about 27 % per
5 kg/m2; the abstract says "log-transformed", read here as the natural log, the only reading that
agrees with the obese vs normal-weight ratios below). The peripheral (aromatized) term of :mod:`remodel.model.physiology.estradiol` is
multiplied by

.. math::

    m_{adipose} = e^{\beta_B (B - B_{ref})}.

Obese vs normal-weight women, for comparison: 74 vs 46 pmol/L (x 1.6, BMI >= 30 vs < 25, Oh2017)
and 20.6 vs 12.2 pg/mL (x 1.7, Freeman2010).

In men the same multiplier, with its own :math:`\beta_{B,m}`, scales the aromatized part of
estradiol per unit testosterone (:mod:`remodel.model.physiology.estradiol`); testosterone itself is
the population's (obese men have less, which the user states). Obese men aromatize more of their
testosterone: estradiol 25.4 vs 44.7 pg/mL with testosterone 6.2 vs 2.5 ng/mL in massively obese
men (Kley1980: x 4.4 in estradiol per testosterone; no change below about 160 % of ideal weight),
twice the estrogens with testosterone 348 vs 519 ng/dL in morbidly obese men (Schneider1979: x 3.0
per testosterone). Read as a BMI about 20 kg/m2 above the lean controls (the abstracts give
percent of ideal weight and "morbidly obese", not BMI: an assumption), both give
:math:`\beta_{B,m} \approx \ln 3\text{-}4.4 / 20 \approx 0.06` per kg/m2, set to 0.06. Cohorts
of non-obese men find total estradiol nearly flat with BMI (Starka2020), as the fall of testosterone
offsets the rise of aromatization (Wu2018: estradiol follows testosterone; the testosterone to
estradiol ratio falls with fat mass).

A weight loss acts through both. Against diet trials (Zibellini2015: total hip -0.010 to -0.015
g/cm2 at 6-24 months, lumbar spine not significantly changed; Soltani2016: hip -0.008, spine -0.018
g/cm2), a 10 % loss over 6 months costs the hip 0.007, 0.019 and 0.030 g/cm2 at 0.5, 1 and 2 years
and the spine 0.020, 0.041 and 0.046: about the trials' size at the hip in the first year, too much
later and at the spine (tests/validation/test_body_weight.py). Almost all of it is the loading path, and
the bone a lighter woman has at the simulation start is what her lower loading took from the
young-adult reference over the life history, which starts at the reference body's bone.
"""

from __future__ import annotations

import numpy as np

from ...bounds import field_range
from ...populations import REFERENCE_BMI, REFERENCE_WEIGHT_KG, Population
from ..timing import DAYS_PER_YEAR

CITATIONS = ("Felson1993", "McTiernan2006", "Oh2017", "Freeman2010", "Zibellini2015", "Soltani2016", "Kley1980",
             "Schneider1979", "Starka2020", "Wu2018")

#: The weight-change schedule of a regimen without a weight change (no change, over any window).
NO_CHANGE = (0.0, 0.0, 1.0)


def weight_range(weight_kg, weight_change) -> tuple[float, float]:
    """Weights (kg) before and after ``weight_change`` (or None) of a person weighing ``weight_kg`` at
    the simulation start."""
    if weight_change is None:
        return weight_kg, weight_kg
    before = weight_kg - weight_change.change_kg * _done(0.0, weight_change.start_year, weight_change.stop_year)
    return before, before + weight_change.change_kg


def check_weight_change(population, weight_change):
    """Raise ValueError if ``weight_change`` (or None) takes ``population`` out of the weights it may have."""
    low, high, _ = field_range(Population, "weight_kg")
    before, after = weight_range(population.weight_kg, weight_change)
    if not (low <= before <= high and low <= after <= high):
        raise ValueError(f"weight change of {weight_change.change_kg:+g} kg of a person of {population.weight_kg:g} kg at "
                         f"the start goes from {before:g} to {after:g} kg; the weight must stay between {low:g} and "
                         f"{high:g} kg")


def weight_schedule(weight_change):
    """``(change in kg, start, end in days)`` of a regimen's weight change (``None``: no change)."""
    if weight_change is None:
        return NO_CHANGE
    return (weight_change.change_kg, weight_change.start_year * DAYS_PER_YEAR,
            weight_change.stop_year * DAYS_PER_YEAR)


def _done(t, start, end):
    """Fraction of a weight change done at ``t`` (:math:`f(t)`)."""
    return np.minimum(np.maximum((t - start) / (end - start), 0.0), 1.0)


def body_weight(weight_kg, change_kg, start_days, end_days, t_days):
    """Body weight (kg) at ``t_days`` (:math:`W(t)`; numbers or arrays) of a person weighing
    ``weight_kg`` at the simulation start."""
    return weight_kg + change_kg * (_done(t_days, start_days, end_days) - _done(0.0, start_days, end_days))


def loading_factor(weight_kg, p):
    """Multiplier of the loading stimulus at body weight ``weight_kg`` (1 at the reference weight)."""
    return (weight_kg / REFERENCE_WEIGHT_KG) ** p["k_W_load"]


def adipose_aromatization(weight_kg, height_m, p, female=True):
    """Multiplier of aromatized estradiol at ``weight_kg`` and ``height_m`` (1 at the reference BMI),
    women's (peripheral estradiol) or men's (estradiol per unit testosterone)."""
    beta = p["beta_E2_BMI"] if female else p["beta_E2_BMI_male"]
    return np.exp(beta * (weight_kg / (height_m * height_m) - REFERENCE_BMI))
