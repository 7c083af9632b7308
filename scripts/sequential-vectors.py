#!/usr/bin/env python3
"""Test vectors for the report's lift intervals (shared/measure/stats.ts, shared/measure/sequential.ts).

Writes test/cases/sequential-lift.json, which test/worker/measure-sequential.test.ts compares with the
TypeScript implementation. Not run by CI: run it by hand after changing the maths, and commit its output.

    python3 scripts/sequential-vectors.py        # numpy >= 2, scipy >= 1.11

An independent implementation: the TypeScript uses the closed form of the normal-mixture boundary
(Waudby-Smith et al., arXiv:2103.06476, eq. 9). Here the boundary is found from its definition instead:
the mixture martingale M_t(z) = integral of exp(u*sqrt(t)*z - u^2*t/2) over u ~ N(0, rho^2) is integrated
numerically (scipy.integrate.quad) and the z where M_t(z) = 1/alpha is found by root finding
(scipy.optimize.brentq); Ville's inequality makes that z the half-width in standard errors after t
observations. rho is eq. 161 of the paper (a definition: where the sequence is tightest), z_0.975 comes
from scipy.stats.norm.
"""

import json
import math
import platform
from pathlib import Path

import numpy as np
import scipy
from scipy import integrate, optimize, stats

ALPHA = 0.05
PLANNED_UNITS = 5000
MIN_UNITS, MIN_CONVERSIONS = 30, 5


def rho(planned: float, alpha: float = ALPHA) -> float:
    l = -2 * np.log(alpha)
    return float(np.sqrt((l + np.log(l + 1)) / planned))


def log_mixture(z: float, t: float, r: float) -> float:
    """log of the integral over u ~ N(0, r^2) of exp(u sqrt(t) z - u^2 t / 2), computed numerically."""
    a = t + 1 / r**2  # the exponent is -a/2 (u - peak)^2 + const
    peak = math.sqrt(t) * z / a
    width = 1 / math.sqrt(a)

    def f(u: float) -> float:  # the log integrand
        return u * math.sqrt(t) * z - u * u * t / 2 - u * u / (2 * r * r) - math.log(r * math.sqrt(2 * math.pi))

    top = f(peak)
    total = 0.0
    for lo, hi in ((peak - 40 * width, peak), (peak, peak + 40 * width)):
        part, _ = integrate.quad(lambda u: math.exp(f(u) - top), lo, hi, epsabs=0, epsrel=1e-13, limit=200)
        total += part
    return top + math.log(total)


def multiplier(t: float, planned: float = PLANNED_UNITS, alpha: float = ALPHA) -> float:
    r = rho(planned, alpha)
    target = math.log(1 / alpha)
    return optimize.brentq(lambda z: log_mixture(z, t, r) - target, 0.1, 50, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)


def lift(personalized: dict, holdout: dict, method: str, planned: float = PLANNED_UNITS) -> dict:
    n1, x1, n0, x0 = personalized["units"], personalized["converted"], holdout["units"], holdout["converted"]
    if min(n1, n0) < MIN_UNITS or min(x1, x0) < MIN_CONVERSIONS:
        return {"status": "insufficient"}
    p1, p0 = x1 / n1, x0 / n0
    log_ratio = np.log(p1) - np.log(p0)
    se = np.sqrt((1 - p1) / x1 + (1 - p0) / x0)  # = 1/x1 - 1/n1 + 1/x0 - 1/n0
    m = float(stats.norm.ppf(1 - ALPHA / 2)) if method == "fixed" else multiplier(n1 + n0, planned)
    low, high = float(np.expm1(log_ratio - m * se)), float(np.expm1(log_ratio + m * se))
    return {
        "status": "ok",
        "multiplier": m,
        "lift": p1 / p0 - 1,
        "low": low,
        "high": high,
        "difference": p1 - p0,
        "verdict": "better" if low > 0 else "worse" if high < 0 else "inconclusive",
    }


CASES = [
    ("20% vs 15% on 1,000 each", (1000, 200), (1000, 150), PLANNED_UNITS),
    ("equal rates on a 10% holdout", (900, 90), (100, 10), PLANNED_UNITS),
    ("10% holdout, small lift", (9000, 450), (1000, 45), PLANNED_UNITS),
    ("worse: 5% vs 8%", (4000, 200), (1000, 80), PLANNED_UNITS),
    ("large lift on a 10% holdout", (18000, 1800), (2000, 100), PLANNED_UNITS),
    ("at the minimum: 30 units and 5 conversions each", (30, 5), (30, 5), PLANNED_UNITS),
    ("every personalized unit converts", (30, 30), (30, 10), PLANNED_UNITS),
    ("a month of 300 units a day and arm, +30%", (9000, 585), (9000, 450), PLANNED_UNITS),
    ("a month of 300 units a day and arm, +10%", (9000, 495), (9000, 450), PLANNED_UNITS),
    ("one day of 300 units an arm, +30%", (300, 20), (300, 15), PLANNED_UNITS),
    ("a year of a large segment", (400000, 21000), (100000, 5000), PLANNED_UNITS),
    ("tuned for 1,000 units", (1000, 200), (1000, 150), 1000),
    ("tuned for 50,000 units", (1000, 200), (1000, 150), 50000),
    ("tuned for 50,000 units, at 50,000", (25000, 1400), (25000, 1250), 50000),
    ("too few holdout units", (1000, 100), (29, 10), PLANNED_UNITS),
    ("too few personalized conversions", (1000, 4), (500, 40), PLANNED_UNITS),
]


def main() -> None:
    vectors = []
    for name, (n1, x1), (n0, x0), planned in CASES:
        personalized, holdout = {"units": n1, "converted": x1}, {"units": n0, "converted": x0}
        vectors.append({
            "name": name,
            "personalized": personalized,
            "holdout": holdout,
            "plannedUnits": planned,
            "fixed": lift(personalized, holdout, "fixed"),
            "sequential": lift(personalized, holdout, "sequential", planned),
        })
    boundary = [
        {"units": t, "plannedUnits": planned, "rho": rho(planned), "multiplier": multiplier(t, planned)}
        for planned in (1000, PLANNED_UNITS, 50000)
        for t in (60, 200, 1000, 5000, 10000, 50000, 500000, 5000000)
    ]
    out = {
        "description": (
            "Lift of personalized over holdout with its 95% interval, as shared/measure/stats.ts liftOf computes it: "
            "log(p1/p0) +- m * sqrt(1/x1 - 1/n1 + 1/x0 - 1/n0), m = z_0.975 for 'fixed' and, for 'sequential', the "
            "half-width in standard errors of the two-sided normal-mixture confidence sequence after t = n1 + n0 units "
            "(Waudby-Smith et al., arXiv:2103.06476, eq. 9; rho by eq. 161 for plannedUnits), alpha 0.05; insufficient "
            "below 30 units or 5 conversions in an arm. boundary: m alone. Generated by scripts/sequential-vectors.py, "
            "which finds m from the mixture martingale by numerical integration and root finding, not the closed form."
        ),
        "generatedWith": f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}",
        "alpha": ALPHA,
        "boundary": boundary,
        "lift": vectors,
    }
    path = Path(__file__).resolve().parent.parent / "test" / "cases" / "sequential-lift.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}: {len(vectors)} lift vectors, {len(boundary)} boundary points")


if __name__ == "__main__":
    main()
