#!/usr/bin/env python3
"""Generate reference values for the AssayStats test suite.

Usage:
    pip install scipy statsmodels mpmath
    python3 scripts/stats-reference/make_reference.py \
        > Tests/AssayStatsTests/Resources/reference.json

Every case is a function name, numeric arguments (`args`), optional arrays (`data`) and string
options (`options`), the expected values (`expected`, `null` where AssayStats returns nil) and a
tolerance: a value passes when |actual - expected| <= rtol * |expected| + atol.

Sources. SciPy and statsmodels are the reference for every case. For the continuous distribution
functions the script also evaluates each case with mpmath at 50 significant digits and, where SciPy
itself is less accurate than 1e-11 relative (some extreme tails of t, beta and chi-square), uses the
mpmath value; such cases carry "source": "mpmath" and the SciPy value in "scipy". Values below 1e-300
are dropped (subnormal results have no relative accuracy in any implementation).

Tolerances. 1e-9 relative wherever the reference is exact (distribution functions, exact tests,
closed-form intervals, adjusted p-values, power from closed forms). Monte Carlo methods are not compared
value by value; the bootstrap cases compare against SciPy's bootstrap (a different random stream) with an
absolute tolerance of 5% of the interval width, and the Swift tests check their properties instead
(determinism under a seed, coverage).
"""

import json
import math
import sys
import warnings

import mpmath as mp
import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
)

warnings.simplefilter("ignore")
mp.mp.dps = 50

RTOL = 1e-9
TINY = 1e-300
cases = []


def num(x):
    """JSON-safe float: infinities as strings, NaN and None as null."""
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def add(name, args=(), expected=(), data=None, options=None, rtol=RTOL, atol=0.0, **extra):
    case = {
        "name": name,
        "args": [num(a) for a in args],
        "expected": [num(e) for e in expected],
        "rtol": rtol,
        "atol": atol,
    }
    if data is not None:
        case["data"] = [[float(v) for v in row] for row in data]
    if options is not None:
        case["options"] = list(options)
    case.update(extra)
    cases.append(case)


def usable(v):
    return v is not None and (v == 0 or abs(v) >= TINY) and not math.isnan(v)


def mp_safe(f, *args, **kwargs):
    """Evaluate an mpmath expression; None when mpmath cannot reach the requested precision."""
    try:
        return f(*args, **kwargs)
    except (ValueError, ZeroDivisionError, TypeError, mp.libmp.libhyper.NoConvergence):
        return None


def arbitrate(name, args, scipy_value, mp_value, atol=0.0):
    """Add a distribution case, preferring mpmath where SciPy is inaccurate."""
    s = float(scipy_value)
    if callable(mp_value):
        mp_value = mp_safe(mp_value)
    m = float(mp_value) if mp_value is not None else None
    if m is not None and not math.isinf(m) and abs(m) < TINY and m != 0:
        return
    if m is None:
        if usable(s):
            add(name, args, [s], atol=atol)
        return
    if math.isinf(m) or math.isinf(s):
        add(name, args, [m], atol=atol)
        return
    if abs(s - m) <= 1e-11 * abs(m) + atol:
        add(name, args, [s], atol=atol)
    else:
        add(name, args, [m], atol=atol, source="mpmath", scipy=num(s))


# ---------------------------------------------------------------- distributions (mpmath helpers)

def mp_tcdf(t, df):
    t = mp.mpf(t)
    df = mp.mpf(df)
    if t == 0:
        return mp.mpf("0.5")
    x = df / (df + t * t)
    tail = mp.betainc(df / 2, mp.mpf("0.5"), 0, x, regularized=True) / 2
    return tail if t < 0 else 1 - tail


def mp_tpdf(t, df):
    t = mp.mpf(t)
    df = mp.mpf(df)
    return mp.exp(mp.loggamma((df + 1) / 2) - mp.loggamma(df / 2)) / mp.sqrt(df * mp.pi) * (1 + t * t / df) ** (-(df + 1) / 2)


