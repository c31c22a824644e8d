import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve, join } from 'node:path';
import type { Command } from 'commander';
import { analyzeTrial, type RunProfile, type TrialInput } from '../analysis/analyze.js';
import type { RunScrapes } from '../analysis/resources.js';
import { exitCodeForVerdict } from '../analysis/verdict.js';
import type { OsRunFigures } from '../analysis/os-resources.js';
import {
  parsePrometheusFile,
  readGatheredProfile,
  readSampleFiles,
  type PromSample,
} from '../ingest/index.js';
import { parseOsRaw } from '../ingest/os.js';
import type { GatheredFile, ReportModel, SampleSet } from '../model/index.js';
import { readFrozenPlan, readManifest, trialPaths, writeJsonAtomic } from '../store/index.js';
import { mainPhase } from '../report/view.js';
import { sequentialText } from '../report/format.js';
import { parsePlan } from '../plan/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';
import { VERSION } from './version.js';

const HELP = `
Reads a trial folder (plan.json, manifest.json, raw/<run>/ driver output and metric scrapes), computes
per-run summaries, run-level comparisons (Mann-Whitney across runs, bootstrap CI of the ratio, Holm),
resource cost per request, capacity and the verdict against the plan's pass lines, and writes
<trial-dir>/report.json atomically. Offline and repeatable: the same folder gives the same report.

Exit codes: 0 keep, 1 drop, 4 inconclusive, 2 bad input (the message names the file), 3 internal failure.

Examples:
  hotswap analyze reports/2026-11-21-tiny
  hotswap analyze reports/2026-11-21-tiny --json | jq .verdict`;

/** Reads what analyzeTrial needs from a trial folder (the only I/O of the command). */
export const loadTrial = async (dir: string, io: Io): Promise<TrialInput> => {
  const plan = await readFrozenPlan(dir, parsePlan);
  const manifest = await readManifest(dir);
  const samples = new Map<string, SampleSet>();
  const scrapes = new Map<string, RunScrapes>();
  const os = new Map<string, OsRunFigures>();
  const profiles = new Map<string, RunProfile>();
  const okRuns = manifest.runs.filter((r) => r.status === 'ok');
  let i = 0;
  for (const run of okRuns) {
    i++;
    io.stderr(`analyze: reading ${run.id} (${i}/${okRuns.length})\n`);
    if (run.raw.outputs.length > 0) {
      const paths = run.raw.outputs.map((p) => join(dir, p));
      samples.set(run.id, await readSampleFiles(paths, { warmupSeconds: run.warmupSeconds, runId: run.id }));
    }
    scrapes.set(run.id, await readScrapes(dir, run.raw));
    const figures = await readOs(dir, run.raw.gathered);
    if (figures) os.set(run.id, figures);
    const profile = await readGatheredProfile(dir, run.raw.gathered);
    if (profile) profiles.set(run.id, profile);
  }
  const withDigests = [...samples.values()].some((s) => s.digests);
  const requestText = withDigests ? await readCorpusText(dir, plan.corpus?.path, io.cwd) : undefined;
  return {
    plan,
    manifest,
    samples,
    scrapes,
    os,
    version: VERSION,
    ...(requestText ? { requestText } : {}),
    ...(profiles.size ? { profiles } : {}),
  };
};

