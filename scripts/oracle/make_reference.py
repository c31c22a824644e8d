#!/usr/bin/env python3
"""Reference values for hotswap's statistics, from scipy / numpy / statsmodels (an independent implementation).

Dev-time only (not run in CI): the JSON files it writes under test/fixtures/oracle/ are committed and the
TypeScript tests compare against them. Re-run after changing a case:

    python3 -m venv /tmp/stats-oracle-venv
    /tmp/stats-oracle-venv/bin/pip install scipy numpy statsmodels
    /tmp/stats-oracle-venv/bin/python scripts/oracle/make_reference.py

Every file records the library versions and this command. Random cases use numpy's seeded Generator, so
the output is reproducible with the same numpy version.
"""
import itertools
import json
import math
import os
import sys
from fractions import Fraction

import numpy as np
import scipy
import statsmodels
from scipy import integrate, optimize, special, stats
from statsmodels.stats.multitest import multipletests

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'oracle')
COMMAND = 'python scripts/oracle/make_reference.py'
META = {
    'generator': 'scripts/oracle/make_reference.py',
    'command': COMMAND,
    'python': sys.version.split()[0],
    'numpy': np.__version__,
    'scipy': scipy.__version__,
    'statsmodels': statsmodels.__version__,
}
rng = np.random.default_rng(20261121)


def fnum(x):
    """JSON has no inf/nan: encode them as strings the tests decode."""
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def write(name, cases, note):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump({'meta': {**META, 'note': note}, 'cases': cases}, f, indent=1)
        f.write('\n')
    print(f'{name}: {len(cases)} cases')


def samples():
    """Named sample pairs: small/large n, ties, equal samples, heavy tails, extreme separation."""
    lognormal = lambda n, mu=0.0, s=0.5: list(np.round(np.exp(rng.normal(mu, s, n)), 6))
    yield 'n3-vs-4-separated', [1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]
    yield 'n5-overlap', [1.1, 2.3, 3.5, 4.2, 5.9], [2.0, 3.1, 4.4, 6.0, 7.2]
    yield 'n8-vs-8-no-ties', lognormal(8), lognormal(8, 0.3)
    yield 'n8-vs-30-no-ties', lognormal(8), lognormal(30, 0.2)
    yield 'n9-vs-9-asymptotic', lognormal(9), lognormal(9, 0.4)
    yield 'n10-vs-10-runs', lognormal(10, 3.0, 0.05), lognormal(10, 3.1, 0.05)
    yield 'n5-with-ties', [1.0, 2.0, 2.0, 3.0, 4.0], [2.0, 3.0, 3.0, 5.0, 6.0]
    yield 'n20-many-ties', list(rng.integers(0, 5, 20).astype(float)), list(rng.integers(1, 6, 20).astype(float))
    yield 'equal-samples', [5.0, 6.0, 7.0, 8.0, 9.0], [5.0, 6.0, 7.0, 8.0, 9.0]
    yield 'all-tied', [3.0] * 6, [3.0] * 7
    yield 'n1-vs-1', [1.0], [2.0]
    yield 'n2-vs-7', [10.0, 11.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 12.0]
    yield 'n200-vs-200-shift', lognormal(200), lognormal(200, 0.1)
    yield 'n1000-vs-1500-extreme-p', lognormal(1000), lognormal(1500, 1.0)
    yield 'n50-vs-40-heavy-tail', list(np.round(rng.pareto(1.5, 50) + 1, 6)), list(np.round(rng.pareto(1.5, 40) + 1, 6))
    yield 'n6-vs-6-constant-offsets', [100.0, 101.0, 102.0, 103.0, 104.0, 105.0], [100.5, 101.5, 102.5, 103.5, 104.5, 130.0]