def mp_chi2(x, k, upper=False):
    a = mp.mpf(k) / 2
    x = mp.mpf(x) / 2
    if upper:
        return mp.gammainc(a, x, mp.inf, regularized=True)
    return mp.gammainc(a, 0, x, regularized=True)


def mp_chi2pdf(x, k):
    a = mp.mpf(k) / 2
    x = mp.mpf(x)
    return mp.exp((a - 1) * mp.log(x / 2) - x / 2 - mp.loggamma(a)) / 2


def mp_beta(x, a, b, upper=False):
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    if upper:
        # 1 - I_x(a, b) = I_{1-x}(b, a); 1 - x is exact in mpmath, so no cancellation.
        return mp.betainc(b, a, 0, 1 - x, regularized=True)
    return mp.betainc(a, b, 0, x, regularized=True)


def mp_betapdf(x, a, b):
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    return mp.exp((a - 1) * mp.log(x) + (b - 1) * mp.log1p(-x) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)))


def mp_invert(f_tail, target, start, positive=True):
    """Solve log f_tail(x) = log target from a good start (SciPy's answer)."""
    target = mp.mpf(target)
    if start == 0 or not math.isfinite(start):
        return None
    try:
        if positive:
            g = lambda u: mp.log(f_tail(mp.exp(u))) - mp.log(target)
            u = mp.findroot(g, mp.log(mp.mpf(abs(start))), tol=mp.mpf(10) ** -40)
            if not isinstance(u, mp.mpf) or abs(g(u)) > mp.mpf(10) ** -30:
                return None
            return mp.exp(u)
        g = lambda x: mp.log(f_tail(x)) - mp.log(target)
        x = mp.findroot(g, mp.mpf(start), tol=mp.mpf(10) ** -40)
        return x if isinstance(x, mp.mpf) and abs(g(x)) <= mp.mpf(10) ** -30 else None
    except (ValueError, ZeroDivisionError, TypeError, mp.libmp.libhyper.NoConvergence):
        return None


# ---------------------------------------------------------------- normal

for x in [-37, -30, -20, -10, -5, -3, -1.96, -1, -0.5, -1e-5, 0, 1e-10, 0.3, 1, 2.5, 5, 8.2, 10, 20, 30, 37]:
    arbitrate("normal.cdf", [x], stats.norm.cdf(x), mp.ncdf(x))
    arbitrate("normal.sf", [x], stats.norm.sf(x), mp.ncdf(-x))
    arbitrate("normal.pdf", [x], stats.norm.pdf(x), mp.npdf(x))
for x, mu, sd in [(3, 1, 2), (-4, 0, 0.5), (100, 90, 5)]:
    add("normal.cdf.scaled", [x, mu, sd], [stats.norm.cdf(x, mu, sd)])
    add("normal.pdf.scaled", [x, mu, sd], [stats.norm.pdf(x, mu, sd)])
    add("normal.ppf.scaled", [0.9, mu, sd], [stats.norm.ppf(0.9, mu, sd)])
NORMAL_P = [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 1e-3, 0.01, 0.02425, 0.025, 0.05, 0.1,
            0.25, 0.3, 0.4999, 0.5, 0.5001, 0.6, 0.75, 0.9, 0.975, 0.99, 0.999, 1 - 1e-10, 1 - 1e-15]
for p in NORMAL_P:
    s = stats.norm.ppf(p)
    if p == 0.5:
        add("normal.ppf", [p], [0.0], atol=1e-300)
        continue
    tail = mp.mpf(p) if p < 0.5 else 1 - mp.mpf(p)
    m = -mp_invert(lambda z: mp.ncdf(-z), tail, abs(s)) if p < 0.5 else mp_invert(lambda z: mp.ncdf(-z), tail, abs(s))
    arbitrate("normal.ppf", [p], s, m, atol=1e-15)
add("normal.ppf", [0], [-math.inf])
add("normal.ppf", [1], [math.inf])
add("normal.ppf", [1.5], [None])
add("normal.cdf", [math.inf], [1.0])
add("normal.cdf", [-math.inf], [0.0])
add("normal.pdf.scaled", [1, 0, 0], [None])
add("normal.pdf.scaled", [1, 0, -1], [None])

