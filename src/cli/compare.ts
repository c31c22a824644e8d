import type { Command } from 'commander';
import { compareSamples, type SampleComparison } from '../analysis/stats/index.js';
import { InputError, PERCENTILES, warning, type Warning } from '../model/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';
import { fmt, loadSample, percentileLabel, SIGNED_FLAG, type LoadedSample } from './stats.js';

const HELP = `
Compares a baseline sample A with a candidate sample B in benchstat's style: old, new, the change, and
"~" when the change is not significant (two-sided Mann-Whitney U, exact up to 50 values per sample with
ties accounted for, as an exhaustive permutation test; beyond that the normal approximation with tie and
continuity correction).
Also prints Welch's t on the means, the Hodges-Lehmann shift (median of all B − A) and Cliff's delta.

A and B are files of numbers (one per line, e.g. one p99 per load run, as benchstat takes one value per
benchmark run) or one k6/autocannon output each (request durations in ms). Comparing two single runs
request by request is NOT a sound test: requests within a run are autocorrelated and each run has its own
conditions, so two runs of the same build often look "significantly" different. Prefer one value per run
(several runs per side), or \`hotswap trial\`, which does that for you. A file of numbers may not hold
negative values unless --signed is given (e.g. differences).

Examples:
  hotswap compare old-p99s.txt new-p99s.txt
  hotswap compare --alpha 0.01 base.txt cand.txt --json
  hotswap compare raw/r001-baseline-steady/k6.csv.gz raw/r002-candidate-steady/k6.csv.gz`;

interface CompareFlags {
  json?: boolean;
  alpha: string;
  signed?: boolean;
}

const parseAlpha = (value: string): number => {
  const alpha = Number(value);
  if (!(alpha > 0 && alpha < 1))
    throw new InputError(`--alpha: expected a probability in (0, 1), got "${value}"`);
  return alpha;
};

/** A warning when both sides are single driver runs: the per-request test cannot see run-to-run noise. */
const singleRunWarning = (a: LoadedSample, b: LoadedSample): Warning[] =>
  a.kind === 'driver' && b.kind === 'driver' ? [warning('single-run-per-side')] : [];

const pct = (from: number, to: number): string => {
  if (!(from !== 0 && Number.isFinite(from) && Number.isFinite(to))) return '-';
  const change = ((to - from) / Math.abs(from)) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(2)}%`;
};

/** benchstat-like table: one row per figure, the median row carries the test. */
export const compareText = (
  r: SampleComparison,
  labels: { old: string; new: string; unit: string; meanOld: number; meanNew: number },
  alpha: number,
): string => {
  const unit = labels.unit;
  const significant = r.mannWhitney.p < alpha;
  const nn = `n=${r.baseline.n}+${r.candidate.n}`;
  const rows: [string, string, string, string][] = [['', labels.old, labels.new, 'delta']];
  rows.push([
    `median${unit && ` ${unit}`}`,
    fmt(r.baseline.median),
    fmt(r.candidate.median),
    `${significant ? pct(r.baseline.median, r.candidate.median) : '~'} (p=${fmt(r.mannWhitney.p)} ${nn})`,
  ]);
  for (const p of PERCENTILES.filter((x) => x !== 0.5)) {
    const key = String(p);
    rows.push([
      percentileLabel(p),
      fmt(r.baseline.quantiles[key]),
      fmt(r.candidate.quantiles[key]),
      pct(r.baseline.quantiles[key]!, r.candidate.quantiles[key]!),
    ]);
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  const table = rows
    .map((row) => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]! + 2) : cell)).join(''))
    .join('\n');
  const notes = [
    `Mann-Whitney U=${fmt(r.mannWhitney.u)} (${r.mannWhitney.method}), p=${fmt(r.mannWhitney.p)}; ${significant ? 'significant' : 'not significant'} at alpha=${alpha}`,
    `Welch t=${fmt(r.welch.t)} df=${fmt(r.welch.df)} p=${fmt(r.welch.p)} (means ${fmt(labels.meanOld)} → ${fmt(labels.meanNew)})`,
    `Hodges-Lehmann shift (new − old) ${fmt(r.hodgesLehmann)}${unit && ` ${unit}`}; Cliff's delta ${fmt(r.cliffsDelta)}`,
  ];
  if (Math.min(r.baseline.n, r.candidate.n) < 5)
    notes.push(`few values (${nn}): only large changes can be significant`);
  return `${table}\n\n${notes.join('\n')}\n`;
};

const mean = (xs: Float64Array): number => xs.reduce((acc, x) => acc + x, 0) / xs.length;

/** Endpoints present on both sides (driver output), compared one by one: pooling them mixes unlike requests. */
const perEndpoint = (a: LoadedSample, b: LoadedSample): [string, Float64Array, Float64Array][] =>
  [...a.endpoints]
    .filter(([name]) => b.endpoints.has(name))
    .map(([name, xs]) => [name, xs, b.endpoints.get(name)!] as [string, Float64Array, Float64Array]);

export const compareFiles = async (
  fileA: string,
  fileB: string,
  flags: CompareFlags,
  io: Io,
): Promise<void> => {
  const alpha = parseAlpha(flags.alpha);
  const a = await loadSample(fileA, flags.signed === true);
  const b = await loadSample(fileB, flags.signed === true);
  if (a.kind !== b.kind) {
    io.stderr(
      `warning: ${fileA} is ${a.kind === 'numbers' ? 'a file of numbers' : 'driver output'} but ${fileB} is not; comparing the values as given\n`,
    );
  }
  const result = compareSamples(a.values, b.values);
  const warnings = [...a.warnings, ...b.warnings, ...singleRunWarning(a, b)];
  const endpoints = perEndpoint(a, b);
  const unit = a.unit || b.unit;
  if (flags.json) {
    const doc =
      a.kind === 'numbers' && b.kind === 'numbers' && warnings.length === 0
        ? result
        : {
            ...result,
            unit,
            endpoints: Object.fromEntries(endpoints.map(([name, xa, xb]) => [name, compareSamples(xa, xb)])),
            warnings,
          };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  for (const w of warnings) io.stderr(`warning: ${w.message}${w.hint ? `\n  hint: ${w.hint}` : ''}\n`);
  const sections = [
    compareText(
      result,
      {
        old: `old (${a.path})`,
        new: `new (${b.path})`,
        unit,
        meanOld: mean(a.values),
        meanNew: mean(b.values),
      },
      alpha,
    ),
  ];
  if (endpoints.length > 1) {
    for (const [name, xa, xb] of endpoints) {
      const labels = { old: `endpoint ${name}: old`, new: 'new', unit, meanOld: mean(xa), meanNew: mean(xb) };
      sections.push(compareText(compareSamples(xa, xb), labels, alpha));
    }
  }
  io.stdout(sections.join('\n'));
};

export const compareCommand: CommandModule = {
  register: (program: Command, io: Io) => {
    program
      .command('compare')
      .description('benchstat-style comparison of two samples (numbers files, or one k6/autocannon run each)')
      .argument('<A>', 'baseline: numbers (one per line) or k6/autocannon output')
      .argument('<B>', 'candidate: numbers (one per line) or k6/autocannon output')
      .option('--alpha <p>', 'significance level for "~"', '0.05')
      .option('--json', 'print one JSON document on stdout (shape: ARCHITECTURE.md, contract: compare)')
      .option(...SIGNED_FLAG)
      .addHelpText('after', HELP)
      .action((a: string, b: string, flags: CompareFlags) => compareFiles(a, b, flags, io));
  },
};
