"""The fracture model against its published sources: the FRAX UK table it is built on (Kanis 2008,
table 3) is reproduced at every printed cell, and the gradient of risk per SD the table implies
agrees with the independent meta-analysis of Johnell 2005."""

import numpy as np
import pytest

from remodel.clinical import fracture
from remodel.clinical.fracture import FRAX_AGES, FRAX_T_SCORES, FRAX_UK_TEN_YEAR, ten_year_probability


@pytest.mark.parametrize("sex, kind", sorted(FRAX_UK_TEN_YEAR))
def test_every_printed_cell_of_the_frax_uk_table_is_reproduced(sex, kind):
    for age, row in zip(FRAX_AGES, FRAX_UK_TEN_YEAR[(sex, kind)]):
        for t, printed in zip(FRAX_T_SCORES, row):
            value = 100 * float(ten_year_probability(age, t, sex, kind))
            if printed is None:  # printed as "<0.1"
                assert value < 0.1
            else:
                assert value == pytest.approx(printed, rel=1e-12)


def test_published_examples_between_the_cells():
    """Kanis 2008 table 3 (b), women: 2.4 % at 70 years and T = -2, 4.4 % at 80 years and T = -2;
    halfway (75 years) the interpolation lies between them, and a T-score halfway between -2 and -3
    at 70 years lies between 2.4 % and 6.3 %, at their geometric mean (risk multiplicative per SD)."""
    mid_age = 100 * float(ten_year_probability(75, -2.0, "female", "hip"))
    assert 2.4 < mid_age < 4.4
    mid_t = 100 * float(ten_year_probability(70, -2.5, "female", "hip"))
    assert mid_t == pytest.approx(np.sqrt(2.4 * 6.3), rel=1e-9)


# Johnell 2005, abstract: per SD decrease of femoral-neck BMD at 65 years, hip fracture risk ratio
# 2.88 (95 % CI 2.31-3.59) in women, 2.94 (2.02-4.27) in men; osteoporotic fracture 1.38
# (1.28-1.48) in women, 1.41 (1.33-1.51) in men.
JOHNELL_AT_65 = {("female", "hip"): (2.31, 3.59), ("male", "hip"): (2.02, 4.27),
                 ("female", "major"): (1.28, 1.48), ("male", "major"): (1.33, 1.51)}


@pytest.mark.parametrize("sex, kind", [
    pytest.param(*key, marks=pytest.mark.xfail(strict=True, reason="measured: the table implies 1.52 per SD for "
                                               "major fractures in men at 65, just above Johnell's 1.33-1.51"))
    if key == ("male", "major") else key for key in sorted(JOHNELL_AT_65)])
def test_gradient_of_risk_at_65_is_within_johnell_2005(sex, kind):
    """The hazard ratio per SD between T = -1 and T = -2 at 65 years (the BMD range of most
    65-year-olds) lies within the 95 % confidence interval of the meta-analysis."""
    low, high = JOHNELL_AT_65[(sex, kind)]
    hazard = [-np.log1p(-ten_year_probability(65, t, sex, kind)) for t in (-1.0, -2.0)]
    assert low <= hazard[1] / hazard[0] <= high


def test_probabilities_rise_with_age_for_hip_and_fall_with_t_score():
    ages = np.linspace(50, 90, 41)
    scores = np.linspace(1, -4, 51)
    for sex in ("female", "male"):
        p = ten_year_probability(ages[:, None], scores[None, :], sex, "hip")
        assert np.all(np.diff(p, axis=1) > 0)  # lower T-score, higher risk
        assert np.all(np.diff(p[:, 3], axis=0) > 0)  # older, higher risk at T = 0.9


def test_prior_fracture_multiplies_the_hazard_by_kanis_2004():
    none = fracture.yearly_hazards(70, -2.0, "female", fracture.FractureInputs())
    prior = fracture.yearly_hazards(70, -2.0, "female", fracture.FractureInputs(prior_fracture=True))
    for kind in ("hip", "major"):
        assert prior[kind] / none[kind] == pytest.approx(1.86)


def test_fewer_falls_lower_hip_risk_by_the_fall_share():
    inputs = fracture.FractureInputs()
    usual = fracture.yearly_hazards(70, -2.0, "female", inputs)
    fewer = fracture.yearly_hazards(70, -2.0, "female", inputs, fall_rate_ratio=0.77)
    assert fewer["hip"] / usual["hip"] == pytest.approx(1 - 0.98 * 0.23)
    # major fractures lose exactly the hip fractures avoided (a lower bound, see the module)
    assert usual["major"] - fewer["major"] == pytest.approx(usual["hip"] - fewer["hip"])


def test_five_year_probability_from_the_ten_year_hazard():
    h = fracture.yearly_hazards(80, -3.0, "female", fracture.FractureInputs())["hip"]
    p10, p5 = fracture.probability(h, 10), fracture.probability(h, 5)
    assert float(p10) == pytest.approx(0.095)
    assert float(p5) == pytest.approx(1 - np.sqrt(1 - 0.095))