# ---------------------------------------------------------------- Student t

T_DF = [0.5, 1, 2, 3, 5, 10, 30, 100, 1000, 1e5, 2.5]
T_X = [-1e4, -100, -20, -5, -2, -1, -1e-3, 0, 1e-8, 0.5, 1.5, 3, 10, 50, 1e6]
for df in T_DF:
    for x in T_X:
        arbitrate("t.cdf", [x, df], stats.t.cdf(x, df), lambda: mp_tcdf(x, df))
        arbitrate("t.sf", [x, df], stats.t.sf(x, df), lambda: mp_tcdf(-x, df))
        arbitrate("t.pdf", [x, df], stats.t.pdf(x, df), lambda: mp_tpdf(x, df))
T_P = [1e-100, 1e-20, 1e-10, 1e-5, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.4999, 0.5,
       0.6, 0.75, 0.9, 0.975, 0.999, 1 - 1e-10]
for df in T_DF:
    for p in T_P:
        s = stats.t.ppf(p, df)
        if p == 0.5:
            add("t.ppf", [p, df], [0.0], atol=1e-300)
            continue
        tail = mp.mpf(p) if p < 0.5 else 1 - mp.mpf(p)
        r = mp_invert(lambda t: mp_tcdf(-t, df), tail, abs(s))
        m = None if r is None else (-r if p < 0.5 else r)
        arbitrate("t.ppf", [p, df], s, m)
add("t.ppf", [0.975, math.inf], [stats.norm.ppf(0.975)])
add("t.cdf", [1.0, 0], [None])
add("t.ppf", [-0.1, 3], [None])

# ---------------------------------------------------------------- chi-square

CHI_DF = [0.5, 1, 2, 3, 5, 10, 50, 100, 1000, 1e4, 1e5]
for k in CHI_DF:
    xs = sorted(set([1e-10, 1e-3, 3.84, 100, 500] + [k * f for f in (1e-6, 0.01, 0.1, 0.5, 0.9, 1, 1.1, 2, 5)]))
    for x in xs:
        arbitrate("chi2.cdf", [x, k], stats.chi2.cdf(x, k), lambda: mp_chi2(x, k))
        arbitrate("chi2.sf", [x, k], stats.chi2.sf(x, k), lambda: mp_chi2(x, k, upper=True))
        arbitrate("chi2.pdf", [x, k], stats.chi2.pdf(x, k), lambda: mp_chi2pdf(x, k))
CHI_P = [1e-100, 1e-10, 1e-5, 1e-3, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1 - 1e-10]
for k in CHI_DF:
    for p in CHI_P:
        s = stats.chi2.ppf(p, k)
        if s < TINY:
            continue  # the quantile underflows double precision
        if p < 0.5:
            m = mp_invert(lambda x: mp_chi2(x, k), p, s)
        else:
            m = mp_invert(lambda x: mp_chi2(x, k, upper=True), 1 - mp.mpf(p), s)
        arbitrate("chi2.ppf", [p, k], s, m)
    for q in [1e-100, 1e-20, 1e-5, 0.05]:
        s = stats.chi2.isf(q, k)
        m = mp_invert(lambda x: mp_chi2(x, k, upper=True), q, s)
        arbitrate("chi2.isf", [q, k], s, m)
add("chi2.ppf", [0, 3], [0.0])
add("chi2.ppf", [1, 3], [math.inf])
add("chi2.cdf", [1, -1], [None])

# ---------------------------------------------------------------- beta

BETA_AB = [(0.5, 0.5), (1, 1), (2, 3), (0.1, 10), (10, 0.1), (5, 50), (50, 5), (100, 100), (1000, 2000),
           (1e4, 1e4), (1e5, 3e5), (0.05, 0.05), (3, 1e5), (25, 0.5)]
