"""Scenario tables of the clinical pathway: DXA monitoring, treatment rules and fracture risk
(:mod:`remodel.clinical`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..clinical.dxa import Monitoring
from ..clinical.fracture import SHARED_FACTORS, FractureInputs
from ..clinical.pathway import StopRule, TreatmentRule
from ..populations import SITES
from ..therapies import DRUGS
from .errors import describe, rule
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


#: Keys of each action of a rule (besides ``action`` and ``site``).
_RULE_KEYS = {"start": ("t_score_below", "significant_loss", "after_fracture", "aibl_algorithm", "duration_years",
                        "repeat", "therapy"),
              "stop": ("drug", "t_score_above", "after_years")}
_CONDITIONS = {"start": ("t_score_below", "significant_loss", "after_fracture", "aibl_algorithm"),
               "stop": ("t_score_above", "after_years")}


class RuleTable(DomainTable):
    """``[...rule]`` or each of ``[[...rules]]``: start ``[...therapy]`` (``action = "start"``) or stop
    ``drug`` (``action = "stop"``) at the first visit that meets any of the rule's conditions
    (:class:`remodel.clinical.pathway.TreatmentRule`, :class:`remodel.clinical.pathway.StopRule`)."""

    action: Literal["start", "stop"] = Field("start", description="start (default) or stop")
    site: Literal[("any", *SITES)] = Field("any", description="any (the lowest measured T-score; a loss at any site) "
                                                              "or one of " + ", ".join(SITES))
    t_score_below: float | None = number("start when the measured T-score is below this", None,
                                         gt=_RULE_T_SCORE[0], le=_RULE_T_SCORE[1])
    significant_loss: bool = Field(False, description="start when the measured BMD has fallen from the baseline "
                                                      "scan by at least the least significant change (true/false)")
    after_fracture: bool = Field(False, description="start after a simulated fracture (true/false; needs a "
                                                    "[fracture_risk] table)")
    aibl_algorithm: bool = Field(False, description="start when the algorithm for aromatase-inhibitor bone loss calls "
                                                    "for therapy: T-score < -2.0 or two or more risk factors "
                                                    "(Hadji2017; true/false)")
    duration_years: float | None = number("how long the therapy is taken (omit: to the horizon)", None, gt=0,
                                          le=MAX_YEARS, units="years")
    repeat: bool = Field(False, description="start again at any later visit that meets the rule while no drug of the "
                                            "class is taken, as after a drug holiday (true/false; default: once)")
    therapy: TherapyTable | None = Field(None, description="the therapy started: keys of [[...therapies]] without "
                                                           "start_year and stop_year")
    drug: Literal[tuple(sorted(DRUGS))] | None = Field(None, description="the drug a stop rule stops, one of "
                                                                         + ", ".join(sorted(DRUGS)))
    t_score_above: float | None = number("stop when the measured T-score is above this", None,
                                         gt=_RULE_T_SCORE[0], le=_RULE_T_SCORE[1])
    after_years: float | None = number("stop when the drug has been taken so long (a drug holiday)", None, gt=0,
                                       le=MAX_YEARS, units="years")

    def check(self) -> None:
        other = "stop" if self.action == "start" else "start"
        wrong = [k for k in _RULE_KEYS[other] if k in self.model_fields_set]
        if wrong:
            raise rule(f"{wrong[0]} given for a {self.action} rule",
                       f"for action = \"{self.action}\": {', '.join(('site',) + _RULE_KEYS[self.action])}", wrong[0])
        conditions = _CONDITIONS[self.action]
        if not any(getattr(self, k) not in (None, False) for k in conditions):
            raise rule("the rule has no condition and can never fire",
                       " and/or ".join(f"{k} = <{'T-score' if 't_score' in k else 'years' if 'years' in k else 'true'}>"
                                       for k in conditions), conditions[0])
        if self.action == "stop":
            if self.drug is None:
                raise rule("missing required key", "drug: the drug the rule stops", "drug")
            return
        if self.therapy is None:
            raise rule("missing required key", "therapy: a [...therapy] table, the therapy the rule starts", "therapy")
        timed = sorted({"start_year", "stop_year"} & self.therapy.model_fields_set)
        if timed:
            raise rule(f"{timed[0]} given for the therapy of a rule", "no start_year or stop_year: the therapy "
                       "starts at the visit where the rule fires (duration_years sets how long)", "therapy", timed[0])

    def build(self) -> TreatmentRule | StopRule:
        if self.action == "stop":
            return StopRule(self.drug, t_score_above=self.t_score_above, after_years=self.after_years, site=self.site)
        return TreatmentRule(self.therapy.value, t_score_below=self.t_score_below,
                             significant_loss=self.significant_loss, site=self.site,
                             duration_years=self.duration_years, after_fracture=self.after_fracture,
                             aibl_algorithm=self.aibl_algorithm, repeat=self.repeat)


#: What a risk factor given as true, false or a share allows.
_SHARE = (": true or false for everyone, or in a cohort the share of patients who have it, between 0 and 1 (a risk "
          "factor of aibl_algorithm rules)")


class FractureRiskTable(bounded_fields(FractureInputs, DomainTable)):
    """``[fracture_risk]``: report fracture probabilities (:mod:`remodel.clinical.fracture`) with
    these risk factors (fields of :class:`remodel.clinical.fracture.FractureInputs`)."""

    prior_fracture: bool = Field(False, description="a fragility fracture after the age of 50 (true/false)")
    fall_rate_ratio: float = bounded_number(FractureInputs, "fall_rate_ratio", "rate of falls relative to the "
                                            "reference population (1: usual), before balance training", 1.0)
    family_history_hip_fracture: Any = Field(False, description="a parent or sibling with a hip fracture" + _SHARE)
    oral_glucocorticoids: Any = Field(False, description="oral glucocorticoids for more than 6 months" + _SHARE)

    def check(self) -> None:
        for name in SHARED_FACTORS:
            value = getattr(self, name)
            if not (isinstance(value, bool) or type(value) in (int, float) and 0 <= value <= 1):
                raise rule(f"{describe(value)} is not true, false or a share", type(self).model_fields[name].description,
                           name)

    def build(self) -> FractureInputs:
        return FractureInputs(**self.given())