/** The OS sampler's file of a run (raw.gathered, gatherer `os`), when the trial wrote one. */
const readOs = async (
  dir: string,
  gathered: GatheredFile[] | undefined,
): Promise<OsRunFigures | undefined> => {
  const rel = gathered?.find((g) => g.gatherer === 'os')?.path;
  if (!rel) return undefined;
  let text: string;
  try {
    text = await readFile(join(dir, rel), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseOsRaw(text, join(dir, rel));
};

/**
 * The trial's corpus as request texts for the same-output examples: the generated `corpus.ndjson` in
 * the folder, else the plan's own corpus file when it can be found (absolute, or relative to the current
 * directory); undefined when neither can be read (examples then carry no request prefix).
 */
const readCorpusText = async (
  dir: string,
  planPath: string | undefined,
  cwd: string,
): Promise<((line: number) => string | undefined) | undefined> => {
  const candidates = [join(dir, 'corpus.ndjson')];
  if (planPath) candidates.push(isAbsolute(planPath) ? planPath : resolve(cwd, planPath));
  const path = candidates.find((p) => existsSync(p));
  if (!path) return undefined;
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return (line) => {
    const text = lines[line];
    if (text === undefined) return undefined;
    try {
      const r = JSON.parse(text) as { method?: string; path?: string; body?: string; bodyBase64?: string };
      if (typeof r.body === 'string' && r.body !== '') return r.body;
      if (typeof r.bodyBase64 === 'string') return `base64:${r.bodyBase64}`;
      return `${r.method ?? ''} ${r.path ?? ''}`;
    } catch {
      return text;
    }
  };
};

const readScrape = async (dir: string, rel: string | undefined): Promise<PromSample[] | undefined> => {
  if (!rel) return undefined;
  try {
    return await parsePrometheusFile(join(dir, rel));
  } catch (err) {
    // A scrape the trial could not take leaves its figures out (with a warning), not the whole report.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
};

const readScrapes = async (
  dir: string,
  raw: { metricsBefore?: string; metricsAfter?: string; metricsDuring?: string[] },
): Promise<RunScrapes> => {
  const out: RunScrapes = {};
  const before = await readScrape(dir, raw.metricsBefore);
  const after = await readScrape(dir, raw.metricsAfter);
  if (before) out.before = before;
  if (after) out.after = after;
  const during: PromSample[][] = [];
  for (const rel of raw.metricsDuring ?? []) {
    const s = await readScrape(dir, rel);
    if (s) during.push(s);
  }
  if (during.length > 0) out.during = during;
  return out;
};

const STATUS_LABEL = { pass: 'pass', fail: 'FAIL', warn: 'warn', error: 'err ' } as const;

/** A few lines for a terminal: decision, each judged line, capacity, where the report is. */
export const verdictText = (model: ReportModel, reportPath: string): string => {
  const v = model.verdict;
  const lines = [
    `${model.trial.planName}: ${v.decision.toUpperCase()}${v.sequential ? ` (${sequentialText(v.sequential)})` : ''}`,
  ];
  if (v.unjudgeable) lines.push(`  cannot be judged: ${v.unjudgeable}`);
  for (const c of v.stopRules)
    lines.push(`  ${c.status === 'fail' ? 'STOP' : STATUS_LABEL[c.status]}  ${c.text}: ${c.message}`);
  for (const c of v.checks) lines.push(`  ${STATUS_LABEL[c.status]}  ${c.text}: ${c.message}`);
  if (v.decision === 'inconclusive') {
    lines.push(
      v.moreRunsPerArm != null
        ? `  about ${v.moreRunsPerArm} runs per arm would likely settle it (${v.additionalRunsPerArm ?? '?'} more)`
        : '  no estimate of how many more runs would settle it',
    );
  }
  const headline = headlineText(model);
  if (headline) lines.push(`  ${headline}`);
  const { baseline, candidate, savings } = model.capacity;
  if (baseline.instances !== undefined && candidate.instances !== undefined) {
    const cur = model.plan.capacity.currency;
    lines.push(
      `  capacity at ${model.plan.capacity.peakRps} rps peak: baseline ${baseline.instances} instances (${cur} ${baseline.costPerMonth?.toFixed(0)}/month), candidate ${candidate.instances} (${cur} ${candidate.costPerMonth?.toFixed(0)}/month)` +
        (savings
          ? `; saves ${savings.instances} instance(s), ${cur} ${savings.moneyPerMonth.toFixed(0)}/month`
          : ''),
    );
  }
  if (model.warnings.length > 0) lines.push(...model.warnings.map((w) => `  note: ${w.message}`));
  lines.push(`report: ${reportPath}`);
  return `${lines.join('\n')}\n`;
};

const pctText = (ratio: number): string =>
  `${ratio < 1 ? '−' : '+'}${Math.abs((ratio - 1) * 100).toFixed(1)} %`;

/**
 * "CPU/request −28.0 %, alloc/request −40.1 %; end-to-end p50 −3.0 %, p99 −6.1 %" for the judged phase
 * (the analysis records it in verdict.phase; mainPhase reads it, so CLI and report agree).
 */
const headlineText = (model: ReportModel): string | undefined => {
  const phase = mainPhase(model);
  const at = (metric: string, quantile?: number) =>
    model.comparisons.find(
      (c) => c.phase === phase && c.endpoint === '*' && c.metric === metric && c.quantile === quantile,
    );
  const parts = [
    ['CPU/request', at('cpuSecondsPerRequest')],
    ['alloc/request', at('allocBytesPerRequest')],
  ].filter((x): x is [string, NonNullable<ReturnType<typeof at>>] => x[1] !== undefined);
  const latency = [0.5, 0.99]
    .map((q) => [`p${q * 100}`, at('latencyMs', q)] as const)
    .filter((x) => x[1] !== undefined);
  if (parts.length === 0 && latency.length === 0) return undefined;
  const cost = parts.map(([k, c]) => `${k} ${pctText(c.ratio)}`).join(', ');
  const e2e = latency.map(([k, c]) => `${k} ${pctText(c!.ratio)}`).join(', ');
  return `median change (${phase}): ${cost}${cost && e2e ? '; ' : ''}${e2e ? `end-to-end ${e2e}` : ''}`;
};

interface AnalyzeFlags {
  json?: boolean;
}

/**
 * Analyses a trial folder and writes its report.json atomically; returns the model and where it went.
 * `hotswap trial` can call this after the runs; `hotswap analyze` calls it on its own.
 */
export const analyzeFolder = async (
  dir: string,
  io: Io,
): Promise<{ model: ReportModel; reportPath: string }> => {
  const model = analyzeTrial(await loadTrial(dir, io));
  // The core has no clock; the time of analysis is the caller's to record.
  model.trial.analyzedAt = new Date().toISOString();
  const reportPath = trialPaths(dir).reportJson;
  await writeJsonAtomic(reportPath, model);
  return { model, reportPath };
};

const run = async (
  dirArg: string,
  flags: AnalyzeFlags,
  io: Io,
  setExit: (code: number) => void,
): Promise<void> => {
  const { model, reportPath } = await analyzeFolder(resolve(io.cwd, dirArg), io);
  io.stdout(flags.json ? `${JSON.stringify(model)}\n` : verdictText(model, reportPath));
  setExit(exitCodeForVerdict(model.verdict));
};

export const analyzeCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('analyze')
      .description(
        'analyse a trial folder offline and write report.json (exit 0 keep, 1 drop, 4 inconclusive)',
      )
      .argument('<trial-dir>', 'trial folder with plan.json, manifest.json and raw/')
      .option('--json', 'print the ReportModel as one JSON document on stdout')
      .addHelpText('after', HELP)
      .action((dir: string, flags: AnalyzeFlags) => run(dir, flags, io, setExit));
  },
};