def mann_whitney_cases():
    cases = []
    for name, a, b in samples():
        a_arr, b_arr = np.array(a), np.array(b)
        ties = len(np.unique(np.concatenate([a_arr, b_arr]))) < len(a) + len(b)
        method = 'asymptotic' if (len(a) > 8 and len(b) > 8) or ties else 'exact'
        r = stats.mannwhitneyu(a_arr, b_arr, alternative='two-sided', method='auto')
        case = {'name': name, 'a': a, 'b': b, 'u': fnum(r.statistic), 'p': fnum(r.pvalue), 'method': method}
        if not ties and max(len(a), len(b)) <= 50:
            case['pExact'] = fnum(stats.mannwhitneyu(a_arr, b_arr, method='exact').pvalue)
        if ties and max(len(a), len(b)) <= 50:
            case['pExactTies'] = fnum(exact_tied_p(a, b)[0])
        case['pAsymptotic'] = fnum(stats.mannwhitneyu(a_arr, b_arr, method='asymptotic').pvalue)
        cases.append(case)
    write('mann-whitney.json', cases, "scipy.stats.mannwhitneyu(a, b, alternative='two-sided', method='auto'|'exact'|'asymptotic'), use_continuity=True; method = scipy's auto choice; pExactTies = the exact tie-aware p (see mann-whitney-ties.json)")


def welch_cases():
    cases = []
    for name, a, b in samples():
        if len(a) < 2 or len(b) < 2:
            continue
        r = stats.ttest_ind(np.array(a), np.array(b), equal_var=False)
        cases.append({'name': name, 'a': a, 'b': b, 't': fnum(r.statistic), 'df': fnum(r.df), 'p': fnum(r.pvalue)})
    write('welch.json', cases, 'scipy.stats.ttest_ind(a, b, equal_var=False): t of mean(a) - mean(b), Welch-Satterthwaite df, two-sided p')


def effect_size_cases():
    cases = []
    for name, a, b in samples():
        a_arr, b_arr = np.array(a), np.array(b)
        diff = (b_arr[None, :] - a_arr[:, None]).ravel()
        cliff = (np.sum(b_arr[None, :] > a_arr[:, None]) - np.sum(b_arr[None, :] < a_arr[:, None])) / (len(a) * len(b))
        cases.append({'name': name, 'a': a, 'b': b, 'hodgesLehmann': fnum(np.median(diff)), 'cliffsDelta': fnum(cliff)})
    write('effect-sizes.json', cases, 'Hodges-Lehmann = numpy.median(b[j] - a[i] over all pairs); Cliff delta = (#(b>a) - #(b<a))/(n m) by numpy broadcasting')


def quantile_cases():
    cases = []
    probs = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]
    data = {
        'n1': [42.0],
        'n2': [1.0, 3.0],
        'n5': [3.0, 6.0, 7.0, 8.0, 8.0],
        'n11-ties': [3.0, 6.0, 7.0, 8.0, 8.0, 9.0, 10.0, 13.0, 15.0, 16.0, 20.0],
        'n1000-lognormal': sorted(np.round(np.exp(rng.normal(3, 0.6, 1000)), 6).tolist()),
        'n10007-latency-like': sorted(np.round(np.exp(rng.normal(1.5, 0.9, 10007)), 4).tolist()),
    }
    for name, xs in data.items():
        cases.append({'name': name, 'sorted': xs, 'p': probs, 'q': [fnum(np.quantile(np.array(xs), p, method='linear')) for p in probs]})
    write('quantile.json', cases, "numpy.quantile(x, p, method='linear') (Hyndman-Fan type 7)")


def ci_ranks(n, p, level):
    """1-based ranks r, s with r = max{r: F(r-1) <= a/2}, s = min{s: F(s-1) >= 1-a/2}, F = Binomial(n, p) CDF."""
    half = (1 - level) / 2
    ks = np.arange(-1, n + 1)
    cdf = stats.binom.cdf(ks, n, p)
    sf = stats.binom.sf(ks, n, p)  # P(B > k) without cancellation
    r = int(ks[cdf <= half].max()) + 1
    s = int(ks[sf <= half].min()) + 1
    return r, s


