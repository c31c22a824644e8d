import type { Command } from 'commander';
import { describeSample, type SampleDescription } from '../analysis/stats/index.js';
import { detectFormat, readNumberFile, readSampleFiles } from '../ingest/index.js';
import {
  InputError,
  isResponse,
  PERCENTILES,
  responseLatencies,
  type SampleSet,
  type Warning,
} from '../model/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';

const HELP = `
Describes one sample: n, mean, the percentiles p50 p90 p95 p99 p99.9 (linear interpolation, R type 7,
like numpy and k6) and a distribution-free 95 % confidence interval for each, from order statistics.
"-" (null in JSON) marks a side the sample is too small to bound: 100 values cannot bound p99 from above.

FILE is a file of numbers (one per line; blank lines and # comments skipped; .gz accepted; negative values
refused unless --signed) or the output
of one load run (k6 CSV or JSON, plain or .gz, or autocannon NDJSON), detected by content. For driver
output the figures are request durations in ms, for all requests and per endpoint (k6 tag "endpoint").

Examples:
  hotswap stats summarize latencies.txt
  hotswap stats summarize raw/r001-baseline-steady/k6.csv.gz
  hotswap stats summarize k6.json --json | jq '.quantileCI95["0.99"]'`;

/** What a sample file holds, read through ingest. */
export interface LoadedSample {
  path: string;
  kind: 'numbers' | 'driver';
  values: Float64Array;
  /** Driver output only: values per endpoint tag. */
  endpoints: Map<string, Float64Array>;
  /** Driver output only: failed requests. */
  errors: number;
  unit: string;
  warnings: Warning[];
}

/** The flag that lets a file of numbers hold negative values (stats summarize, compare). */
export const SIGNED_FLAG = [
  '--signed',
  'values may be negative, e.g. differences (a file of numbers only)',
] as const;

/**
 * Reads a file of numbers or one run's driver output (k6 / autocannon), by content. A file of numbers
 * refuses negative values unless `signed` (driver output never has them: its reader refuses them).
 */
export const loadSample = async (path: string, signed = false): Promise<LoadedSample> => {
  const format = await detectFormat(path).catch((err: NodeJS.ErrnoException) => {
    // Ingest's own errors already name the file (and line): pass them on unchanged.
    if (err instanceof InputError && !('code' in err)) throw err;
    throw new InputError(
      `${path}: cannot read: ${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)}`,
    );
  });
  if (format === 'numbers') {
    const values = await readNumberFile(path, { signed });
    return { path, kind: 'numbers', values, endpoints: new Map(), errors: 0, unit: '', warnings: [] };
  }
  const set = await readSampleFiles([path]);
  return fromSampleSet(path, set);
};

/**
 * Driver output as samples: latencies of responses only (isResponse: a transport error's duration is
 * not a service latency, as in the trial analysis), failed requests of every kind counted as errors.
 */
const fromSampleSet = (path: string, set: SampleSet): LoadedSample => {
  const values = responseLatencies(set);
  const counts = new Array<number>(set.endpoints.length).fill(0);
  let errors = 0;
  for (let i = 0; i < set.n; i++) {
    if (isResponse(set, i)) counts[set.endpoint[i]!]! += 1;
    errors += set.failed[i]!;
  }
  const endpoints = new Map<string, Float64Array>();
  const fill = counts.map((c) => new Float64Array(c));
  const at = new Array<number>(set.endpoints.length).fill(0);
  for (let i = 0; i < set.n; i++) {
    if (!isResponse(set, i)) continue;
    const e = set.endpoint[i]!;
    fill[e]![at[e]!++] = set.latencyMs[i]!;
  }
  set.endpoints.forEach((name, e) => {
    if (counts[e]! > 0) endpoints.set(name, fill[e]!);
  });
  return { path, kind: 'driver', values, endpoints, errors, unit: 'ms', warnings: set.warnings };
};

/** 4 significant digits, no exponent for everyday magnitudes; "-" for null/NaN. */
export const fmt = (x: number | null | undefined): string => {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) return x.toExponential(3);
  return Number(x.toPrecision(4)).toString();
};

export const percentileLabel = (p: number): string =>
  p === 0.5 ? 'p50' : `p${Number((p * 100).toFixed(1))}`;

/**
 * One sample as text. A percentile the sample is too small for (`tooFew`) shows "too few requests for
 * p99.9" (values, for a file of numbers) and the fewest it needs, not a number that is little more than
 * the maximum, as the report's ladder does.
 */
const describeText = (title: string, d: SampleDescription, unit: string, noun: string): string => {
  const lines = [`${title}  n=${d.n}  mean=${fmt(d.mean)}${unit && ` ${unit}`}`];
  lines.push(`  ${'pct'.padEnd(7)}${'value'.padStart(12)}   95% CI (order statistics)`);
  for (const p of PERCENTILES) {
    const label = percentileLabel(p);
    const need = d.tooFew[String(p)];
    if (need !== undefined) {
      lines.push(`  ${label.padEnd(7)}${'-'.padStart(12)}   too few ${noun} for ${label} (needs ${need})`);
      continue;
    }
    const [lo, hi] = d.quantileCI95[String(p)]!;
    lines.push(`  ${label.padEnd(7)}${fmt(d.quantiles[String(p)]).padStart(12)}   [${fmt(lo)}, ${fmt(hi)}]`);
  }
  return lines.join('\n');
};

interface SummarizeFlags {
  json?: boolean;
  signed?: boolean;
}

export const summarizeFile = async (file: string, flags: SummarizeFlags, io: Io): Promise<void> => {
  const sample = await loadSample(file, flags.signed === true);
  const overall = describeSample(sample.values);
  const endpoints = Object.fromEntries([...sample.endpoints].map(([name, xs]) => [name, describeSample(xs)]));
  if (flags.json) {
    const doc =
      sample.kind === 'numbers'
        ? {
            n: overall.n,
            mean: overall.mean,
            quantiles: overall.quantiles,
            quantileCI95: overall.quantileCI95,
            tooFew: overall.tooFew,
          }
        : {
            n: overall.n,
            mean: overall.mean,
            quantiles: overall.quantiles,
            quantileCI95: overall.quantileCI95,
            tooFew: overall.tooFew,
            unit: sample.unit,
            errors: sample.errors,
            endpoints,
            warnings: sample.warnings,
          };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  for (const w of sample.warnings) io.stderr(`warning: ${w.message}${w.hint ? ` (${w.hint})` : ''}\n`);
  const noun = sample.kind === 'driver' ? 'requests' : 'values';
  const parts = [
    describeText(
      sample.kind === 'driver' ? `${file}: all requests (${sample.errors} failed)` : file,
      overall,
      sample.unit,
      noun,
    ),
  ];
  for (const [name, d] of Object.entries(endpoints))
    parts.push(describeText(`endpoint ${name}`, d, sample.unit, noun));
  io.stdout(`${parts.join('\n\n')}\n`);
};

export const statsCommand: CommandModule = {
  register: (program: Command, io: Io) => {
    const stats = program
      .command('stats')
      .description('describe samples: percentiles with confidence intervals');
    stats
      .command('summarize')
      .description(
        'percentiles and their distribution-free 95% CIs of a file of numbers or one k6/autocannon run',
      )
      .argument('<file>', 'numbers (one per line) or k6 CSV/JSON or autocannon NDJSON, plain or .gz')
      .option('--json', 'print one JSON document on stdout')
      .option(...SIGNED_FLAG)
      .addHelpText('after', HELP)
      .action((file: string, flags: SummarizeFlags) => summarizeFile(file, flags, io));
  },
};
