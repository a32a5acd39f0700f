r"""The model assembled from its declarations: state layout, one right-hand side, outputs, parameters, references.

The state of a member is the states of :data:`remodel.model.physiology.site.STATES` at each of the
``SITES`` (state-major: every site of the first state, then of the next), then the systemic states
of the agents (:mod:`remodel.model.agents`), in their order. :class:`Assembly` builds from the
agents one right-hand side, :meth:`Assembly.rates`, written once for numbers and for arrays: the
compiled integrator (:mod:`remodel.solvers.bdf`) calls it for one member at a time, and
:class:`remodel.model.Model` for arrays of members and times (steady states, outputs). The agents
enter it through their kinetics and effects, chained into plain functions that numba compiles; the
compiled code is cached on disk, keyed by the sources of this module, of the modules it imports and
of the agents' modules.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from .. import citations
from ..solvers import STATISTICS
from . import agents as registry
from .declare import parameters_read
from .physiology import body, bone, cells, estradiol, exercise, mechanics, nutrition, osteocytes, signalling, site
from .sites import SITE_TABLE, SITES
from .timing import DAYS_PER_YEAR, active

__all__ = ["Assembly", "DRIVERS", "DRIVERS_ROW", "MEMBER_FIELDS", "PER_SITE_FIELDS", "assembly", "member_field",
           "site_loading"]

#: Physiology modules, whose ``CITATIONS`` every run cites, whose parameters every run reads and
#: whose ``OUTPUTS`` (if any) every run reports.
PHYSIOLOGY = (site, bone, cells, signalling, mechanics, estradiol, exercise, nutrition, body, osteocytes)
#: Numbers of a member besides its parameters, in this order: the reference cells, the
#: piecewise-constant multipliers of :func:`remodel.model.physiology.nutrition.multipliers`, the
#: drug exposures of :data:`remodel.model.physiology.estradiol.EXPOSURES` and the weight-change
#: schedule of :func:`remodel.model.physiology.body.weight_schedule`; then, a number per site
#: each, the :data:`PER_SITE_FIELDS`.
MEMBER_FIELDS = ("OBa_ref", "OCa_ref", "pi_ref", "m_pth", "m_supply", "m_osteogenic", "m_k2", "m_inflammation",
                 *estradiol.EXPOSURES, "weight_change_kg", "weight_change_start", "weight_change_end")
#: Numbers of a member per site: turnover, open-surface fraction, loading and the share of its
#: habitual loading that locomotion brings.
PER_SITE_FIELDS = ("rho", "f_open", "loading", "locomotion")
#: What the rates depend on through time alone (``drivers`` of :func:`_build_rates`), computed once
#: per time for a member by the compiled integrator.
DRIVERS = ("weight", "e2", "testosterone", "a_E", "a_E_OB", "a_A", "loading_factor", "activity", "ageing")
#: Length of a member's row of the drivers kept by the compiled right-hand side: the time, the
#: :data:`DRIVERS` and the loading stimulus of each site (:func:`site_loading`).
DRIVERS_ROW = 1 + len(DRIVERS) + len(SITES)
_SITE_LOADING = 1 + len(DRIVERS)  # the first site's loading stimulus in that row
(_OBA_REF, _OCA_REF, _PI_REF, _M_PTH, _M_SUPPLY, _M_OSTEOGENIC, _M_K2, _M_INFLAMMATION, _INHIBITION, _SUPPRESSION,
 _OCCUPANCY, _TRT, _WEIGHT_CHANGE, _WEIGHT_START, _WEIGHT_END) = range(len(MEMBER_FIELDS))
_RHO, _F_OPEN, _LOADING, _LOCOMOTION = (len(MEMBER_FIELDS) + k * len(SITES) for k in range(len(PER_SITE_FIELDS)))

#: Functions the compiled right-hand side calls, registered with numba (``register_jitable``) when
#: an integrator is first built: importing the model imports no numba (``remodel cite`` does not).
_TO_COMPILE: list = []
_COMPILED: set = set()


def _jitable(function):
    """``function``, which numba compiles as it is where the compiled right-hand side calls it."""
    _TO_COMPILE.append(function)
    return function


_EXPOSURE_COMBINE = {"max": lambda total, on, value: np.maximum(total, on * value),
                     "sum": lambda total, on, value: total + on * value,
                     "replace": lambda total, on, value: np.where(on > 0, value, total)}


def member_field(name):
    """Rows of a member's numbers holding field ``name``: an index, or a slice of one per site."""
    if name in PER_SITE_FIELDS:
        start = len(MEMBER_FIELDS) + PER_SITE_FIELDS.index(name) * len(SITES)
        return slice(start, start + len(SITES))
    return MEMBER_FIELDS.index(name)