for a, b in BETA_AB:
    mean = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    xs = [1e-10, 1e-5, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-8]
    xs += [mean + f * sd for f in (-8, -3, -1, 0, 1, 3, 8)]
    xs = sorted(set(x for x in xs if 0 < x < 1))
    for x in xs:
        arbitrate("beta.cdf", [x, a, b], stats.beta.cdf(x, a, b), lambda: mp_beta(x, a, b))
        arbitrate("beta.sf", [x, a, b], stats.beta.sf(x, a, b), lambda: mp_beta(x, a, b, upper=True))
        arbitrate("beta.pdf", [x, a, b], stats.beta.pdf(x, a, b), lambda: mp_betapdf(x, a, b))
    for p in [1e-100, 1e-10, 1e-5, 1e-3, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999]:
        s = stats.beta.ppf(p, a, b)
        if not (0 < s < 1) or s < TINY:
            continue
        if p <= 0.5:
            m = mp_invert(lambda x: mp_beta(x, a, b), p, s)
        else:
            m = mp_invert(lambda x: mp_beta(x, a, b, upper=True), 1 - mp.mpf(p), s)
        arbitrate("beta.ppf", [p, a, b], s, m)
    for q in [1e-20, 1e-5, 0.025]:
        s = stats.beta.isf(q, a, b)
        if not (0 < s < 1):
            continue
        m = mp_invert(lambda x: mp_beta(x, a, b, upper=True), q, s)
        arbitrate("beta.isf", [q, a, b], s, m)
add("beta.ppf", [0, 2, 3], [0.0])
add("beta.ppf", [1, 2, 3], [1.0])
add("beta.cdf", [0.5, 0, 3], [None])
add("beta.cdf", [-0.5, 2, 3], [0.0])
add("beta.cdf", [1.5, 2, 3], [1.0])

# ---------------------------------------------------------------- binomial


def mp_binom_sf(k, n, p):
    if k < 0:
        return mp.mpf(1)
    if k >= n:
        return mp.mpf(0)
    return mp.betainc(k + 1, n - k, 0, mp.mpf(p), regularized=True)


def mp_binom_cdf(k, n, p):
    if k < 0:
        return mp.mpf(0)
    if k >= n:
        return mp.mpf(1)
    return mp.betainc(n - k, k + 1, 0, 1 - mp.mpf(p), regularized=True)


