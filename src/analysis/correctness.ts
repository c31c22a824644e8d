import type { CorrectnessExample, CorrectnessReport, LineAnswer, LineAnswers, Role } from '../model/index.js';
import { normalQuantile } from './stats/normal.js';

/**
 * Same output, per corpus line (issue 11; Twitter Diffy's idea, STYLE.md §18): every request of a run with
 * digests recorded its status and a digest of its body, keyed by corpus line. A line is compared when
 * the baseline answered it, always the same way, over all its runs; each candidate request to it then
 * matches or not. The noise floor is Diffy's: a line the baseline itself answers in more than one way
 * (within a run or across runs: a timestamp, a random id, an unordered map in the body) is
 * non-deterministic, so a differing candidate answer there says nothing about the port; such lines are
 * left out and counted (`noisyLines`). Diffy measures that noise with a second instance of the old code;
 * here the baseline's own repetitions (and repeats of a line within a run) play that part, so with one
 * baseline run and a corpus replayed once the floor cannot be seen: the report says how often lines repeat.
 *
 * Transport failures (status 0: timeout, reset) are not answers: they count as errors elsewhere and are
 * left out of both sides here.
 */

/** Examples kept in report.json: enough to start debugging, small enough for the report. */
export const MAX_EXAMPLES = 5;
/** Characters of the request kept in an example. */
export const REQUEST_PREFIX_CHARS = 80;

export interface CorrectnessRun {
  role: Role;
  runId: string;
  digests: LineAnswers[];
}

export interface CorrectnessOptions {
  /** Endpoints whose answers are not compared (plan `correctness.ignoreEndpoints`). */
  ignoreEndpoints?: readonly string[];
  /** The request of a corpus line, as text (body, or the request line when it has none); for examples. */
  requestOf?: (line: number) => string | undefined;
}

const keyOf = (a: Pick<LineAnswer, 'status' | 'digest'>): string => `${a.status} ${a.digest}`;

interface LineState {
  endpoint: string;
  baseline: Map<string, LineAnswer>;
  candidate: Map<string, LineAnswer>;
}

/** Merges the answers of every run of each role, line by line (transport failures left out). */
const collect = (runs: readonly CorrectnessRun[]): Map<number, LineState> => {
  const lines = new Map<number, LineState>();
  for (const run of runs) {
    for (const l of run.digests) {
      let state = lines.get(l.line);
      if (!state)
        lines.set(l.line, (state = { endpoint: l.endpoint, baseline: new Map(), candidate: new Map() }));
      const side = state[run.role];
      for (const a of l.answers) {
        if (a.status === 0) continue;
        const k = keyOf(a);
        const seen = side.get(k);
        side.set(k, { status: a.status, digest: a.digest, count: (seen?.count ?? 0) + a.count });
      }
    }
  }
  return lines;
};

/**
 * The correctness section of report.json from the runs that recorded digests; undefined when no
 * candidate run did (nothing to judge).
 */
export const compareOutputs = (
  runs: readonly CorrectnessRun[],
  opts: CorrectnessOptions = {},
): CorrectnessReport | undefined => {
  if (!runs.some((r) => r.role === 'candidate' && r.digests.length > 0)) return undefined;
  if (!runs.some((r) => r.role === 'baseline' && r.digests.length > 0)) return undefined;
  const ignore = new Set(opts.ignoreEndpoints ?? []);
  const byEndpoint: CorrectnessReport['byEndpoint'] = {};
  const examples: CorrectnessExample[] = [];
  let comparedRequests = 0;
  let mismatches = 0;
  let noisyLines = 0;
  let noisyRequests = 0;
  let comparedLines = 0;
  let ignoredLines = 0;
  let unpairedRequests = 0;
  const lines = [...collect(runs).entries()].sort((a, b) => a[0] - b[0]);
  for (const [line, state] of lines) {
    if (ignore.has(state.endpoint)) {
      ignoredLines++;
      continue;
    }
    const candidate = [...state.candidate.values()];
    const candidateRequests = candidate.reduce((s, a) => s + a.count, 0);
    if (state.baseline.size === 0) unpairedRequests += candidateRequests;
    if (state.baseline.size === 0 || candidateRequests === 0) continue;
    if (state.baseline.size > 1) {
      noisyLines++;
      noisyRequests += candidateRequests;
      continue;
    }
    const expected = [...state.baseline.values()][0]!;
    const wrong = candidate.filter((a) => keyOf(a) !== keyOf(expected));
    const wrongRequests = wrong.reduce((s, a) => s + a.count, 0);
    comparedLines++;
    comparedRequests += candidateRequests;
    mismatches += wrongRequests;
    const e = (byEndpoint[state.endpoint] ??= { compared: 0, mismatches: 0 });
    e.compared += candidateRequests;
    e.mismatches += wrongRequests;
    const first = wrong.sort((a, b) => b.count - a.count)[0];
    if (first && examples.length < MAX_EXAMPLES) {
      examples.push({
        line,
        endpoint: state.endpoint,
        baselineStatus: expected.status,
        candidateStatus: first.status,
        baselineDigest: expected.digest,
        candidateDigest: first.digest,
        requestPrefix: (opts.requestOf?.(line) ?? '').slice(0, REQUEST_PREFIX_CHARS),
      });
    }
  }
  const out: CorrectnessReport = {
    comparedRequests,
    mismatches,
    noisyLines,
    byEndpoint,
    examples,
    comparedLines,
    ignoredLines,
    noisyRequests,
    unpairedRequests,
  };
  if (comparedRequests > 0) {
    out.mismatchShare = mismatches / comparedRequests;
    out.mismatchShareCi95 = wilsonInterval(mismatches, comparedRequests);
  }
  return out;
};

/**
 * 95 % Wilson score interval of a binomial share k/n (Wilson 1927; Brown, Cai & DasGupta 2001 recommend
 * it over the Wald interval, which collapses to [0, 0] at k = 0, exactly the case "no mismatches" needs
 * a bound for). Requests to one line are not independent draws, so read it as a bound on the share of
 * requests, not of lines.
 */
export const wilsonInterval = (k: number, n: number, level = 0.95): [number, number] => {
  if (n <= 0) return [0, 1];
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the bound is 0 (1) exactly; rounding would leave 1e-18.
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
};
