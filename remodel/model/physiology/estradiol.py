r"""Sex steroids: estradiol and testosterone over time, and their receptor activities.

Women. Ovarian estradiol falls across the final menstrual period (FMP) along a logistic curve;
peripheral aromatization of adrenal androgens supplies the postmenopausal level:

.. math::

    E_2 = (E_{pre} - E_{post})\, \frac{1 - s_{GnRH}}{1 + e^{(a - a_{FMP})/\tau_{FMP}}}
          + E_{post}\, m_{adipose}\, e^{-\gamma_{DHEA}(a - a_{FMP})} (1 - I_{AI}),

with :math:`s_{GnRH}` the ovarian suppression of goserelin, :math:`m_{adipose}` the adipose
aromatization of body mass index (:mod:`remodel.model.physiology.body`, 1 at the reference body) and
:math:`I_{AI}` the whole-body aromatization inhibition of the aromatase inhibitor taken (Randolph2011, Geisler2002, Geisler1998).
Inhibition rises with the dose (:math:`I_{AI} = D/(D + D_{50})`, Geisler1996, Geisler2002;
:mod:`remodel.model.agents.aromatase_inhibitors`).
Before menopause tamoxifen raises ovarian estradiol (the pituitary answers the receptor blockade):
the ovarian term is multiplied by :math:`1 + r_{tam}\,\theta/(1 + \theta)` (Cohen1999).
Peripheral estradiol follows its adrenal precursors, which fall by about 2% a year with age
(Orentreich1984), so estradiol keeps falling in late postmenopause (median 4.8 pg/mL at 60-80 y,
Ettinger2004).
Aromatase inhibitors are applied to peripheral aromatization only: in premenopausal ovaries the
reflex rise of gonadotropins overcomes them.

Men. A fraction :math:`f_t` of a man's serum estradiol is secreted by the testes; the rest is
aromatized from serum testosterone in peripheral (mostly adipose) tissue:

.. math::

    E_2 = \frac{E_{ref,m}}{T_{ref}}\left[f_t\, T_{gon} + (1 - f_t)\, T\, m_{adipose} (1 - I_{AI})\right],
    \qquad T_{gon} = T_{endo}(a)\,(1 + g_{fb} I_{AI}\, u)(1 - s_{GnRH}),

with :math:`T = T_{gon}` untreated (:math:`u = 1`) or the therapy level on testosterone therapy
(:math:`u = 0`), and
:math:`m_{adipose}` the men's adipose aromatization of body mass index
(:mod:`remodel.model.physiology.body`, 1 at the reference body). :math:`T_{gon}` is the
testicular secretion, which follows the gonadotropin drive: blocking aromatase lowers the estrogen
feedback on LH, so the testes secrete more of both steroids (gain :math:`g_{fb}`, Leder2004:
testosterone 343 to 572 ng/dL); the aromatase inhibitor does not reach testicular estradiol, as in
premenopausal ovaries the reflex rise of gonadotropins overcomes it; a GnRH agonist removes it
(androgen deprivation); testosterone therapy replaces serum testosterone (its level held, no
feedback rise) and leaves testicular estradiol at its untreated rate (a simplification: replacement
doses suppress LH partly). Untreated, estradiol is proportional to testosterone (Wu2018: estradiol
follows testosterone). On an aromatase inhibitor the estradiol ratio is
:math:`(1 + g_{fb} I)(f_t + (1 - f_t)(1 - I))`, whatever the man's testosterone; it gives
:math:`f_t \approx 0.2` against letrozole in men (TSjoen2005: estradiol -46 and -62 %, testosterone
+146 and +99 % in young and older men), the 15 % of Longcope1969, but 0.37-0.47 against anastrozole
1 mg (Leder2004: -35 % with testosterone +67 %; BurnettBowie2009: 15 to 12 pg/mL, -20 %, with
+64 %), perhaps because immunoassays read a floor of estradiol in men: :math:`f_t` is fitted to the
anastrozole rows, which the bone rows in men come from. Endogenous testosterone declines
exponentially from :math:`T_{young}` at the reference age to the population's value at its current
age and continues at that rate.

Receptor activities. Estrogen receptor activity with tamoxifen as a competing partial agonist of
efficacy :math:`\varepsilon` and occupancy ratio :math:`\theta` (proportional to dose), and androgen
receptor activity:

.. math::

    a_E = \frac{x + \varepsilon\theta}{1 + x + \theta}, \quad x = (E_2/K_{E2})^{n_{E2}}, \qquad
    a_A = \frac{T}{T + K_T}.

The Hill exponent :math:`n_{E2}` makes bone respond steeply around :math:`K_{E2}`, as the
response of late postmenopausal women to a few pg/mL indicates (Ettinger2004). Men have their own
:math:`K_{E2,m}, n_{E2,m}` (men's estradiol is on the scale of the men's immunoassays above), and
a man's bone answers his bioavailable (not SHBG-bound) estradiol, a fraction of the total that falls
as SHBG rises with age (Feldman2002: SHBG +1.3 %/year; Khosla1998, Khosla2005: bioavailable estradiol
falls with age far more than total estradiol; Khosla2001: bioavailable, not total, estradiol
predicts older men's bone loss and resorption, with a threshold near 11 pg/mL):

.. math::

    x = \left(\frac{E_2\, e^{-\gamma_{SHBG}(a - 30)}}{K_{E2,m}}\right)^{n_{E2,m}},

so :math:`K_{E2,m}` is the total estradiol of a 30-year-old man at half-maximal activity, and an
older man needs more total estradiol for the same activity. This reconciles the young men of
Finkelstein2016 (20-50 y: estradiol above 10 pg/mL and testosterone above 200 ng/dL sufficed to hold
resorption) with the older men of BurnettBowie2009 (about 70 y: 15 to 12 pg/mL cost 2.5 points of
spine against placebo) and Finkelstein2020 (60-80 y: resorption rose at testosterone 300-499
ng/dL), which one threshold on total estradiol cannot. The men's bone estrogen deficiency is a
fraction :math:`\delta_m` of the women's at the same receptor occupancy,
:math:`a_E \to 1 - \delta_m (1 - a_E)`: a phenomenological scale, without which (:math:`\delta_m = 1`)
the women's cell responses make androgen deprivation cost an older man far more than the 3.3 % of
spine in 48 weeks of Smith2001. :math:`K_{E2,m}, n_{E2,m}, \delta_m, \gamma_{SHBG}` are fitted with
the androgen effect :math:`\lambda_A` and :math:`f_t` to the men's rows (anastrozole, Leder2004 and
BurnettBowie2009; testosterone therapy; MrOS; androgen deprivation, Smith2001) under the
Finkelstein2016 behaviours of the physiology contract; the fit centres a 30-year-old man's response
at 11 pg/mL, within the 10-15 pg/mL of Finkelstein2016. The threshold is not met all the way down to
10 pg/mL: with testosterone held at 400 ng/dL (13 pg/mL) a 35-year-old man's CTX still rises 23 % in
16 weeks (13.5 % at 450 ng/dL, 15 pg/mL); holding it below 13.5 % from 350 ng/dL (11.5 pg/mL) up takes
:math:`\gamma_{SHBG}` to its upper bound and the testosterone-therapy row (CAL24) just outside its tolerance.

Tamoxifen raises :math:`a_E` when estradiol is low (postmenopausal bone sparing) and lowers it
when estradiol is high (premenopausal bone loss, Powles1996).

A SERM's efficacy depends on the coactivators of the cell it acts in (ShangBrown2002), and
tamoxifen acts on resorption more as an estrogen than on the osteoblast: in women on it for years
resorption cavities were shallower and bone formation rate lower, with mineral apposition rate and
osteoid unchanged (Wright1994), and in older women formation markers fell within 10 weeks as far as
resorption markers (-17 to -36 % against -23 and -25 %, Kenny1995). So the osteoblast's survival
answers its own receptor activity :math:`a_{E,OB}`, the expression above with tamoxifen's efficacy
there, :math:`\varepsilon_{OB}`, in place of :math:`\varepsilon` (:math:`a_{E,OB} = a_E` without
tamoxifen); both are fitted, with the markers of Kenny1995. With one efficacy the estrogen's
survival signal held formation up while resorption fell (a 75-year-old woman's P1NP -7 % against
CTX -16 % at 9.5 weeks).
"""