def site_loading(c, i, load, activity):
    r"""Daily loading stimulus of site ``i`` (an index, or an array of them) with numbers ``c`` (rows
    first: a member's, or the constants of a batch, :mod:`remodel.model.batch`): the site's exercise
    loading times the loading factor of the body weight ``load`` and the habitual activity
    ``activity`` to the power of the site's share of locomotion,
    :math:`\ell_i\, f_W\, h^{s_i}` (:mod:`remodel.model.physiology.exercise`)."""
    return c[_LOADING + i] * load * activity ** c[_LOCOMOTION + i]


def _constant(value):
    """A state function that is ``value`` whatever the state."""
    return _jitable(lambda y, p: value)


def _placed(function, row):
    """``function(y, i, p)`` of an agent whose states start at row ``i`` as a function of ``y``."""
    return _jitable(lambda y, p: function(y, row, p))


def _chained(kind, functions, identity):
    """The effect of several agents' functions of ``y`` combined: their product or sum."""
    if not functions:
        return _constant(identity)
    combined = functions[0]
    for function in functions[1:]:
        combined = (_product if kind == "product" else _sum)(combined, function)
    return combined


def _product(f, g):
    return _jitable(lambda y, p: f(y, p) * g(y, p))


def _sum(f, g):
    return _jitable(lambda y, p: f(y, p) + g(y, p))


def _no_kinetics(y, out, formation, resorption, p, weight_kg):
    """Nothing to write: no agent has states."""


def _kinetics_chain(kinetics, row, rest):
    """The agents' kinetics in turn: ``kinetics`` of the agent whose states start at ``row``, then ``rest``."""

    def both(y, out, formation, resorption, p, weight_kg):
        kinetics(y, out, row, formation, resorption, p, weight_kg)
        rest(y, out, formation, resorption, p, weight_kg)

    return _jitable(both)


