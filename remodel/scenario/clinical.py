"""Scenario tables of the clinical pathway: DXA monitoring, treatment rules and fracture risk
(:mod:`remodel.clinical`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..clinical.dxa import Monitoring
from ..clinical.fracture import FractureInputs
from ..clinical.pathway import TreatmentRule
from ..populations import SITES
from .errors import rule
from .interventions import TherapyTable
from .population import MAX_YEARS
from .tables import DomainTable, bounded_fields, bounded_number, number

__all__ = ["FractureRiskTable", "MonitoringTable", "RuleTable"]


class MonitoringTable(bounded_fields(Monitoring, DomainTable)):
    """``[...monitoring]``: DXA scans at ``start_year`` and every ``interval_months`` to the horizon
    (fields of :class:`remodel.clinical.dxa.Monitoring`)."""

    interval_months: float = bounded_number(Monitoring, "interval_months", "months between DXA scans", 24.0)
    start_year: float = bounded_number(Monitoring, "start_year", "year of the first (baseline) scan", 0.0)

    def build(self) -> Monitoring:
        return Monitoring(**self.given())


#: Lowest T-score threshold of a rule: the Population's baseline T-scores go down to -6, so a
#: threshold at or below -5 would practically never fire.
_RULE_T_SCORE = (-5.0, 4.0)


class RuleTable(DomainTable):
    """``[...rule]``: start ``[...rule.therapy]`` at the first scan whose measurement meets the rule
    (:class:`remodel.clinical.pathway.TreatmentRule`)."""

    site: Literal[("any", *SITES)] = Field("any", description="any (any site) or one of " + ", ".join(SITES))
    t_score_below: float | None = number("start when the measured T-score is below this", None,
                                         gt=_RULE_T_SCORE[0], le=_RULE_T_SCORE[1])
    significant_loss: bool = Field(False, description="start when the measured BMD has fallen from the baseline "
                                                      "scan by at least the least significant change (true/false)")
    duration_years: float | None = number("how long the therapy is taken (omit: to the horizon)", None, gt=0,
                                          le=MAX_YEARS, units="years")
    therapy: TherapyTable = Field(description="the therapy started: keys of [[...therapies]] without "
                                              "start_year and stop_year")

    def check(self) -> None:
        if self.t_score_below is None and not self.significant_loss:
            raise rule("the rule has no condition and can never fire",
                       "t_score_below = <T-score> and/or significant_loss = true", "t_score_below")
        timed = sorted({"start_year", "stop_year"} & self.therapy.model_fields_set)
        if timed:
            raise rule(f"{timed[0]} given for the therapy of a rule", "no start_year or stop_year: the therapy "
                       "starts at the scan where the rule fires (duration_years sets how long)", "therapy", timed[0])

    def build(self) -> TreatmentRule:
        return TreatmentRule(self.therapy.value, t_score_below=self.t_score_below,
                             significant_loss=self.significant_loss, site=self.site,
                             duration_years=self.duration_years)


class FractureRiskTable(bounded_fields(FractureInputs, DomainTable)):
    """``[fracture_risk]``: report fracture probabilities (:mod:`remodel.clinical.fracture`) with
    these risk factors (fields of :class:`remodel.clinical.fracture.FractureInputs`)."""

    prior_fracture: bool = Field(False, description="a fragility fracture after the age of 50 (true/false)")
    fall_rate_ratio: float = bounded_number(FractureInputs, "fall_rate_ratio", "rate of falls relative to the "
                                            "reference population (1: usual), before balance training", 1.0)

    def build(self) -> FractureInputs:
        return FractureInputs(**self.given())