from __future__ import annotations

import numpy as np

from ...populations import REFERENCE_AGE
from ..declare import Output
from . import body

CITATIONS = ("Randolph2011", "Orentreich1984", "Geisler1996", "Geisler2002", "Leder2004", "Longcope1969", "Powles1996",
             "Cohen1999", "Finkelstein2016", "Finkelstein2020", "TSjoen2005", "BurnettBowie2009", "Wu2018", "Ettinger2004",
             "Smith2001", "Feldman2002", "Khosla1998", "Khosla2001", "Khosla2005", "ShangBrown2002", "Wright1994",
             "Kenny1995")

#: Exposures a drug sets while it is taken (:attr:`remodel.model.declare.Agent.exposure`), the
#: arguments of :func:`steroid_levels` in this order: ``{name: (how the drugs taken together combine,
#: value without drug)}``. ``testosterone_therapy`` is the serum level maintained (NaN: none).
EXPOSURES = {
    "aromatase_inhibition": ("max", 0.0),
    "gonadal_suppression": ("max", 0.0),
    "estrogen_receptor_occupancy": ("sum", 0.0),
    "testosterone_therapy": ("replace", float("nan")),
}

#: Outputs (computed by :mod:`remodel.model.observables`).
OUTPUTS = (
    Output("estradiol", "pg/mL", "serum estradiol",
           "serum estradiol concentration"),
    Output("testosterone", "ng/dL", "serum testosterone",
           "serum total testosterone (not modelled in women: 0)"),
    Output("estrogen_receptor_activity", "1", "estrogen receptor activity in bone",
           "a_E, from 0 (none) to 1 (full)"),
)