def _build_rates(n_sites, effects, kinetics):
    """The right-hand side of :meth:`Assembly.rates` for these agents' functions (``effects``: the
    chained function of each of :data:`remodel.model.physiology.site.EFFECTS`, in order), and its
    two parts: the drivers at a time and the rates given the drivers (:data:`DRIVERS`)."""
    (osteoclast_apoptosis, osteoblast_apoptosis, osteoblast_survival, opg_production, rankl_sink, pth_exposure,
     free_sclerostin) = effects
    n_kinds = len(site.STATES)
    symbols = [s.symbol for s in site.STATES]
    obp, oba, phi, oca, om, v, o, m, s = (symbols.index(k) * n_sites
                                          for k in ("OBp", "OBa", "phi", "OCa", "OM", "V", "O", "M", "S"))
    n_site_rows = n_kinds * n_sites
    all_sites = np.arange(n_sites)
    no_drug = site.DrugEffects(*(float(identity) for identity in site.NO_DRUG))

    def drivers(t, p, c, female, menopause_age, age_now, testosterone_now, weight_kg, height_m):
        """What the rates depend on through the time ``t`` (days) alone, in the order of
        :data:`DRIVERS`: body weight, estradiol, testosterone, the estrogen and androgen receptor
        activities, the loading factor of the weight, the habitual activity and the ageing factor."""
        weight = body.body_weight(weight_kg, c[_WEIGHT_CHANGE], c[_WEIGHT_START], c[_WEIGHT_END], t)
        e2, testosterone, a_E, a_E_OB, a_A = estradiol.steroid_levels(
            female, age_now + t / DAYS_PER_YEAR, menopause_age, age_now, testosterone_now,
            body.adipose_aromatization(weight, height_m, p, female), c[_INHIBITION], c[_SUPPRESSION], c[_OCCUPANCY], c[_TRT], p)
        age = age_now + t / DAYS_PER_YEAR
        return (weight, e2, testosterone, a_E, a_E_OB, a_A, body.loading_factor(weight, p), exercise.habitual_activity(age, p),
                site.ageing(age, p))

    def state_rates(y, out, p, c, sites, weight, a_E, a_E_OB, a_A, loading, g):
        """Rates ``out`` of the state ``y`` given the :func:`drivers`, with ``loading[i]`` the loading
        stimulus of site ``i`` (:func:`site_loading`); returns the signals, formation
        and resorption of the last of ``sites``. A state of the site rows alone (``len(y)`` of
        them) is one without drug in the body: the agents' states 0, whose rates are 0 and whose
        effects are the effects' identities (:meth:`Assembly.integrate`)."""
        if len(y) > n_site_rows:
            OBa_sum = 0.0
            OCa_sum = 0.0
            for i in range(n_sites):
                OBa_sum += y[oba + i]
                OCa_sum += y[oca + i]
            kinetics(y, out, OBa_sum / n_sites / c[_OBA_REF], OCa_sum / n_sites / c[_OCA_REF], p, weight)
            drug_effects = site.DrugEffects(osteoclast_apoptosis(y, p), osteoblast_apoptosis(y, p),
                                            osteoblast_survival(y, p), opg_production(y, p), rankl_sink(y, p),
                                            pth_exposure(y, p), free_sclerostin(y, p))
        else:
            drug_effects = no_drug
        for i in sites:
            rates_i, sig, formation, resorption = site.site_rates(
                y[obp + i], y[oba + i], y[phi + i], y[oca + i], y[om + i], y[v + i], y[o + i], y[m + i], y[s + i],
                drug_effects, g, a_E, a_E_OB, a_A, loading[i], c[_M_PTH], c[_M_SUPPLY], c[_M_OSTEOGENIC],
                c[_M_K2], c[_M_INFLAMMATION], c[_RHO + i], c[_F_OPEN + i], p, c[_OBA_REF], c[_OCA_REF], c[_PI_REF])
            for k in range(n_kinds):
                out[k * n_sites + i] = rates_i[k]
        return sig, formation, resorption

    def rates(t, y, out, p, c, sites, female, menopause_age, age_now, testosterone_now, weight_kg, height_m):
        """Rates ``out`` of the state ``y`` at ``t`` (days) with the state first: numbers, or arrays
        ``(state, ..., N)``. ``p`` the parameters and ``c`` the member's numbers
        (:data:`MEMBER_FIELDS`, then :data:`PER_SITE_FIELDS`), then the population. ``sites`` are
        the site indices evaluated in turn: ``arange(n_sites)`` for numbers, or a list of one index
        array of them all for arrays. Returns the signals, formation and resorption of the last, estradiol,
        testosterone and the estrogen receptor activity.

        The sites are a loop in this function, not a function called per site: the compiler then
        computes what the sites share once (a function per site made the rates a third slower)."""
        weight, e2, testosterone, a_E, a_E_OB, a_A, load, activity, g = drivers(t, p, c, female, menopause_age, age_now,
                                                                        testosterone_now, weight_kg, height_m)
        loading = site_loading(c, all_sites, load, activity)
        return state_rates(y, out, p, c, sites, weight, a_E, a_E_OB, a_A, loading, g), e2, testosterone, a_E

    return _jitable(rates), _jitable(drivers), _jitable(state_rates)


_jitable(site_loading)

# Every function of the physiology may be called by the compiled right-hand side: numba compiles
# those it reaches, as they are.
for _module in PHYSIOLOGY:
    for _function in vars(_module).values():
        if inspect.isfunction(_function) and _function.__module__ == _module.__name__:
            _jitable(_function)