for n in [0, 1, 10, 50, 100, 1000, 100000]:
    for p in [0, 0.001, 0.1, 0.5, 0.9, 0.999, 1]:
        mean = n * p
        ks = sorted(set(k for k in [0, 1, n // 4, n // 2, int(mean), int(mean) + 1, n - 1, n] if 0 <= k <= n))
        for k in ks:
            pmf = stats.binom.pmf(k, n, p)
            mp_pmf = mp.binomial(n, k) * mp.mpf(p) ** k * (1 - mp.mpf(p)) ** (n - k) if 0 < p < 1 else None
            arbitrate("binom.pmf", [k, n, p], pmf, mp_pmf)
            mp_cdf = mp_safe(mp_binom_cdf, k, n, p) if 0 < p < 1 else None
            arbitrate("binom.cdf", [k, n, p], stats.binom.cdf(k, n, p), mp_cdf)
            arbitrate("binom.sf", [k, n, p], stats.binom.sf(k, n, p),
                      mp_safe(mp_binom_sf, k, n, p) if 0 < p < 1 else None)
        if n > 0 and 0 < p < 1:
            for q in [0.001, 0.025, 0.3, 0.5, 0.975, 0.999]:
                add("binom.ppf", [q, n, p], [stats.binom.ppf(q, n, p)], rtol=0)
add("binom.pmf", [1, -1, 0.5], [None])
add("binom.pmf", [1, 5, 1.5], [None])
add("binom.ppf", [0, 10, 0.3], [0.0], rtol=0)
add("binom.ppf", [1, 10, 0.3], [10.0], rtol=0)

# ---------------------------------------------------------------- binomial intervals

for x, n in [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (5, 10), (57, 100), (1, 1000), (999, 1000),
             (0, 1000), (450, 500), (5000, 10000), (2, 7), (123456, 200000)]:
    for level in [0.8, 0.9, 0.95, 0.99, 0.999]:
        alpha = 1 - level
        lo, hi = proportion_confint(x, n, alpha, method="wilson")
        add("wilson", [x, n, level], [max(lo, 0.0), min(hi, 1.0)], atol=1e-15)
        lo, hi = proportion_confint(x, n, alpha, method="beta")
        add("clopper", [x, n, level], [lo, hi], atol=1e-300)
add("wilson", [0, 0, 0.95], [0.0, 1.0])
add("clopper", [0, 0, 0.95], [0.0, 1.0])
for x1, n1, x2, n2 in [(30, 50, 20, 45), (0, 10, 0, 10), (10, 10, 0, 10), (95, 100, 90, 100), (1, 20, 5, 20),
                       (500, 1000, 480, 1000), (7, 7, 3, 9), (0, 0, 3, 5)]:
    for level in [0.9, 0.95, 0.99]:
        if n1 == 0:
            # statsmodels rejects empty groups; AssayStats applies the same formula (adjusted estimate 1/2).
            p1, p2 = 0.5, (x2 + 1) / (n2 + 2)
            z = stats.norm.isf((1 - level) / 2)
            se = math.sqrt(p1 * (1 - p1) / 2 + p2 * (1 - p2) / (n2 + 2))
            lo, hi = p1 - p2 - z * se, p1 - p2 + z * se
        else:
            lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="agresti-caffo", compare="diff", alpha=1 - level)
        add("agresti", [x1, n1, x2, n2, level], [max(lo, -1.0), min(hi, 1.0)], atol=1e-15)

# ---------------------------------------------------------------- percentiles and summaries

rng = np.random.default_rng(20240601)
SAMPLES = [
    [3, 1, 4, 1, 5, 9, 2, 6],
    [42.0],
    [2, 2, 2, 2],
    list(rng.normal(100, 15, 37)),
    list(rng.exponential(0.3, 101)),
    [-5, 1e-3, 7, -2.5, 0, 0, 11],
]
for values in SAMPLES:
    ps = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]
    add("percentile.linear", [], list(np.percentile(values, [100 * p for p in ps])), data=[values, ps], atol=1e-12)
    add("percentile.nearest", [], list(np.percentile(values, [100 * p for p in ps], method="inverted_cdf")),
        data=[values, ps], rtol=0)
    add("summary.mean", [], [np.mean(values)], data=[values], atol=1e-12)
    add("summary.median", [], [np.median(values)], data=[values], atol=1e-12)
    if len(values) >= 2:
        add("summary.variance", [], [np.var(values, ddof=1)], data=[values], atol=1e-12)
        add("summary.sd", [], [np.std(values, ddof=1)], data=[values], atol=1e-12)
        add("summary.sem", [], [stats.sem(values)], data=[values], atol=1e-12)
add("summary.mean", [], [None], data=[[]])
add("summary.variance", [], [None], data=[[1.0]])
add("summary.mean", [], [1e9 + 0.5], data=[[1e9 + 0.1, 1e9 + 0.9, 1e9 + 0.5]], atol=1e-6)

# ---------------------------------------------------------------- McNemar

for b, c in [(0, 0), (0, 1), (1, 0), (5, 5), (3, 12), (12, 3), (10, 20), (25, 10), (0, 30), (100, 130),
             (400, 450), (7, 8), (1000, 1100), (2, 9)]:
    table = [[50, b], [c, 50]]
    r = mcnemar(table, exact=True)
    add("mcnemar.exact", [b, c], [r.statistic, min(r.pvalue, 1.0)])
    if b + c > 0 and b != c:
        r = mcnemar(table, exact=False, correction=True)
        add("mcnemar.chi2", [b, c], [r.statistic, r.pvalue])
    r = mcnemar(table, exact=False, correction=False) if b + c > 0 else None
    if r is not None:
        add("mcnemar.chi2.nocc", [b, c], [r.statistic, r.pvalue])
add("mcnemar.chi2", [0, 0], [0.0, 1.0])
add("mcnemar.chi2", [5, 5], [0.0, 1.0])  # statsmodels: (0 - 1)^2 / 10; AssayStats clamps at 0.
add("mcnemar.chi2", [5, 6], [0.0, 1.0])
add("mcnemar.exact", [-1, 3], [None, None])

# ---------------------------------------------------------------- Wilcoxon signed-rank

WILCOXON = [
    ("no ties n=8", [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06], [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14]),
    ("no ties n=20", list(rng.normal(0.3, 1, 20)), list(rng.normal(0, 1, 20))),
    ("no ties n=50", list(rng.normal(0.2, 1, 50)), list(rng.normal(0, 1, 50))),
    ("n=60 approx", list(rng.normal(0.2, 1, 60)), list(rng.normal(0, 1, 60))),
    ("ties n=10", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 0, 1, 1, 4, 4, 9, 5, 6, 7]),
    ("zeros n=12", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 2, 3, 6, 6, 5, 9, 7, 10, 8, 15]),
    ("ties n=30", [float(v) for v in rng.integers(0, 5, 30)], [float(v) for v in rng.integers(0, 5, 30)]),
    ("scores n=200", [float(v) for v in rng.integers(0, 11, 200)], [float(v) for v in rng.integers(1, 11, 200)]),
    ("all positive n=6", [2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1.5]),
]
for label, x, y in WILCOXON:
    d = np.asarray(x) - np.asarray(y)
    for alternative in ["two-sided", "less", "greater"]:
        r = stats.wilcoxon(x, y, zero_method="wilcox", correction=True, alternative=alternative, method="auto")
        add("wilcoxon.auto", [], [r.statistic, r.pvalue], data=[x, y], options=[alternative], label=label)
        r = stats.wilcoxon(x, y, zero_method="wilcox", correction=True, alternative=alternative, method="asymptotic")
        add("wilcoxon.approx", [], [r.statistic, r.pvalue], data=[x, y], options=[alternative], label=label)
        if len(d) <= 50 and len(np.unique(np.abs(d[d != 0]))) == np.count_nonzero(d) and np.all(d != 0):
            r = stats.wilcoxon(x, y, alternative=alternative, method="exact")
            add("wilcoxon.exact", [], [r.statistic, r.pvalue], data=[x, y], options=[alternative], label=label)