def quantile_ci_cases():
    cases = []
    for n in [1, 5, 10, 20, 59, 100, 299, 1000, 4603, 20000, 100000]:
        for p in [0.5, 0.9, 0.95, 0.99, 0.999]:
            for level in [0.95, 0.99]:
                r, s = ci_ranks(n, p, level)
                cov = stats.binom.cdf(s - 1, n, p) - (stats.binom.cdf(r - 1, n, p) if r >= 1 else 0.0)
                cases.append({'n': n, 'p': p, 'level': level, 'lowerRank': r, 'upperRank': s, 'coverage': fnum(cov)})
    binom = []
    for n, p in [(10, 0.5), (100, 0.99), (1000, 0.999), (100000, 0.5), (100000, 0.99)]:
        for k in sorted({0, 1, n // 10, n // 2, int(n * p) - 1, int(n * p), int(n * p) + 1, n - 2, n - 1}):
            if 0 <= k <= n:
                binom.append({'n': n, 'p': p, 'k': k, 'cdf': fnum(stats.binom.cdf(k, n, p)), 'sfFrom': fnum(stats.binom.sf(k - 1, n, p))})
    write('quantile-ci.json', {'ranks': cases, 'binomial': binom}, 'ranks from scipy.stats.binom.cdf/sf by exhaustive search; 0 and n+1 mean unbounded; binomial: cdf = P(B<=k), sfFrom = P(B>=k)')


def k6_csv_latencies(path):
    """Response latencies of a k6 CSV as `hotswap stats summarize` reads them: http_req_duration rows, status != 0."""
    import csv
    with open(path, newline='') as f:
        return [float(r['metric_value']) for r in csv.DictReader(f) if r['metric_name'] == 'http_req_duration' and r['status'] not in ('', '0')]


def min_n_bounded(p, level=0.95):
    """Smallest n whose order-statistic CI (ci_ranks) is bounded on both sides, by search over n."""
    n = 1
    while True:
        r, s = ci_ranks(n, p, level)
        if r >= 1 and s <= n:
            return n
        n += 1


def summarize_cases():
    """`stats summarize` figures: type-7 estimate, the scipy order-statistic CI, that CI widened to hold the estimate."""
    probs = [0.5, 0.9, 0.95, 0.99, 0.999]
    mins = {str(p): min_n_bounded(p) for p in probs}
    data = {'k6-small-csv': k6_csv_latencies(os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'k6', 'small.csv'))}
    own = np.random.default_rng(20261201)  # its own generator: the other files' cases stay as they were
    for n in [2, 10, 21, 25, 26, 36, 100, 367, 368, 3687, 3688]:
        data[f'lognormal-n{n}'] = np.round(np.exp(own.normal(2, 0.8, n)), 4).tolist()
    cases = []
    for name, xs in data.items():
        x = np.sort(np.array(xs))
        n = len(x)
        rows = []
        for p in probs:
            est = float(np.quantile(x, p, method='linear'))
            r, s = ci_ranks(n, p, 0.95)
            lo = None if r == 0 else float(x[r - 1])
            hi = None if s == n + 1 else float(x[s - 1])
            rows.append({'p': p, 'estimate': est, 'ci': [lo, hi],
                         'shown': [None if lo is None else min(lo, est), None if hi is None else max(hi, est)],
                         'tooFew': n < mins[str(p)]})
        cases.append({'name': name, 'values': xs, 'rows': rows})
    write('summarize.json', {'minValues': mins, 'samples': cases},
          "estimate = numpy.quantile(method='linear'); ci = order statistics X_(r), X_(s) with r, s from scipy.stats.binom (ci_ranks), null unbounded; shown = ci widened to contain the estimate; tooFew = n below the smallest n whose CI is bounded on both sides (searched with ci_ranks)")


def distribution_cases():
    zs = [-38.0, -37.5, -30.0, -20.0, -10.0, -8.0, -5.0, -3.0, -1.96, -1.0, -0.5, -1e-5, 0.0, 1e-5, 0.3, 1.0, 1.6448536269514722, 2.5, 5.0, 8.0, 10.0, 20.0, 37.0]
    normal = [{'z': z, 'cdf': fnum(stats.norm.cdf(z)), 'sf': fnum(stats.norm.sf(z)), 'erfc': fnum(special.erfc(z / math.sqrt(2)))} for z in zs]
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.05, 0.3, 0.5, 0.7, 0.95, 0.975, 0.999, 1 - 1e-10]
    ppf = [{'p': p, 'q': fnum(stats.norm.ppf(p))} for p in ps]
    t = []
    for df in [0.5, 1.0, 1.5, 2.0, 2.7, 3.0, 5.0, 7.3, 10.0, 17.95, 30.0, 100.0, 1000.0, 1e6]:
        for x in [-50.0, -10.0, -4.0, -2.0, -1.0, -0.1, 0.0, 0.1, 0.5, 1.0, 2.0, 2.5, 4.0, 10.0, 50.0, 1000.0]:
            t.append({'t': x, 'df': df, 'cdf': fnum(stats.t.cdf(x, df)), 'sf': fnum(stats.t.sf(x, df))})
    write('distributions.json', {'normal': normal, 'normalQuantile': ppf, 'studentT': t}, 'scipy.stats.norm.cdf/sf/ppf, scipy.special.erfc, scipy.stats.t.cdf/sf (non-integer df included)')