class Assembly:
    """The model for a set of agents (see module docstring); :func:`assembly` gives the model of the
    agents registered.

    Attributes
    ----------
    rates : callable
        The right-hand side, for the compiled integrator and for NumPy alike (see module docstring).
    agents : tuple of Agent
    states : tuple of State
        The per-site states, then the systemic ones.
    n_states : int
        States of a member: ``len(site.STATES) * len(SITES)`` plus the systemic ones.
    outputs : dict of str to Output
        The output variables by name: the physiology's ``OUTPUTS``, then those of the states.
    parameters : set of str
        The parameters the model reads (the physiology's, the turnover of each site and the agents').
    """

    def __init__(self, agents):
        self.agents = tuple(agents)
        self.n_sites = len(SITES)
        systemic = tuple(s for a in self.agents for s in a.states)
        self.states = site.STATES + systemic
        self.n_site_rows = len(site.STATES) * self.n_sites
        self.n_states = self.n_site_rows + len(systemic)
        self.row = {s.symbol: self.n_site_rows + k for k, s in enumerate(systemic)}
        if len(self.row) != len(systemic):
            raise ValueError(f"agents declare a state twice: {[s.symbol for s in systemic]}")
        self.outputs = {o.name: o for o in (*(o for m in PHYSIOLOGY for o in getattr(m, "OUTPUTS", ())),
                                            *(s.output for s in self.states if s.output is not None))}
        self.parameters = set().union(*map(parameters_read, PHYSIOLOGY), *(
            parameters_read(f) for a in self.agents for f in a.functions)) | {
            name for site_ in SITE_TABLE for name in (site_.turnover_parameter, site_.open_surface_parameter)}
        effects = {}
        kinetics = _jitable(_no_kinetics)
        for agent in reversed(self.agents):
            if agent.states:
                row = self.row[agent.states[0].symbol]
                kinetics = _kinetics_chain(_jitable(agent.kinetics), row, kinetics)
                for name, function in agent.effects.items():
                    if name not in site.EFFECTS:
                        raise ValueError(f"agent {agent.name}: unknown effect {name!r}; effects: {', '.join(site.EFFECTS)}")
                    effects.setdefault(name, []).insert(0, _placed(_jitable(function), row))
        chains = {name: _chained(kind, effects.get(name, []), identity) for name, (kind, identity) in site.EFFECTS.items()}
        self.rates, drivers, state_rates = _build_rates(self.n_sites, tuple(chains.values()), kinetics)
        site_indices = np.arange(self.n_sites)

        def member_rates(t, y, out, m, records, member, frozen_at, drivers_at, *population):
            """Rates ``out`` of member ``m`` at ``t`` (days) in state ``y``; the drivers are those at
            ``frozen_at`` unless it is NaN. Row ``m`` of ``drivers_at`` ``(N, DRIVERS_ROW)``
            holds the time of the drivers last computed, their values and each site's loading
            stimulus: the Newton iterations of a step and the columns of a Jacobian estimate are at
            one time, and the drivers (exponentials and powers of the time) are computed once for them."""
            t_drivers = t if np.isnan(frozen_at) else frozen_at
            cached = drivers_at[m]
            c = member[m]
            if cached[0] != t_drivers:  # NaN at first
                (cached[1], cached[2], cached[3], cached[4], cached[5], cached[6], cached[7], cached[8], cached[9]) = drivers(
                    t_drivers, records[m], c, *population)
                for i in site_indices:
                    cached[_SITE_LOADING + i] = site_loading(c, i, cached[7], cached[8])
                cached[0] = t_drivers
            state_rates(y, out, records[m], c, site_indices, cached[1], cached[4], cached[5], cached[6],
                        cached[_SITE_LOADING:], cached[9])

        self._member_rates = member_rates
        #: Modules whose sources key the cache of the compiled code: this one (and what it imports), the
        #: integrator's (imported on first use) and the agents'.
        self.cache_modules = [__name__, __name__.split(".")[0] + ".solvers.bdf",
                              *sorted({f.__module__ for a in self.agents for f in a.functions})]

    @functools.cached_property
    def integrator(self):
        """The compiled BDF integrator of the member right-hand side
        (:class:`remodel.solvers.bdf.Integrator`); numba is imported on first use."""
        from numba.extending import register_jitable

        from ..solvers import COMPILE_OPTIONS
        from ..solvers.bdf import Integrator

        while _TO_COMPILE:
            function = _TO_COMPILE.pop()
            if function not in _COMPILED:
                register_jitable(**COMPILE_OPTIONS)(function)
                _COMPILED.add(function)
        return Integrator(self._member_rates, modules=self.cache_modules[1:])

    def integrate(self, inputs, Y0, t_start, t_end, t_eval, *, rtol, atol, out=None, events=None, members=None):
        """Integrate every member alone over one smooth segment: see
        :meth:`remodel.solvers.bdf.Integrator.__call__`; ``inputs`` from
        :meth:`remodel.model.Model.compiled_inputs`.

        **Members without drug.** A member with no drug in the body at the start (the agents'
        states 0) and no dose during the segment (the event amounts into them 0) has its site
        states alone integrated (the same compiled integrator and right-hand side, on the first
        :attr:`n_site_rows` states), and its agents' states are 0 throughout. It is the same model:
        an agent's states that are 0 stay 0 (their kinetics are 0 there) and its effects are then the
        effects' identities (:class:`~remodel.model.declare.Agent`; checked for every agent in
        ``tests/unit/test_compiled.py``), which is what the rates of a state of the site rows alone
        are. What changes is the work: 27 states instead of 45 (now), a cheaper rate function, Jacobian
        and LU factors (about a third of a member's CPU time in the life history and in sweeps
        without therapy), and the error norm, the RMS over the states integrated, no longer counts
        the agents' zeros (the RMS over every state shrinks with each agent registered, and the
        accuracy of a member taking no drug would with it). The choice is the member's own: its
        result does not depend on its batch-mates.
        """
        n, N = self.n_site_rows, Y0.shape[1]
        first, stop = (0, N) if members is None else (int(members[0]), int(members[1]))
        amounts = np.zeros((0, N)) if events is None else np.broadcast_to(events[2], (len(events[0]), N))
        agent_rows = np.zeros(0, dtype=bool) if events is None else np.asarray(events[1]) >= n
        free = ~(np.any(Y0[n:, first:stop] != 0, axis=0) | np.any(amounts[agent_rows, first:stop] != 0, axis=0))
        if n == self.n_states or not free.any():
            return self.integrator(inputs, Y0, t_start, t_end, t_eval, rtol=rtol, atol=atol, out=out, events=events,
                                   members=members)
        values = np.empty((len(t_eval), self.n_states, N)) if out is None else out
        Y_end = np.full((self.n_states, N), np.nan)
        failed = {}
        counts = np.zeros((N, len(STATISTICS)), dtype=np.int64)
        atol = np.broadcast_to(atol, Y0.shape)
        site_events = None if events is None or agent_rows.all() else (
            np.asarray(events[0])[~agent_rows], np.asarray(events[1])[~agent_rows], amounts[~agent_rows])
        for rows, part, part_events in ((n, free, site_events), (self.n_states, ~free, events)):
            if not part.any():
                continue
            if part.all():  # the members in place
                _, end, part_failed, part_counts = self.integrator(
                    inputs, Y0[:rows], t_start, t_end, t_eval, rtol=rtol, atol=atol[:rows], out=values,
                    events=part_events, members=members)
                Y_end[:rows, first:stop] = end[:, first:stop]
                counts[first:stop] = part_counts[first:stop]
                failed.update(part_failed)
            else:  # the members of this part gathered
                idx = first + np.flatnonzero(part)
                records, member, frozen_at, drivers_at, *population = inputs
                part_values, end, part_failed, counts[idx] = self.integrator(
                    (records[idx], member[idx], frozen_at, drivers_at[idx], *population), Y0[:rows, idx], t_start,
                    t_end, t_eval, rtol=rtol, atol=atol[:rows, idx],
                    events=None if part_events is None else (*part_events[:2], part_events[2][:, idx]))
                values[:, :rows, idx] = part_values
                Y_end[:rows, idx] = end
                failed.update({int(idx[k]): message for k, message in part_failed.items()})
        idx = first + np.flatnonzero(free)
        values[:, n:, idx] = 0.0
        Y_end[n:, idx] = 0.0
        return values, Y_end, failed, counts

    # --- inputs --------------------------------------------------------------------------------
    def exposures(self, therapies, t_years, p):
        """The drug exposures (:data:`~remodel.model.physiology.estradiol.EXPOSURES`, in order) of
        ``therapies`` at ``t_years``."""
        t = np.asarray(t_years, dtype=float)
        values = {name: np.full_like(t, value) for name, (_, value) in estradiol.EXPOSURES.items()}
        for therapy in therapies:
            exposure = registry.agent_of(therapy.drug).exposure
            if exposure is not None:
                name, function = exposure
                combine = _EXPOSURE_COMBINE[estradiol.EXPOSURES[name][0]]
                values[name] = combine(values[name], active(therapy, t), function(therapy, p))
        return tuple(values.values())

    def dose(self, therapy, p):
        """Flat state row a dose of ``therapy`` enters and the amount it adds (per member)."""
        symbol, amount = registry.agent_of(therapy.drug).dose(therapy, p)
        return self.row[symbol], amount

    def state_scale(self):
        """Typical magnitude of each flat state (sets absolute tolerances)."""
        return np.array([s.scale for s in site.STATES for _ in range(self.n_sites)]
                        + [s.scale for s in self.states[len(site.STATES):]])

    def references(self, therapies, params):
        """Formatted references of a run with ``therapies`` (every arm's) and parameter set ``params``:
        the physiology's, the agents of the drugs taken and the parameter sources."""
        keys = list(citations.CORE)
        for module in PHYSIOLOGY:
            keys += module.CITATIONS
        extra = {}
        for therapy in therapies:
            agent = registry.agent_of(therapy.drug)
            keys += agent.citations + registry.DRUGS[therapy.drug].citations
            extra.update(agent.bibliography)
        keys += [p.source for p in params.parameters.values() if p.source in citations.BIBLIOGRAPHY]
        return citations.references(keys, extra)


@functools.cache
def _assembled(agents):
    return Assembly(agents)


def assembly() -> Assembly:
    """The model of the agents registered now (:data:`remodel.model.agents.AGENTS`); built once per set."""
    return _assembled(tuple(registry.AGENTS.values()))