add("wilcoxon.auto", [], [0.0, 1.0], data=[[1, 2, 3], [1, 2, 3]], options=["two-sided"], label="all zero")

# ---------------------------------------------------------------- paired permutation (exact)

PERM = [
    ([0.9, 0.7, 0.8, 0.95, 0.6, 0.75, 0.85, 0.9], [0.8, 0.72, 0.6, 0.9, 0.65, 0.7, 0.7, 0.88]),
    ([1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1], [0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1]),
    (list(rng.normal(0.1, 1, 15)), list(rng.normal(0, 1, 15))),
    ([3, 4, 5, 6], [3, 4, 5, 6]),
    ([5, 1, 4], [1, 2, 3]),
]
for x, y in PERM:
    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    for alternative in ["two-sided", "less", "greater"]:
        if np.all(d == 0):
            p = 1.0
        else:
            r = stats.permutation_test((d,), lambda v, axis: np.mean(v, axis=axis), permutation_type="samples",
                                       alternative=alternative, n_resamples=np.inf, vectorized=True)
            p = r.pvalue
        add("permutation.exact", [], [np.mean(d), p], data=[x, y], options=[alternative])

# ---------------------------------------------------------------- multiple comparisons

PVALS = [
    [0.01, 0.04, 0.03, 0.005],
    [0.2, 0.01, 0.5, 0.04, 0.001, 0.03, 0.9, 0.049],
    [0.05],
    [1.0, 1.0, 0.0],
    [0.02, 0.02, 0.02],
    list(rng.uniform(0, 0.2, 25)),
]
for pv in PVALS:
    add("holm", [], multipletests(pv, method="holm")[1], data=[pv], atol=1e-15)
    add("bh", [], multipletests(pv, method="fdr_bh")[1], data=[pv], atol=1e-15)
add("holm", [], [], data=[[]])

# ---------------------------------------------------------------- correlation