def holm_cases():
    sets = [
        [0.01, 0.04, 0.03, 0.2],
        [0.001, 0.001, 0.5, 0.049, 0.012],
        [0.9, 0.8, 0.7],
        [1e-12, 0.5, 0.0125, 0.0126, 0.025, 0.04, 0.2, 0.05],
        list(np.round(rng.uniform(0, 0.2, 15), 6)),
        [0.3],
    ]
    cases = [{'p': s, 'adjusted': [fnum(x) for x in multipletests(s, method='holm')[1]]} for s in sets]
    write('holm.json', cases, "statsmodels.stats.multitest.multipletests(p, method='holm')[1]")


def usl(n, lam, sigma, kappa):
    return lam * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))


def usl_cases():
    datasets = {
        'specsdm91': ([1, 18, 36, 72, 108, 144, 216], [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2]),
        'usl-coef-test': ([1, 2, 4, 6, 8, 10], [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557]),
    }
    loads = np.array([1, 2, 4, 8, 12, 16, 24, 32, 48, 64], dtype=float)
    truth = usl(loads, 950.0, 0.04, 0.0008)
    datasets['noisy-retrograde'] = (loads.tolist(), np.round(truth * (1 + rng.normal(0, 0.03, len(loads))), 3).tolist())
    amdahl = usl(loads, 120.0, 0.08, 0.0)
    datasets['noisy-amdahl'] = (loads.tolist(), np.round(amdahl * (1 + rng.normal(0, 0.02, len(loads))), 3).tolist())
    vus = np.array([10, 20, 40, 60, 80, 100, 150, 200], dtype=float)
    datasets['k6-vus-like'] = (vus.tolist(), np.round(usl(vus, 48.0, 0.015, 0.00004) * (1 + rng.normal(0, 0.02, len(vus))), 2).tolist())
    cases = []
    for name, (n, x) in datasets.items():
        n, x = np.array(n, dtype=float), np.array(x, dtype=float)
        best = None
        # Several starts; keep the lowest SSE (curve_fit is a local method).
        for s0, k0 in itertools.product([0.0, 0.01, 0.1, 0.5], [0.0, 1e-6, 1e-4, 1e-2]):
            lam0 = x[0] / n[0]
            try:
                popt, _ = optimize.curve_fit(usl, n, x, p0=[lam0, s0, k0], bounds=([0, 0, 0], [np.inf, 1, 1]),
                                             method='trf', ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=100000)
            except RuntimeError:
                continue
            sse = float(np.sum((x - usl(n, *popt)) ** 2))
            if best is None or sse < best[1]:
                best = (popt, sse)
        (lam, sigma, kappa), sse = best
        cases.append({'name': name, 'load': n.tolist(), 'throughput': x.tolist(), 'lambda': lam, 'sigma': sigma, 'kappa': kappa, 'sse': sse})
    write('usl.json', cases, "scipy.optimize.curve_fit(usl, N, X, bounds=([0,0,0],[inf,1,1]), method='trf', ftol=xtol=gtol=1e-15), best of 16 starts")


def erlang_c_direct(c, a):
    """C(c, a) from the textbook sum, in log space (scipy.special.gammaln / logsumexp)."""
    k = np.arange(c)
    log_terms = k * math.log(a) - special.gammaln(k + 1)
    log_last = c * math.log(a) - special.gammaln(c + 1) + math.log(c / (c - a))
    return math.exp(log_last - special.logsumexp(np.append(log_terms, log_last)))


def response_tail_numeric(c, lam, mu, t):
    """P(T > t) by numerical convolution: (1-C)e^{-mu t} + C [e^{-theta t} + int_0^t theta e^{-theta w} e^{-mu(t-w)} dw]."""
    cc = erlang_c_direct(c, lam / mu)
    theta = c * mu - lam
    integral, _ = integrate.quad(lambda w: theta * math.exp(-theta * w - mu * (t - w)), 0, t, epsabs=0, epsrel=1e-13, limit=200)
    return (1 - cc) * math.exp(-mu * t) + cc * (math.exp(-theta * t) + integral)


