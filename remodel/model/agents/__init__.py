"""The drugs of the model, one agent per module (each defines ``AGENT``, a :class:`~remodel.model.declare.Agent`).

Every module of this package is an agent: adding a drug class is adding a module. :data:`AGENTS`
holds them by name and :data:`DRUGS` their catalogue entries; :func:`registered` adds an agent
defined elsewhere (a test, a study) for the duration of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil

from ..declare import Agent, Drug

__all__ = ["AGENTS", "DRUGS", "agent_of", "registered"]

AGENTS: dict[str, Agent] = {}
DRUGS: dict[str, Drug] = {}


def _add(agent: Agent) -> None:
    taken = [d.name for d in agent.drugs if d.name in DRUGS] + ([agent.name] if agent.name in AGENTS else [])
    if taken:
        raise ValueError(f"agent {agent.name}: {taken} already declared")
    AGENTS[agent.name] = agent
    DRUGS.update((d.name, d) for d in agent.drugs)


def agent_of(drug: str) -> Agent:
    """The agent of a drug of :data:`DRUGS`."""
    return next(a for a in AGENTS.values() if any(d.name == drug for d in a.drugs))


@contextlib.contextmanager
def registered(agent: Agent):
    """Add ``agent`` (and its drugs) to the model while the ``with`` block runs."""
    _add(agent)
    try:
        yield agent
    finally:
        del AGENTS[agent.name]
        for d in agent.drugs:
            del DRUGS[d.name]


for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    _add(importlib.import_module(f"{__name__}.{_module}").AGENT)