CORR = [
    ([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]),
    (list(rng.normal(0, 1, 40)), None),
    ([1, 1, 2, 2, 3, 3, 4], [1, 2, 1, 3, 3, 4, 4]),
    ([0.1, 0.2, 0.3, 0.4], [4, 3, 2, 1]),
    ([1, 2, 2, 2, 5, 6, 6, 8, 9, 9], [1, 1, 1, 3, 3, 4, 6, 6, 6, 9]),
    (list(rng.integers(0, 4, 300).astype(float)), list(rng.integers(0, 6, 300).astype(float))),
]
for x, y in CORR:
    if y is None:
        y = list(np.asarray(x) * 0.5 + rng.normal(0, 1, len(x)))
    add("pearson", [], [stats.pearsonr(x, y)[0]], data=[x, y], atol=1e-14)
    add("spearman", [], [stats.spearmanr(x, y)[0]], data=[x, y], atol=1e-14)
    add("kendall", [], [stats.kendalltau(x, y)[0]], data=[x, y], atol=1e-14)
for name in ["pearson", "spearman", "kendall"]:
    add(name, [], [None], data=[[1, 1, 1], [1, 2, 3]])
    add(name, [], [None], data=[[1], [2]])

# ---------------------------------------------------------------- agreement (statsmodels cohens_kappa)

KAPPA = [
    [[20, 5], [10, 15]],
    [[45, 15], [25, 15]],
    [[88, 14], [10, 40]],
    [[5, 0], [0, 5]],
    [[12, 3, 1], [2, 20, 4], [0, 5, 18]],
    [[30, 2], [28, 40]],
    [[1, 9], [9, 1]],
]
for table in KAPPA:
    r = cohens_kappa(np.asarray(table))
    z = stats.norm.ppf(0.975)
    lo, hi = max(-1.0, r.kappa - z * r.std_kappa), min(1.0, r.kappa + z * r.std_kappa)
    add("kappa", [], [r.kappa, r.std_kappa, lo, hi], data=[list(map(float, row)) for row in table], atol=1e-13)
add("kappa", [], [None, None, None, None], data=[[3.0, 0.0], [0.0, 0.0]])

# ---------------------------------------------------------------- power (statsmodels NormalIndPower)

power_solver = NormalIndPower()


def solve_n(effect, alpha, target, ratio, alternative):
    """Continuous n from statsmodels' power function, solved to full precision."""
    from scipy.optimize import brentq
    f = lambda n: power_solver.power(effect, n, alpha, ratio=ratio, alternative=alternative) - target
    return brentq(f, 1e-6, 1e9, xtol=1e-14, rtol=1e-15, maxiter=500)


SIDES = {"twoSided": "two-sided", "oneSided": "larger"}
for p1, p2 in [(0.8, 0.7), (0.5, 0.6), (0.95, 0.9), (0.3, 0.25), (0.99, 0.97), (0.1, 0.3)]:
    h = abs(proportion_effectsize(p1, p2))
    for side, alt in SIDES.items():
        for alpha in [0.05, 0.01]:
            for n in [10, 100, 1000]:
                add("power.two", [p1, p2, n, alpha], [power_solver.power(h, n, alpha, ratio=1, alternative=alt)],
                    options=[side])
            for target in [0.8, 0.9]:
                n = solve_n(h, alpha, target, 1, alt)
                add("power.two.n", [p1, p2, alpha, target], [n, math.ceil(n)], options=[side], rtol=1e-9)
                if side == "twoSided":
                    # MDE for a decrease from p1 with the planned n per group (ceil), by the same equation.
                    nn = math.ceil(n)
                    from scipy.optimize import brentq
                    f = lambda q: power_solver.power(abs(proportion_effectsize(p1, q)), nn, alpha, ratio=1,
                                                     alternative=alt) - target
                    lo = 1e-12 if p1 > 0.5 else 0.0
                    q = brentq(f, 0.0, p1 - 1e-12, xtol=1e-15) if p1 > p2 else None
                    if q is not None:
                        add("power.two.mde", [p1, nn, alpha, target], [p1 - q], options=[side, "decrease"], rtol=1e-8)
    for side, alt in SIDES.items():
        for n in [20, 200]:
            add("power.one", [p1, p2, n, 0.05], [power_solver.power(h, n, 0.05, ratio=0, alternative=alt)],
                options=[side])
        n = solve_n(h, 0.05, 0.8, 0, alt)
        add("power.one.n", [p1, p2, 0.05, 0.8], [n, math.ceil(n)], options=[side])