def endogenous_testosterone(age, age_now, testosterone_now, p):
    """Endogenous serum testosterone (ng/dL) at ``age`` of a man aged ``age_now`` with
    ``testosterone_now``."""
    span = age_now - REFERENCE_AGE
    rate = np.log(testosterone_now / p["T_young"]) / span if span > 0 else 0.0
    return testosterone_now * np.exp(rate * (age - age_now))


def sex_steroids(population, t_years, p):
    """Estradiol (pg/mL), testosterone (ng/dL), estrogen receptor activities :math:`a_E` and
    :math:`a_{E,OB}` and androgen receptor activity without drugs or habits, at the population's weight; ``t_years`` is time since the simulation start
    (negative during the life history)."""
    age = population.age + np.asarray(t_years, dtype=float)
    no_drug = [value for _, value in EXPOSURES.values()]
    adipose = body.adipose_aromatization(population.weight_kg, population.height_m, p, population.sex == "female")
    return steroid_levels(population.sex == "female", age, *population_constants(population), adipose, *no_drug, p)


def population_constants(population):
    """Menopause age, age and testosterone of ``population`` as numbers (NaN where not applicable)."""
    nan = float("nan")
    return (nan if population.menopause_age is None else float(population.menopause_age), float(population.age),
            nan if population.testosterone_ng_per_dl is None else float(population.testosterone_ng_per_dl))


def steroid_levels(female, age, menopause_age, age_now, testosterone_now, adipose, inhibition, suppression, occupancy,
                   trt, p):
    """Estradiol (pg/mL), testosterone (ng/dL), the estrogen receptor activities :math:`a_E` and
    :math:`a_{E,OB}` (at the osteoblast's survival) and the androgen receptor activity given the
    adipose aromatization multiplier of the sex (:func:`remodel.model.physiology.body.adipose_aromatization`)
    and the drug exposures (:data:`EXPOSURES`); numbers or arrays, and compiled as is by
    :mod:`remodel.model.assembly`."""
    if female:
        ovarian = ((1.0 - suppression) * (1.0 + p["r_tamoxifen_E2"] * occupancy / (1.0 + occupancy))
                   / (1.0 + np.exp((age - menopause_age) / p["tau_FMP"])))
        peripheral = p["E2_post"] * adipose * np.exp(-p["gamma_DHEA"] * (age - menopause_age))
        e2 = (p["E2_pre"] - p["E2_post"]) * ovarian + peripheral * (1.0 - inhibition)
        testosterone = 0.0 * e2
        a_A = 0.0 * e2
        K_E2, n_E2 = p["K_E2"], p["n_E2"]
    else:
        # on testosterone therapy (trt not NaN; doses are positive) its serum level, else the testes'; np.where
        # written with ufuncs, so that it also compiles for numbers
        untreated = np.isnan(trt)
        # testicular secretion: the gonadotropin drive, raised by the feedback when aromatase is blocked (not
        # where therapy holds testosterone) and removed by a GnRH agonist
        testicular = (endogenous_testosterone(age, age_now, testosterone_now, p)
                      * (1.0 + p["g_fb"] * inhibition * untreated) * (1.0 - suppression))
        testosterone = np.fmax(trt, 0.0) + untreated * testicular
        f_t = p["f_E2_testis"]
        e2 = p["E2_ref_male"] / p["T_ref"] * (f_t * testicular + (1.0 - f_t) * testosterone * adipose * (1.0 - inhibition))
        a_A = testosterone / (testosterone + p["K_T"])
        K_E2, n_E2 = p["K_E2_male"], p["n_E2_male"]
    # the bone sees the bioavailable (not SHBG-bound) estradiol: in men a fraction falling with age (SHBG rises),
    # 1 at the reference age
    bioavailable = e2 if female else e2 * np.exp(-p["gamma_SHBG_male"] * (age - REFERENCE_AGE))
    x = (bioavailable / K_E2) ** n_E2
    a_E = (x + p["eps_tamoxifen"] * occupancy) / (1.0 + x + occupancy)
    a_E_OB = (x + p["eps_tamoxifen_OB"] * occupancy) / (1.0 + x + occupancy)
    if not female:
        a_E = 1.0 - p["delta_E_male"] * (1.0 - a_E)
        a_E_OB = 1.0 - p["delta_E_male"] * (1.0 - a_E_OB)
    return e2, testosterone, a_E, a_E_OB, a_A