def erlang_cases():
    ec = []
    for c, a in [(1, 0.5), (2, 1.5), (10, 8.0), (10, 9.99), (50, 45.0), (100, 80.0), (1000, 950.0), (3, 0.01)]:
        ec.append({'servers': c, 'offeredLoad': a, 'erlangC': fnum(erlang_c_direct(c, a))})
    tails = []
    for c, lam, mu, t in [(2, 1.5, 1.0, 0.5), (10, 80.0, 10.0, 0.05), (10, 80.0, 10.0, 0.3), (5, 4.0, 1.0, 3.0), (4, 3.0, 1.0, 2.0), (30, 250.0, 10.0, 0.1)]:
        cc = erlang_c_direct(c, lam / mu)
        tails.append({'servers': c, 'arrivalRate': lam, 'serviceRate': mu, 't': t,
                      'wait': fnum(cc * math.exp(-(c * mu - lam) * t)), 'response': fnum(response_tail_numeric(c, lam, mu, t))})
    sizing = []
    for lam, mu, slo, e in [(100.0, 10.0, 0.02, 0.05), (100.0, 10.0, 0.5, 0.05), (1000.0, 25.0, 0.01, 0.01), (5.0, 1.0, 5.0, 0.1), (400.0, 50.0, 0.1, 0.02)]:
        for criterion in ['wait', 'response']:
            if criterion == 'response' and math.exp(-mu * slo) > e:
                continue  # unreachable: service alone exceeds the SLO too often
            c = int(math.floor(lam / mu)) + 1
            while True:
                prob = erlang_c_direct(c, lam / mu) * math.exp(-(c * mu - lam) * slo) if criterion == 'wait' else response_tail_numeric(c, lam, mu, slo)
                if prob <= e:
                    break
                c += 1
                if c > 100000:
                    break
            sizing.append({'arrivalRate': lam, 'serviceRate': mu, 'sloSeconds': slo, 'maxProbability': e, 'criterion': criterion, 'minServers': c, 'probability': fnum(prob)})
    write('erlang.json', {'erlangC': ec, 'tails': tails, 'minServers': sizing},
          'Erlang C by the textbook sum in log space (scipy.special.gammaln, logsumexp); response tail by scipy.integrate.quad convolution; minServers by linear scan')


def bootstrap_cases():
    cases = []
    for a, b in [([10.0, 11.0, 13.0], [12.0, 12.5, 14.0]), ([100.0, 104.0, 97.0, 110.0], [95.0, 99.0, 93.0, 101.0])]:
        weights = {}
        for ra in itertools.product(a, repeat=len(a)):
            ma = np.median(ra)
            for rb in itertools.product(b, repeat=len(b)):
                r = float(np.median(rb) / ma)
                weights[r] = weights.get(r, 0) + 1
        total = sum(weights.values())
        values = sorted(weights)
        cdf = np.cumsum([weights[v] for v in values]) / total
        cases.append({'a': a, 'b': b, 'values': values, 'cdf': cdf.tolist()})
    write('bootstrap.json', cases, 'exact bootstrap distribution of median(b*)/median(a*) by enumerating all n^n x m^m resamples (numpy.median)')


def rank_sum_distribution(a, b):
    """Exact null distribution of the first sample's mid-rank sum W given the observed ties, as a dict
    {2W: count}, by the generating function prod_g sum_a C(t_g, a) x^a z^(a * 2 r_g) (r_g = the group's
    mid-rank) and taking the coefficient of x^n. Python integers, so the counts are exact. An
    implementation independent of hotswap's (which counts U increments group by group)."""
    pooled = sorted(a + b)
    groups = []  # (size, twice the mid-rank)
    i = 0
    while i < len(pooled):
        j = i
        while j < len(pooled) and pooled[j] == pooled[i]:
            j += 1
        groups.append((j - i, i + 1 + j))  # 2 * mid-rank = (i+1) + j
        i = j
    n = len(a)
    poly = {(0, 0): 1}  # (k in first sample, 2W) -> count
    for t, r2 in groups:
        nxt = {}
        for (k, w), c in poly.items():
            for take in range(0, min(t, n - k) + 1):
                key = (k + take, w + take * r2)
                nxt[key] = nxt.get(key, 0) + c * math.comb(t, take)
        poly = nxt
    return {w: c for (k, w), c in poly.items() if k == n}


