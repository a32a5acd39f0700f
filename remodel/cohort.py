"""Virtual populations: trial arms as cohorts of virtual patients with inter-individual spread.

Each patient draws multiplicative (log-normal, median 1) or additive deviations of a few key
parameters; the cohort is simulated in one batch and results gain a ``patient`` dimension.
:func:`summarize` gives the mean, median and percentiles that trials report. The same ``seed``
gives bit-identical patients and results.

Default variability (:data:`VARIABILITY`):

=====================  ==================  =========  =====================================================
trait                  parameters          spread     source
=====================  ==================  =========  =====================================================
bone turnover          rho_* (all sites)   CV 40 %    between-woman spread of resorption markers (Garnero1996)
estradiol level        E2_post, E2_ref_m   CV 40 %    postmenopausal and male estradiol ranges (Ettinger2004, Leder2004)
estrogen sensitivity   K_E2, K_E2_male     CV 50 %    spread of bone loss on aromatase inhibitors (Eastell2006)
drug response          E_max_BP, chi_den   CV 25 %    spread of BMD response to anti-resorptives (Black2007)
adherence              adherence           Beta       mean 0.8, SD 0.15 for oral drugs and exercise (Siris2006)
baseline BMD           baseline_z_offset   SD 1       one young-adult SD (Looker1998)
=====================  ==================  =========  =====================================================

Trials report *measured* changes, which include DXA precision error; ``bmd_change_measured`` adds
it (precision CV 1.0 % at the spine and total hip, 1.5 % at the femoral neck, so a change between
two scans has SD sqrt(2) CV; Baim2005).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy.special import betainc

from .clinical.dxa import PRECISION_CV
from .simulation import simulate

__all__ = ["Trait", "VARIABILITY", "measured_change", "sample_patients", "simulate_cohort", "summarize",
           "harrell_davis_median"]


@dataclass(frozen=True)
class Trait:
    """A source of inter-individual variation shared by ``parameters``.

    ``kind``: ``"lognormal"`` (multiplier with median 1 and coefficient of variation ``spread``),
    ``"normal"`` (additive, SD ``spread``) or ``"beta"`` (value with mean ``mean`` and SD ``spread``).
    """

    parameters: tuple[str, ...]
    kind: str
    spread: float
    source: str
    mean: float = 1.0


VARIABILITY = {
    "turnover": Trait(("rho_lumbar_spine", "rho_total_hip", "rho_femoral_neck"), "lognormal", 0.40, "Garnero1996"),
    "estradiol": Trait(("E2_post", "E2_ref_male"), "lognormal", 0.40, "Ettinger2004"),
    "estrogen_sensitivity": Trait(("K_E2", "K_E2_male"), "lognormal", 0.50, "Eastell2006"),
    "drug_response": Trait(("E_max_BP", "chi_den"), "lognormal", 0.25, "Black2007"),
    "adherence": Trait(("adherence",), "beta", 0.15, "Siris2006", mean=0.8),
    "baseline_bmd": Trait(("baseline_z_offset",), "normal", 1.0, "Looker1998", mean=0.0),
}

#: DXA precision error (coefficient of variation, %) per site (Baim2005), from :mod:`remodel.model.sites`.
DXA_PRECISION_CV = PRECISION_CV


def sample_patients(n, seed, parameters, variability=VARIABILITY, base=None) -> dict[str, np.ndarray]:
    """Per-patient parameter values (``{name: array of n}``) for :func:`remodel.simulate`.

    With ``base`` (``{name: array of S}``, e.g. the parameter sets of a calibration), the same ``n``
    patients are drawn around each of the ``S`` sets: arrays of ``S n`` values, set-major. A
    log-normal trait multiplies its parameters' values, a normal trait adds to them and a beta trait
    replaces them.
    """
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ValueError(f"n must be a positive integer, got {n!r}")
    base = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in (base or {}).items()}
    n_sets = len(next(iter(base.values()))) if base else 1

    def centre(p):
        return base[p][:, None] if p in base else np.full((n_sets, 1), parameters[p].value)

    rng = np.random.default_rng(seed)
    samples = {k: np.repeat(v, n) for k, v in base.items()}
    for name, trait in variability.items():
        if trait.kind == "lognormal":
            sigma = np.sqrt(np.log1p(trait.spread**2))
            draw = rng.lognormal(0.0, sigma, n)
            values = {p: centre(p) * draw for p in trait.parameters}
        elif trait.kind == "normal":
            draw = rng.normal(trait.mean, trait.spread, n)
            values = {p: np.clip(centre(p) + draw, *parameters[p].bounds) for p in trait.parameters}
        elif trait.kind == "beta":
            common = trait.mean * (1 - trait.mean) / trait.spread**2 - 1
            draw = rng.beta(trait.mean * common, (1 - trait.mean) * common, n)
            values = {p: np.tile(draw, (n_sets, 1)) for p in trait.parameters}
        else:
            raise ValueError(f"trait {name}: kind must be lognormal, normal or beta, got {trait.kind!r}")
        samples.update({p: v.reshape(-1) for p, v in values.items()})
    return samples


def simulate_cohort(population, regimen, n, seed=0, *, parameters="Remodel2026", variability=VARIABILITY, members=None,
                    **kwargs):
    """Simulate ``n`` virtual patients of ``population``; the result has a ``patient`` dimension.
    ``members`` (indices into the ``n`` patients) simulates only those patients, with the same
    parameters as in the whole cohort; their ``bmd_change_measured`` is then that of a cohort of
    them alone (:func:`measured_change` of the assembled cohort gives the whole cohort's)."""
    from .parameters import parameter_set

    params = parameter_set(parameters)
    samples = sample_patients(n, seed, params, variability)
    if members is not None:
        samples = {k: v[np.asarray(members)] for k, v in samples.items()}
    ds = simulate(population, regimen, parameters=params, samples=samples, **kwargs)
    ds = ds.rename(sample="patient")
    ds["bmd_change_measured"] = measured_change(ds, seed)
    ds.attrs["cohort"] = f"{n} virtual patients, seed {seed}; variability: " + "; ".join(
        f"{k}: {t.kind} {t.spread:g} on {', '.join(t.parameters)} ({t.source})" for k, t in variability.items())
    return ds


def measured_change(ds, seed):
    """``bmd_change`` of a cohort ``ds`` plus the DXA precision error of two scans (Baim2005), drawn
    with ``seed`` over the shape of ``bmd_change``; 0 at time 0."""
    cv = xr.DataArray([DXA_PRECISION_CV[s] for s in ds.site.values], dims="site")
    noise = np.random.default_rng([seed, 1]).normal(size=ds.bmd_change.shape)
    measured = ds.bmd_change + np.sqrt(2.0) * cv * xr.DataArray(noise, dims=ds.bmd_change.dims)
    measured = measured.where(ds.time > 0, 0.0).transpose(*ds.bmd_change.dims)
    measured.attrs = dict(
        units="%", long_name="measured change in bone mineral density from baseline",
        description="bmd_change plus the DXA precision error of two scans (Baim2005)")
    return measured


def harrell_davis_median(values, axis=-1):
    """Harrell-Davis estimate of the median along ``axis`` (Harrell & Davis 1982, Biometrika 69:635).

    A weighted mean of the order statistics, ``sum_i w_i x_(i)`` with
    ``w_i = I_{i/n}(a, a) - I_{(i-1)/n}(a, a)``, ``a = (n+1)/2`` and ``I`` the regularized incomplete
    beta function. Unlike the sample median it changes smoothly with the values, so a calibration
    can differentiate it.
    """
    x = np.sort(np.moveaxis(np.asarray(values, dtype=float), axis, -1), axis=-1)
    n = x.shape[-1]
    a = (n + 1) / 2
    weights = np.diff(betainc(a, a, np.arange(n + 1) / n))
    return x @ weights


def summarize(ds, variable="bmd_change"):
    """Mean, median and 2.5/25/75/97.5th percentiles over patients of ``variable``."""
    data = ds[variable]
    stats = {
        "mean": data.mean("patient"),
        "median": data.median("patient"),
        **{f"p{q:g}": data.quantile(q / 100.0, dim="patient", method="linear").drop_vars("quantile")
           for q in (2.5, 25, 75, 97.5)},
    }
    out = xr.concat(list(stats.values()), dim=xr.Variable("statistic", list(stats)))
    out.attrs = dict(data.attrs)
    return out.to_dataset(name=variable)
