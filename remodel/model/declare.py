"""What a mechanism declares: its states, outputs, drugs, doses and effects.

A physiology block (:mod:`remodel.model.physiology`) declares its ``STATES`` (per skeletal site),
``OUTPUTS`` and ``CITATIONS`` at module level. A drug class is an :class:`Agent`
(:mod:`remodel.model.agents`, one module each): its catalogue entries, its systemic states and
their kinetics, its doses, and what it does to the physiology, through the *effects* (functions of
its states, in the right-hand side) and *exposures* (piecewise-constant inputs while a drug is
taken) that the physiology offers. :mod:`remodel.model.assembly` builds the model from these.
The parameters a mechanism reads are found in its source (:func:`parameters_read`), not listed by
hand.
"""

from __future__ import annotations

import ast
import inspect
import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

__all__ = ["Agent", "Drug", "MAX_DOSE_FACTOR", "Output", "State", "parameters_read"]

#: Largest dose accepted as a multiple of the standard (label) dose: the drug effects are
#: calibrated at label doses, and no label allows more than a few times its standard dose.
MAX_DOSE_FACTOR = 4.0


@dataclass(frozen=True)
class Output:
    """An output variable of a simulation (a Dataset variable with these attributes)."""

    name: str
    units: str
    long_name: str
    description: str


@dataclass(frozen=True)
class State:
    """A state variable: ``symbol`` in the equations, its units and typical magnitude ``scale``
    (which sets its absolute tolerance). ``output``, if given, reports it as a variable."""

    symbol: str
    units: str
    scale: float
    output: Output | None = None


@dataclass(frozen=True)
class Drug:
    """An entry of the drug catalogue: what the scenario file may name.

    ``action`` is the drug class (two of one class are not taken together); ``max_dose``
    defaults to :data:`MAX_DOSE_FACTOR` times the standard dose; ``standard_interval_days`` is
    set for drugs given as discrete doses; ``self_administered`` for those whose doses the patient
    takes herself, so that a fraction of doses taken (``Therapy.adherence``) scales them.
    """

    name: str
    action: str
    dose_units: str
    standard_dose: float
    description: str
    citations: tuple[str, ...]
    standard_interval_days: float | None = None
    max_dose: float = math.nan
    self_administered: bool = False

    def __post_init__(self):
        if math.isnan(self.max_dose):
            object.__setattr__(self, "max_dose", MAX_DOSE_FACTOR * self.standard_dose)


@dataclass(frozen=True, eq=False)
class Agent:
    """A drug class and how it enters the model.

    Parameters
    ----------
    name : str
        Identifier (the module name).
    drugs : tuple of Drug
        Its catalogue entries.
    citations : tuple of str
        Keys of :mod:`remodel.citations` (or of ``bibliography``) the mechanism relies on.
    states : tuple of State
        Systemic states (not per site); they start at 0 (no drug in the body).
    kinetics : callable, optional
        ``kinetics(y, dy, i, formation, resorption, p, weight_kg)`` writes the rates of ``states``,
        ``dy[i]``, ``dy[i + 1]``, ..., given the state ``y`` of the model (numbers, or arrays with
        the state first), where the agent's states are ``y[i]``, ``y[i + 1]``, ... in their order,
        the formation and resorption relative to the young-adult reference, the parameters ``p``
        and body weight. Compiled by numba, so plain arithmetic on numbers and arrays (indexing
        rather than slicing: a view costs reference counting in every rate evaluation).
    effects : dict of str to callable
        ``{effect: f(y, i, p)}``: the agent's contribution to an effect of
        :data:`remodel.model.physiology.site.EFFECTS` given its states ``y[i]``, ``y[i + 1]``, ...
    exposure : (str, callable), optional
        ``(exposure, f(therapy, p))``: the value a drug of this agent, while taken, gives an
        exposure of :data:`remodel.model.physiology.estradiol.EXPOSURES`.
    dose : callable, optional
        ``dose(therapy, p)`` -> ``(state symbol, amount per member)`` of one discrete dose;
        required when a drug has ``standard_interval_days``.
    bibliography : dict of str to str
        References the agent cites that :data:`remodel.citations.BIBLIOGRAPHY` lacks.
    """

    name: str
    drugs: tuple[Drug, ...]
    citations: tuple[str, ...]
    states: tuple[State, ...] = ()
    kinetics: Callable | None = None
    effects: Mapping[str, Callable] = field(default_factory=dict)
    exposure: tuple[str, Callable] | None = None
    dose: Callable | None = None
    bibliography: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if bool(self.states) != (self.kinetics is not None):
            raise ValueError(f"agent {self.name}: states and kinetics go together")
        discrete = [d.name for d in self.drugs if d.standard_interval_days is not None]
        if discrete and self.dose is None:
            raise ValueError(f"agent {self.name}: {discrete} are given as discrete doses, but the agent declares no dose")
        if self.dose is not None and not self.states:
            raise ValueError(f"agent {self.name}: a dose needs a state to enter")

    @property
    def functions(self) -> tuple[Callable, ...]:
        """The functions of the agent that the model calls."""
        return tuple(f for f in (self.kinetics, *self.effects.values(), self.exposure and self.exposure[1], self.dose)
                     if f is not None)


def parameters_read(function_or_module) -> set[str]:
    """Names of the parameters read in the source of a function or module: every ``p["name"]``."""
    tree = ast.parse(inspect.getsource(function_or_module))
    return {node.slice.value for node in ast.walk(tree)
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "p"
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)}