def exact_tied_p(a, b):
    """Two-sided (2 min of the tails, as scipy.stats.permutation_test), greater (P(U >= u)), less (P(U <= u))."""
    n, m = len(a), len(b)
    dist = rank_sum_distribution(a, b)
    total = math.comb(n + m, n)
    assert sum(dist.values()) == total
    r = stats.rankdata(a + b)
    w2 = int(round(2 * float(np.sum(r[:n]))))
    lower = Fraction(sum(c for w, c in dist.items() if w <= w2), total)
    upper = Fraction(sum(c for w, c in dist.items() if w >= w2), total)
    return float(min(1, 2 * min(lower, upper))), float(upper), float(lower)


def u_statistic(x, y, axis=-1):
    """U of the first sample from mid-ranks (vectorised for scipy.stats.permutation_test)."""
    nx = x.shape[axis]
    r = stats.rankdata(np.concatenate([x, y], axis=axis), axis=axis)
    return np.sum(np.take(r, range(nx), axis=axis), axis=axis) - nx * (nx + 1) / 2


def wilcoxon_cases():
    """Paired differences like per-window log-ratios of a canary: small n exact, ties and zeros (scipy
    then permutes, or approximates beyond 13), large n asymptotic. Its own seeded generator, so adding
    these cases leaves every other fixture unchanged."""
    g = np.random.default_rng(20261201)
    d = lambda n, mu, s=0.05: list(np.round(g.normal(mu, s, n), 6))
    named = [
        ('n1', [0.3]),
        ('n5-all-positive', [0.1, 0.2, 0.3, 0.4, 0.5]),
        ('n6-mixed', [0.12, -0.05, 0.3, -0.21, 0.07, 0.44]),
        ('n8-shift', d(8, -0.05)),
        ('n12-null', d(12, 0.0)),
        ('n14-shift', d(14, -0.1, 0.08)),
        ('n20-small-shift', d(20, -0.01, 0.05)),
        ('n50-exact-boundary', d(50, -0.02)),
        ('n51-approx-boundary', d(51, -0.02)),
        ('n336-two-weeks-hourly', d(336, -0.03, 0.1)),
        ('n2016-two-weeks-5m', d(2016, -0.002, 0.1)),
        ('n6-with-zeros', [0.0, 0.2, -0.1, 0.0, 0.4, 0.3]),
        ('n7-with-ties', [0.1, -0.1, 0.2, 0.2, -0.3, 0.4, 0.1]),
        ('n13-ties-permutation-boundary', list(np.round(g.integers(-3, 5, 13) / 10, 1))),
        ('n14-ties-approx', list(np.round(g.integers(-3, 5, 14) / 10, 1))),
        ('n30-zeros-and-ties', list(np.round(g.integers(-2, 4, 30) / 10, 1))),
        ('all-zero-but-one', [0.0, 0.0, 0.0, 0.5]),
    ]
    cases = []
    for name, x in named:
        arr = np.array(x, dtype=float)
        r = stats.wilcoxon(arr, zero_method='wilcox', correction=False, alternative='two-sided', method='auto')
        ra = stats.wilcoxon(arr, zero_method='wilcox', correction=False, method='asymptotic')
        nz = arr[arr != 0]
        ties = len(np.unique(np.abs(nz))) < len(nz)
        zeros = int(np.sum(arr == 0))
        method = 'approx' if len(arr) > 50 else ('exact' if not ties and zeros == 0 else ('permutation' if len(arr) <= 13 else 'approx'))
        case = {'name': name, 'd': x, 'statistic': fnum(r.statistic), 'p': fnum(r.pvalue), 'method': method,
                'pAsymptotic': fnum(ra.pvalue), 'z': fnum(-abs(ra.zstatistic))}
        if not ties and zeros == 0 and len(arr) <= 60:
            case['pExact'] = fnum(stats.wilcoxon(arr, method='exact').pvalue)
        cases.append(case)
    write('wilcoxon.json', cases, "scipy.stats.wilcoxon(d, zero_method='wilcox', correction=False, alternative='two-sided', method='auto'|'exact'|'asymptotic'); method = scipy's auto choice (exact, permutation over all sign flips, or asymptotic)")


