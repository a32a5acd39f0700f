"""The entry point: simulate a population under therapies and return an ``xarray.Dataset``."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from .model import DAYS_PER_YEAR, SITE_STATES, Model, batch_parameters, observables
from .model.assembly import assembly
from .model.observables import output_variables
from .model.sharing import integrate_segment
from .model.timing import dose_times, window
from .parameters import ParameterSet, parameter_set
from .populations import REFERENCE_AGE, SITES, Population, population as named_population
from .solvers import STATISTICS, SolverError
from .regimen import Regimen
from .therapies import Therapy

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["SOLVER_ATTRIBUTES", "simulate", "model_version", "references", "solver_attributes", "summed_solver_attributes"]


@functools.cache
def model_version() -> str:
    try:
        return version("remodel")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def _as_regimen(value) -> Regimen:
    return value if isinstance(value, Regimen) else Regimen(therapies=tuple(value))


def _as_arms(regimen) -> tuple[dict[str, Regimen], bool]:
    if isinstance(regimen, Mapping):
        if not regimen:
            raise ValueError("at least one arm is needed")
        return {str(k): _as_regimen(v) for k, v in regimen.items()}, True
    return {"arm": _as_regimen(regimen)}, False


def _output_days(years, output_times):
    if not (np.isfinite(years) and 0 < years <= 100):
        raise ValueError(f"years must be between 0 and 100, got {years}")
    times = np.asarray(
        np.arange(0.0, years + 1e-9, 1.0 / 12.0) if output_times is None else output_times, dtype=float
    )
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) <= 0) or times[0] < 0 or times[-1] > years:
        raise ValueError(f"output_times must be increasing values in [0, {years}] years")
    return times * DAYS_PER_YEAR


def _dose_events(model: Model, horizon_days):
    """Discrete doses as events of the integrator: days ``(E,)`` in increasing order, flat state
    rows ``(E,)`` and amounts per member ``(E, N)`` (zero for the members not given the dose). The
    doses of every arm into one state on one day are one event."""
    doses: dict[int, list] = {}  # state row -> [(days, amount per member), ...]
    for regimen, mask in model.regimens:
        for therapy in regimen.therapies:
            if therapy.interval_days is not None:
                row, amount = model.assembly.dose(therapy, model.p)
                doses.setdefault(row, []).append((dose_times(therapy, horizon_days), amount * mask))
    days, rows, amounts = [np.empty(0)], [np.empty(0, dtype=np.int64)], [np.empty((0, model.N))]
    for row, given in doses.items():
        unique = np.unique(np.concatenate([times for times, _ in given]))
        total = np.zeros((unique.size, model.N))
        for times, amount in given:
            total[np.searchsorted(unique, times)] += amount
        days.append(unique)
        rows.append(np.full(unique.size, row))
        amounts.append(total)
    order = np.argsort(np.concatenate(days), kind="stable")
    return np.concatenate(days)[order], np.concatenate(rows)[order], np.concatenate(amounts)[order]


def _breakpoints(model: Model, start_days, horizon_days):
    """Days from ``start_days`` (the start of the life history) to the horizon at which a driver
    jumps (an intervention starts or stops); doses are events within the segments."""
    points = {start_days, 0.0, horizon_days}
    for regimen, _ in model.regimens:
        for item in regimen.interventions():
            for year in window(item):
                if start_days < year * DAYS_PER_YEAR < horizon_days:
                    points.add(year * DAYS_PER_YEAR)
    return sorted(p for p in points if start_days <= p <= horizon_days)


#: Members integrated per call of the integrator when progress is shown (a report after each group).
_PROGRESS_GROUP = 8


def _run(model: Model, t_out, horizon_days, *, frozen, rtol, progress=False, on_error="raise"):
    """States at ``t_out`` (days), shape (T, n_states, N), from the population's history, the
    solver's work summed over members and segments (``{name: count}`` of :data:`STATISTICS`) and
    which members failed ``(N,)``: with ``on_error="raise"`` none (:class:`SolverError` is raised),
    with ``"nan"`` those whose integration failed or whose bone collapsed (their states NaN).

    Doses are jumps of the drug states at their exact times; the state reported at a dose time
    is the state just after the dose, so results do not depend on the output grid; a member stops
    only at its own doses (:class:`remodel.solvers.bdf.Integrator`). On each segment between
    intervention changes the piecewise-constant drivers are those inside it, and every member is
    integrated alone (:meth:`remodel.model.assembly.Assembly.integrate`), those with the same inputs
    there once (:func:`remodel.model.sharing.integrate_segment`: the arms share their history). With
    ``progress``, a bar (tqdm, on stderr, once a run takes more than a second) counts the simulated
    member-years; the members are then integrated in groups, which changes no result.
    """
    y = model.reference_state_vector()
    atol = (np.abs(y) + model.assembly.state_scale()[:, None]) * rtol * 1e-3
    records = model.parameter_records()
    work = np.zeros(len(STATISTICS), dtype=np.int64)

    def segment(y, a, b, t_eval, out):
        """Integrate over ``[a, b]`` with the doses of ``[a, b)``: the states at ``t_eval`` into ``out``
        (T, n_states, N); returns the state at ``b``."""
        within = slice(*np.searchsorted(events[0], [a, b]))
        end, failed, counts = integrate_segment(
            model, records, y, a, b, t_eval, out, tuple(e[within] for e in events), rtol=rtol, atol=atol,
            group_size=_PROGRESS_GROUP if bar is not None else None,
            on_group=None if bar is None else lambda members: bar.update((b - a) / DAYS_PER_YEAR * members))
        work[:] += counts
        if failed and on_error == "raise":
            m, message = next(iter(failed.items()))
            raise SolverError(f"integration failed between day {a:g} and {b:g} for {len(failed)} of {model.N} "
                              f"members (member {m}: {message}). Try a tighter rtol, or check parameters far "
                              "outside their bounds.")
        failed_members[list(failed)] = True  # from NaN, the next segments fail at once
        end[:, failed_members] = np.nan
        return end

    events = _dose_events(model, horizon_days)
    out = np.empty((len(t_out), model.n_states, model.N))
    failed_members = np.zeros(model.N, dtype=bool)
    start = 0.0  # the life history from the reference age, in segments between habit changes
    if frozen:
        if events[0].size:
            raise ValueError("frozen=True holds drivers constant; it cannot be combined with discrete drug doses")
        model.frozen_at = 0.0
        y = model.steady_state_vector(0.0, y)
    else:
        start = min(0.0, (REFERENCE_AGE - model.population.age) * DAYS_PER_YEAR)
    points = _breakpoints(model, start, horizon_days)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=(points[-1] - points[0]) / DAYS_PER_YEAR * model.N, unit="member-year", delay=1.0,
                   desc="simulating", leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")
    for a, b in zip(points[:-1], points[1:]):
        last = b == points[-1]
        first, stop = np.searchsorted(t_out, a), np.searchsorted(t_out, b, side="right" if last else "left")
        y = segment(y, a, b, t_out[first:stop], out[first:stop])
    if bar is not None:
        bar.close()
    failed_members |= _collapsed(model, out, raise_error=on_error == "raise")
    out[:, :, failed_members] = np.nan
    return out, dict(zip(STATISTICS, work.tolist())), failed_members


def _collapsed(model: Model, Y, raise_error: bool) -> np.ndarray:
    """The members ``(N,)`` whose bone collapsed: their mineralised matrix ``V - O`` vanished, where
    the mineral equation (resorption removes ``R M/(V - O)``) has no meaning. Parameter sets far
    from the calibrated ones can get there (a skeleton losing everything in years); their members
    fail, as unsolvable ones do, instead of returning numbers: with ``raise_error``,
    :class:`SolverError` is raised if there is one."""
    site = model.split(Y)[0]
    V, O = site[:, SITE_STATES.index("V")], site[:, SITE_STATES.index("O")]
    with np.errstate(invalid="ignore"):  # the states of failed members are NaN
        mineralised = V - O
        collapsed = ~np.all(np.isfinite(Y), axis=(0, 1)) | np.any(mineralised < 0.01 * V[:1], axis=(0, 1))
    if raise_error and np.any(collapsed):
        m = int(np.flatnonzero(collapsed)[0])
        raise SolverError(f"the bone of {int(collapsed.sum())} of {model.N} members collapsed (member {m}: "
                          "mineralised matrix below 1 % of its starting volume); check parameters far outside "
                          "their calibrated values")
    return collapsed


def simulate(
    population: Population | str,
    regimen: Regimen | Sequence[Therapy] | Mapping[str, Regimen | Sequence[Therapy]] = (),
    *,
    years: float = 5.0,
    output_times=None,
    parameters: ParameterSet | str = "Remodel2026",
    samples: Mapping[str, Sequence[float]] | None = None,
    frozen: bool = False,
    rtol: float = 1e-7,
    natural_history: bool = True,
    variables: Sequence[str] | None = None,
    progress: bool = False,
    on_error: str = "raise",
) -> xr.Dataset:
    """Simulate bone remodelling of a population under therapies.

    Parameters
    ----------
    population : Population or str
        Who is simulated (a built-in name such as ``"postmenopausal_woman"``).
    regimen : Regimen or list of Therapy, or dict of arm name to either
        One regimen, or several arms compared side by side (adds an ``arm`` dimension).
    years : float
        Horizon in years from the simulation start.
    output_times : array-like, optional
        Output times in years (default monthly).
    parameters : ParameterSet or str
        Parameter set (default ``"Remodel2026"``).
    samples : dict of str to array-like, optional
        Per-sample parameter values (all of one length); adds a ``sample`` dimension.
    frozen : bool
        Hold every driver at its value at the start and start from the corresponding steady state
        (a check of the model, and the remodelling-101 view).
    rtol : float
        Relative tolerance of the integrator: every member (parameter sample and arm) is integrated
        alone by the compiled variable-order BDF of :mod:`remodel.solvers.bdf`, with its own steps,
        so that its result does not depend on the others in the batch.
    natural_history : bool
        Also simulate the untreated natural history of every sample, the reference of ``z_score``.
        ``False`` skips it (half the work when every arm is treated) and leaves ``z_score`` out.
    variables : sequence of str, optional
        The variables to return (default all); the others are not computed. The serum markers
        (``ctx_change``, ``p1np_change``) also simulate every arm with exercise or disuse without
        them: the non-weight-bearing skeleton (:mod:`remodel.model.observables`).
    progress : bool
        Show a progress bar on stderr when the integration takes more than a second.
    on_error : {"raise", "nan"}
        What a member that cannot be solved (or whose bone collapses) does: raise
        :class:`remodel.SolverError`, or give NaN and ``solver_failed = True`` for its sample and
        arm (the others are as if it were not there: each member is integrated alone). The failure
        of the natural history of a sample fails every arm of it (their Z-scores need it).

    Returns
    -------
    xarray.Dataset
        Dimensions ``time`` (years), ``site`` and, as applicable, ``arm`` and ``sample``. The
        attributes ``solver_steps``, ``solver_rate_evaluations``, ``solver_jacobian_evaluations``
        and ``solver_lu_factorisations`` count the integrator's work summed over every member
        integrated (the untreated natural history included; members with the same inputs over a
        segment, such as the arms over their shared life history, once) and every segment between
        intervention changes, as diffrax's ``Solution.stats``; ``solver_members`` is the number
        of members (:func:`solver_attributes`).

    Raises
    ------
    remodel.SolverError
        When the steady state or the integration fails.
    """
    if isinstance(population, str):
        population = named_population(population)
    params = parameter_set(parameters)
    missing = assembly().parameters - set(params)
    if missing:
        raise KeyError(
            f"parameter set {params.name} lacks {len(missing)} parameters the remodel model reads "
            f"(e.g. {sorted(missing)[:3]}); start from Remodel2026 and use .updated(...)"
        )
    arms, has_arm_dim = _as_arms(regimen)
    t_out = _output_days(years, output_times)
    samples = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in (samples or {}).items()}
    n_samples = len(next(iter(samples.values()))) if samples else 1

    regimen_list = list(arms.values())
    if natural_history and Regimen() not in regimen_list:
        regimen_list.append(Regimen())  # untreated natural history, the reference of Z-scores
    if variables is None or set(variables) & set(observables.SERUM_MARKERS):
        for twin in map(observables.unloaded_twin, list(regimen_list)):
            if twin not in regimen_list:
                regimen_list.append(twin)  # the non-weight-bearing skeleton of the serum markers
    n_reg = len(regimen_list)
    overrides = {k: np.repeat(v, n_reg) for k, v in samples.items()}
    p = batch_parameters(params, overrides, n=n_samples * n_reg)
    model = Model(population, [r for _ in range(n_samples) for r in regimen_list], p)
    known = output_variables()
    unknown = set(variables or ()) - set(known)
    if unknown:
        raise ValueError(f"unknown variables {sorted(unknown)}; known: {', '.join(known)}")
    if on_error not in ("raise", "nan"):
        raise ValueError(f"on_error must be 'raise' or 'nan', got {on_error!r}")
    Y, work, failed = _run(model, t_out, t_out[-1], frozen=frozen, rtol=rtol, progress=progress, on_error=on_error)
    ds = _dataset(model, t_out, Y, list(arms), regimen_list, n_samples, population, params, arms, variables)
    ds.attrs.update(solver_attributes(work, model.N))
    if on_error == "nan":
        failed = failed.reshape(n_samples, n_reg)
        if natural_history:
            failed = failed | failed[:, [regimen_list.index(Regimen())]]
        ds["solver_failed"] = (("sample", "arm"), failed[:, [regimen_list.index(arms[a]) for a in arms]],
                               {"long_name": "the model could not be solved for this sample and arm (values NaN)"})
    if not has_arm_dim:
        ds = ds.isel(arm=0, drop=True)
    if not samples:
        ds = ds.isel(sample=0, drop=True)
    else:
        for k, v in samples.items():
            ds.coords[k] = ("sample", v, params[k].attrs)
    return ds


#: Dataset attributes of the integrator's work (:func:`solver_attributes`).
SOLVER_ATTRIBUTES = ("solver_members", *(f"solver_{k}" for k in STATISTICS))


def solver_attributes(work: Mapping[str, int], members: int) -> dict[str, int]:
    """The Dataset attributes of the integrator's work: ``solver_<statistic>`` for each of
    :data:`remodel.solvers.bdf.STATISTICS` (summed over members and segments) and ``solver_members``.
    Attributes of several results (a sweep's chunks) add up: :func:`summed_solver_attributes`."""
    return {"solver_members": int(members), **{f"solver_{k}": int(work[k]) for k in STATISTICS}}


def summed_solver_attributes(datasets) -> dict[str, int]:
    """The :func:`solver_attributes` of several results (an iterable of Datasets) added up."""
    attrs = [ds.attrs for ds in datasets]
    return {k: sum(int(a[k]) for a in attrs if k in a) for k in SOLVER_ATTRIBUTES}


#: The output variables of the model with the agents of the package (those registered later
#: add theirs to :func:`remodel.model.observables.output_variables`).
_VARIABLES = output_variables()


def _dataset(model, t_out, Y, arm_names, regimen_list, n_samples, population, params, arms, variables=None):
    """Assemble the Dataset (dims sample, arm, time, [site]) of ``variables`` (default all) from the
    states ``Y`` (T, n_states, N)."""
    import xarray as xr

    natural_history = regimen_list.index(Regimen()) if Regimen() in regimen_list else None
    twins = [regimen_list.index(observables.unloaded_twin(r)) if observables.unloaded_twin(r) in regimen_list else None
             for r in regimen_list]
    computed = observables.values(model, t_out, Y, n_samples, len(regimen_list), natural_history, population, twins)
    keep = [regimen_list.index(arms[a]) for a in arm_names]
    data_vars = {}
    for name, output in output_variables().items():
        if name not in computed or variables is not None and name not in variables:
            continue
        data = np.asarray(computed[name]())[:, keep]
        names = ("sample", "arm", "time", "site")[: data.ndim]
        data_vars[name] = xr.Variable(names, data, {"units": output.units, "long_name": output.long_name,
                                                    "description": output.description})
    return xr.Dataset(
        data_vars,
        coords={
            "time": ("time", t_out / DAYS_PER_YEAR, {"units": "year", "long_name": "time since the simulation start"}),
            "site": ("site", list(SITES), {"long_name": "skeletal site"}),
            "arm": ("arm", arm_names, {"long_name": "treatment arm"}),
            "age": ("time", population.age + t_out / DAYS_PER_YEAR, {"units": "year", "long_name": "age"}),
        },
        attrs={
            "title": f"remodel simulation: {population.name}",
            "Conventions": "CF-1.10",
            "source": f"remodel {model_version()}",
            "parameter_set": params.name,
            "population": repr(population),
            "population_sex": population.sex,
            "arms": "; ".join(f"{a}: {arms[a]!r}" for a in arm_names),
            "references": "\n".join(_references(params, arms)),
        },
    )


def references(arms, parameters: ParameterSet | str = "Remodel2026") -> list[str]:
    """Formatted references a simulation of ``arms`` (as for :func:`simulate`) with ``parameters``
    relies on: the ``references`` attribute :func:`simulate` writes, without simulating."""
    return _references(parameter_set(parameters), _as_arms(arms)[0])


def _references(params, arms):
    """References of the model, the drugs taken in ``arms`` and the parameter sources."""
    return assembly().references([t for regimen in arms.values() for t in regimen.therapies], params)