# Paired proportions: Connor (1987) closed form, and the exact power of the exact McNemar test.
def connor_n(p10, p01, alpha, target, two_sided):
    psi, delta = p10 + p01, abs(p10 - p01)
    z = stats.norm.isf(alpha / 2 if two_sided else alpha)
    zb = stats.norm.ppf(target)
    return (z * math.sqrt(psi) + zb * math.sqrt(psi - delta ** 2)) ** 2 / delta ** 2


def connor_power(p10, p01, n, alpha, two_sided):
    psi, delta = p10 + p01, abs(p10 - p01)
    z = stats.norm.isf(alpha / 2 if two_sided else alpha)
    return stats.norm.cdf((delta * math.sqrt(n) - z * math.sqrt(psi)) / math.sqrt(psi - delta ** 2))


def exact_power(p10, p01, n, alpha, two_sided):
    psi = p10 + p01
    small = min(p10, p01) / psi
    level = alpha / 2 if two_sided else alpha
    total = 0.0
    for m in range(0, n + 1):
        ks = np.arange(0, m)
        cdf = stats.binom.cdf(ks, m, 0.5)
        ok = ks[cdf <= level]
        if len(ok) == 0:
            continue
        k = int(ok.max())
        reject = stats.binom.cdf(k, m, small)
        if two_sided:
            reject += stats.binom.cdf(k, m, 1 - small)
        total += stats.binom.pmf(m, n, psi) * reject
    return min(total, 1.0)


def exact_n(p10, p01, alpha, target, two_sided):
    lo, hi = 0, max(1, math.ceil(connor_n(p10, p01, alpha, target, two_sided)))
    while exact_power(p10, p01, hi, alpha, two_sided) < target:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = lo + (hi - lo) // 2
        if exact_power(p10, p01, mid, alpha, two_sided) >= target:
            hi = mid
        else:
            lo = mid
    return hi


for p10, p01 in [(0.15, 0.05), (0.05, 0.15), (0.2, 0.1), (0.08, 0.02), (0.3, 0.25)]:
    for side in ["twoSided", "oneSided"]:
        two = side == "twoSided"
        for n in [50, 150, 400]:
            add("power.paired.connor", [p10, p01, n, 0.05], [connor_power(p10, p01, n, 0.05, two)], options=[side])
            add("power.paired.exact", [p10, p01, n, 0.05], [exact_power(p10, p01, n, 0.05, two)], options=[side])
        cn = connor_n(p10, p01, 0.05, 0.8, two)
        add("power.paired.connor.n", [p10, p01, 0.05, 0.8], [math.ceil(cn)], options=[side], rtol=0)
        if p10 + p01 <= 0.3 or not two:
            add("power.paired.exact.n", [p10, p01, 0.05, 0.8], [exact_n(p10, p01, 0.05, 0.8, two)], options=[side],
                rtol=0)

# ---------------------------------------------------------------- bootstrap vs SciPy (loose)

BOOT = [
    list(rng.normal(0.7, 0.2, 40)),
    list(rng.exponential(1.0, 60)),
]
for values in BOOT:
    for method, name in [("percentile", "bootstrap.percentile"), ("BCa", "bootstrap.bca")]:
        r = stats.bootstrap((values,), np.mean, confidence_level=0.95, n_resamples=50000, method=method,
                            random_state=np.random.default_rng(7))
        lo, hi = r.confidence_interval
        add(name, [], [lo, hi], data=[values], rtol=0, atol=0.05 * (hi - lo))

json.dump(
    {
        "generator": "scripts/stats-reference/make_reference.py",
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
            "mpmath": mp.__version__,
        },
        "cases": cases,
    },
    sys.stdout,
    indent=None,
    separators=(",", ":"),
)
sys.stdout.write("\n")
print(f"{len(cases)} cases, {sum(1 for c in cases if c.get('source') == 'mpmath')} arbitrated by mpmath",
      file=sys.stderr)