def mann_whitney_tie_cases():
    """Tied run-level samples: exact tie-aware p by exact enumeration (Python integers), checked against
    scipy.stats.permutation_test(n_resamples=inf) where C(n+m, n) is small enough to enumerate."""
    trng = np.random.default_rng(20261201)
    q = lambda xs, step: [float(round(round(x / step) * step, 6)) for x in xs]
    ln = lambda n, mu, s: np.exp(trng.normal(mu, s, n))
    named = [
        ('n5-with-ties', [1.0, 2.0, 2.0, 3.0, 4.0], [2.0, 3.0, 3.0, 5.0, 6.0]),
        ('cpu-10ms-6-vs-6', [0.15, 0.15, 0.17, 0.16, 0.15, 0.17], [0.14, 0.15, 0.13, 0.14, 0.14, 0.15]),
        ('cpu-10ms-6-vs-6-flip', [0.16, 0.15, 0.16, 0.17, 0.15, 0.16], [0.15, 0.14, 0.15, 0.16, 0.14, 0.15]),
        ('quantised-8-vs-8', q(ln(8, 0, 0.1), 0.05), q(ln(8, -0.08, 0.1), 0.05)),
        ('quantised-8-vs-8-b', q(ln(8, 0, 0.08), 0.05), q(ln(8, -0.06, 0.08), 0.05)),
        ('heavy-ties-10-vs-10', q(ln(10, 0, 0.1), 0.1), q(ln(10, 0.1, 0.1), 0.1)),
        ('n20-many-ties', list(trng.integers(0, 5, 20).astype(float)), list(trng.integers(1, 6, 20).astype(float))),
        ('quantised-20-vs-25', q(ln(20, 0, 0.12), 0.05), q(ln(25, 0.07, 0.12), 0.05)),
        ('quantised-25-vs-25', q(ln(25, 0, 0.2), 0.1), q(ln(25, 0.1, 0.2), 0.1)),
        ('one-tie-4-vs-5', [1.0, 2.0, 3.0, 5.0], [3.0, 6.0, 7.0, 8.0, 9.0]),
        ('tie-across-all-3-vs-3', [1.0, 1.0, 1.0], [1.0, 1.0, 2.0]),
        # Found by searching seeded quantised samples for a flip across 0.05 between exact and asymptotic:
        ('flip-6-vs-6', [0.14, 0.14, 0.15, 0.15, 0.16, 0.15], [0.13, 0.14, 0.15, 0.14, 0.12, 0.13]),
        ('flip-8-vs-8', [0.15, 0.16, 0.14, 0.16, 0.16, 0.15, 0.14, 0.13], [0.13, 0.13, 0.15, 0.14, 0.14, 0.14, 0.14, 0.13]),
        ('far-tail-20-vs-25', [0.15, 0.15, 0.16, 0.16, 0.15, 0.15, 0.14, 0.16, 0.16, 0.15, 0.15, 0.16, 0.16, 0.16, 0.15, 0.16, 0.14, 0.16, 0.15, 0.16],
         [0.14, 0.12, 0.12, 0.14, 0.12, 0.13, 0.14, 0.12, 0.12, 0.13, 0.13, 0.13, 0.13, 0.12, 0.12, 0.13, 0.12, 0.12, 0.13, 0.13, 0.13, 0.12, 0.13, 0.12, 0.12]),
        ('unbalanced-3-vs-12-ties', [5.0, 5.0, 6.0], [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0, 5.0, 1.0, 2.0, 4.0]),
    ]
    cases = []
    for name, a, b in named:
        two, greater, less = exact_tied_p(a, b)
        case = {'name': name, 'a': a, 'b': b, 'u': fnum(stats.mannwhitneyu(a, b).statistic),
                'p': fnum(two), 'pGreater': fnum(greater), 'pLess': fnum(less),
                'pAsymptotic': fnum(stats.mannwhitneyu(a, b, method='asymptotic').pvalue)}
        if math.comb(len(a) + len(b), len(a)) <= 300_000:
            perm = lambda alt: stats.permutation_test((np.array(a), np.array(b)), u_statistic, permutation_type='independent',
                                                      alternative=alt, n_resamples=np.inf, vectorized=True).pvalue
            case['pPermutation'] = fnum(perm('two-sided'))
            case['pPermutationGreater'] = fnum(perm('greater'))
        cases.append(case)
    write('mann-whitney-ties.json', cases,
          'exact tie-aware Mann-Whitney: the first sample\'s mid-rank sum distribution by a generating function in Python '
          'integers (two-sided = 2 min of the tails, greater = P(U >= u), less = P(U <= u)); pPermutation* = '
          "scipy.stats.permutation_test(permutation_type='independent', n_resamples=inf) on U where C(n+m, n) <= 3e5; "
          "pAsymptotic = scipy.stats.mannwhitneyu(method='asymptotic') for contrast")


def proportion_cases():
    from statsmodels.stats.proportion import proportion_confint
    cases = []
    for k, n in [(0, 10), (1, 10), (5, 10), (10, 10), (16, 16), (3, 16), (154, 154), (148, 154), (27, 71),
                 (300, 1000), (299, 1000), (1, 1000000), (50, 100), (999, 1000)]:
        for level in (0.95, 0.9):
            lo, hi = proportion_confint(k, n, alpha=1 - level, method='wilson')
            cases.append({'k': k, 'n': n, 'level': level, 'ci': [fnum(lo), fnum(hi)]})
    write('proportion.json', cases,
          "Wilson score interval: statsmodels.stats.proportion.proportion_confint(k, n, alpha, method='wilson')")

def welch_one_sided_cases():
    """One-sided Welch tests, Welch intervals and the log-ratio bound test of the sequential pass lines.

    Its own seeded generator, so adding it changes no other file's cases."""
    g = np.random.default_rng(20261201)
    ln = lambda n, s, mu=0.0: list(np.round(np.exp(g.normal(mu, s, n)), 6))
    pairs = [
        ('n5-19-vs-54-percent', ln(5, 0.188), ln(5, 0.506, math.log(0.9))),
        ('n5-54-vs-19-percent', ln(5, 0.506), ln(5, 0.188, math.log(0.6))),
        ('n10-6-vs-29-percent', ln(10, 0.06), ln(10, 0.286, math.log(0.8))),
        ('n20-10-percent', ln(20, 0.1), ln(20, 0.1, math.log(0.95))),
        ('n5-vs-7-large-cut', ln(5, 0.1, math.log(0.2)), ln(7, 0.1, math.log(0.02))),
        ('n6-one-arm-constant', [0.15, 0.15, 0.15, 0.15, 0.15, 0.15], [0.10, 0.12, 0.09, 0.11, 0.13, 0.10]),
    ]
    cases = []
    for name, b, c in pairs:
        bb, cc = np.array(b), np.array(c)
        case = {'name': name, 'a': b, 'b': c}
        for alt in ('greater', 'less'):
            r = stats.ttest_ind(bb, cc, equal_var=False, alternative=alt)
            case[alt] = fnum(r.pvalue)
        r = stats.ttest_ind(bb, cc, equal_var=False)
        case['intervals'] = []
        for level in (0.95, 0.9682, 0.99):
            ci = r.confidence_interval(confidence_level=level)
            case['intervals'].append({'level': level, 'low': fnum(ci.low), 'high': fnum(ci.high)})
        case['bounds'] = []
        for bound in (0.7, 0.9, 1.0):
            lb, lc = np.log(bb), np.log(cc) - math.log(bound)
            case['bounds'].append({
                'bound': bound,
                'below': fnum(stats.ttest_ind(lb, lc, equal_var=False, alternative='greater').pvalue),
                'above': fnum(stats.ttest_ind(lb, lc, equal_var=False, alternative='less').pvalue),
            })
        cases.append(case)
    write('welch-one-sided.json', cases,
          "scipy.stats.ttest_ind(a, b, equal_var=False, alternative='greater'|'less') p; two-sided "
          "result.confidence_interval(confidence_level) of mean(a) - mean(b); bounds: the same test of log(a) "
          "against log(b) - log(bound), 'below' = alternative 'greater' (ratio b/a < bound), 'above' = 'less'")


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) > 1:
        # Only the named generators, e.g. `make_reference.py welch_one_sided_cases` (those with their own
        # generator reproduce their file alone; the others share `rng` and need the full run).
        for name in sys.argv[1:]:
            globals()[name]()
        sys.exit(0)
    quantile_cases()
    quantile_ci_cases()
    mann_whitney_cases()
    welch_cases()
    effect_size_cases()
    distribution_cases()
    holm_cases()
    usl_cases()
    erlang_cases()
    bootstrap_cases()
    mann_whitney_tie_cases()
    wilcoxon_cases()
    proportion_cases()
    welch_one_sided_cases()
    summarize_cases()
