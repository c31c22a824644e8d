import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { judgeCanary } from '../analysis/canary.js';
import {
  InputError,
  type CanaryData,
  type CanaryQueryName,
  type CanarySpec,
  type Plan,
  type ReportModel,
  type Warning,
  warning,
} from '../model/index.js';
import { canarySchema } from '../plan/canary-schema.js';
import { isLoopbackUrl, parsePlan } from '../plan/index.js';
import { newTrialId, writeFileAtomic, writeJsonAtomic } from '../store/index.js';
import { readDataFile, toDataFile } from './data-file.js';
import { parseDuration, parseEnd, promDuration } from './duration.js';
import { toKayentaArchive } from './kayenta.js';
import { queryRange } from './prometheus.js';
import { REQUIRED_QUERIES, renderQueries } from './queries.js';

/**
 * `hotswap canary` as one pipeline function: read the plan, gather the range queries (from Prometheus
 * or a saved file), judge them (src/analysis/canary.ts, pure), and write the canary folder:
 *   plan.json, raw/queries.json (what was read, re-judgeable with --from-file), report.json,
 *   kayenta-archive.json (Kayenta's Canary Data Archival Format), report.html, report.md.
 * The folder is written under a temporary name and renamed when complete, so a failure leaves nothing
 * half-written under the final name.
 */
export interface CanaryOptions {
  planFile: string;
  prometheus?: string;
  fromFile?: string;
  window: string;
  step?: string;
  unit?: string;
  end?: string;
  out: string;
  allowRemote?: boolean;
  now: Date;
  version: string;
  signal?: AbortSignal;
  progress?: (line: string) => void;
  /** Formats rendered beside report.json (default html and md). */
  formats?: readonly string[];
}

export interface CanaryOutcome {
  model: ReportModel;
  dir: string;
  files: { reportJson: string; data: string; kayenta: string; reports: string[] };
}

export const CANARY_FILES = {
  plan: 'plan.json',
  data: join('raw', 'queries.json'),
  report: 'report.json',
  kayenta: 'kayenta-archive.json',
} as const;

const readPlan = async (file: string): Promise<Plan> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`--plan ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsePlan(text, file);
};

/** The plan's canary section, or the reference service's defaults when the plan has none. */
export const canarySpecOf = (plan: Plan): CanarySpec => plan.canary ?? (canarySchema.parse({}) as CanarySpec);

const gatherFromPrometheus = async (
  url: string,
  spec: CanarySpec,
  range: { start: number; end: number; stepSeconds: number },
  opts: CanaryOptions,
): Promise<CanaryData> => {
  const rendered = renderQueries(spec, promDuration(range.stepSeconds));
  const names = Object.keys(rendered) as CanaryQueryName[];
  const queries: CanaryData['queries'] = {};
  let i = 0;
  for (const name of names) {
    i++;
    opts.progress?.(`canary: query ${name} (${i}/${names.length})`);
    const query = rendered[name]!;
    queries[name] = { query, result: await queryRange(url, { name, query, ...range }, opts.signal) };
  }
  return { source: { kind: 'prometheus', url }, ...range, queries };
};

const requireData = (data: CanaryData, start: number, end: number, where: string): void => {
  for (const name of REQUIRED_QUERIES) {
    const q = data.queries[name];
    const points = (q?.result ?? []).reduce(
      (n, s) => n + s.values.filter(([t]) => t > start && t <= end).length,
      0,
    );
    if (points === 0)
      throw new InputError(
        `canary.queries.${name}: no data ${where} between ${new Date(start * 1000).toISOString()} and ${new Date(end * 1000).toISOString()}${q?.query ? ` for ${q.query}` : ''}`,
      );
  }
};

const writeFolder = async (
  outRoot: string,
  id: string,
  plan: Plan,
  data: CanaryData,
  model: ReportModel,
  formats: readonly string[],
): Promise<CanaryOutcome> => {
  const dir = join(outRoot, id);
  const tmp = join(outRoot, `.${id}.${randomBytes(4).toString('hex')}.tmp`);
  const reports: string[] = [];
  try {
    await writeJsonAtomic(join(tmp, CANARY_FILES.plan), plan);
    await writeJsonAtomic(join(tmp, CANARY_FILES.data), toDataFile(data));
    await writeJsonAtomic(join(tmp, CANARY_FILES.report), model);
    await writeJsonAtomic(join(tmp, CANARY_FILES.kayenta), toKayentaArchive(model));
    // The renderers (vega, vega-lite) load only here, so the rest of the command starts fast.
    const { exporterFor } = await import('../report/exporters/index.js');
    for (const f of formats) {
      const ex = exporterFor(f);
      if (!ex) throw new InputError(`unknown report format ${f}`);
      await writeFileAtomic(join(tmp, ex.file), await ex.render(model));
      reports.push(join(dir, ex.file));
    }
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return {
    model,
    dir,
    files: {
      reportJson: join(dir, CANARY_FILES.report),
      data: join(dir, CANARY_FILES.data),
      kayenta: join(dir, CANARY_FILES.kayenta),
      reports,
    },
  };
};

export const runCanary = async (opts: CanaryOptions): Promise<CanaryOutcome> => {
  if (Boolean(opts.prometheus) === Boolean(opts.fromFile))
    throw new InputError('give exactly one source: --prometheus URL or --from-file FILE');
  const plan = await readPlan(opts.planFile);
  const spec = canarySpecOf(plan);
  const windowSeconds = parseDuration(opts.window, '--window');
  let unitSeconds = parseDuration(
    opts.unit ?? spec.unit,
    opts.unit ? '--unit' : `${opts.planFile}: canary.unit`,
  );
  const notes: Warning[] = [];
  /** The plan's unit shrinks to fit a short window (unless --unit says otherwise), then must fit the step. */
  const resolveUnit = (stepSeconds: number): number => {
    let unit = unitSeconds;
    if (!opts.unit && windowSeconds / unit < MIN_WINDOWS - 1e-9) {
      unit = Math.max(
        stepSeconds,
        Math.floor(windowSeconds / MIN_WINDOWS / stepSeconds + 1e-9) * stepSeconds,
      );
    }
    if (unit !== unitSeconds) {
      notes.push(
        warning('canary-unit-shortened', {
          unit: spec.unit,
          minWindows: MIN_WINDOWS,
          window: opts.window,
          seconds: unit,
        }),
      );
      opts.progress?.(`canary: ${notes.at(-1)!.message}`);
    }
    checkUnit(unit, stepSeconds, windowSeconds);
    return unit;
  };
  let data: CanaryData;
  let start: number;
  let end: number;
  if (opts.prometheus) {
    const url = opts.prometheus;
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new InputError(`--prometheus: expected an http(s) URL, got "${url}"`);
    }
    if (!opts.allowRemote && !isLoopbackUrl(url))
      throw new InputError(
        `--prometheus ${url} is not on loopback; pass --allow-remote to read a Prometheus on another host`,
      );
    const stepSeconds = parseDuration(
      opts.step ?? spec.step,
      opts.step ? '--step' : `${opts.planFile}: canary.step`,
    );
    end = parseEnd(opts.end, opts.now);
    start = end - windowSeconds;
    unitSeconds = resolveUnit(stepSeconds);
    data = await gatherFromPrometheus(url, spec, { start, end, stepSeconds }, opts);
    requireData(data, start, end, `from ${url}`);
  } else {
    const file = opts.fromFile!;
    data = await readDataFile(file);
    if (opts.step && Math.abs(parseDuration(opts.step, '--step') - data.stepSeconds) > 1e-9)
      throw new InputError(
        `--step ${opts.step}: ${file} was read at a step of ${data.stepSeconds} s; leave --step out or re-read from Prometheus`,
      );
    end = opts.end ? parseEnd(opts.end, opts.now) : data.end;
    start = end - windowSeconds;
    if (start < data.start - 1e-9 || end > data.end + 1e-9)
      throw new InputError(
        `--window ${opts.window}: ${file} covers ${new Date(data.start * 1000).toISOString()} to ${new Date(data.end * 1000).toISOString()}, not ${new Date(start * 1000).toISOString()} to ${new Date(end * 1000).toISOString()}`,
      );
    unitSeconds = resolveUnit(data.stepSeconds);
    requireData(data, start, end, `in ${file}`);
  }
  const id = freeId(opts.out, newTrialId(opts.now, `canary ${plan.name}`));
  const model = judgeCanary({
    plan,
    spec,
    data,
    start,
    end,
    unitSeconds,
    id,
    frozenAt: opts.now.toISOString(),
    version: opts.version,
    notes,
    environment: {
      cpus: cpus().length,
      node: process.version,
      pinned: false,
      targetHost: opts.prometheus ? new URL(opts.prometheus).host : 'file',
    },
  });
  model.trial.analyzedAt = opts.now.toISOString();
  return writeFolder(opts.out, id, plan, data, model, opts.formats ?? ['html', 'md']);
};

/**
 * Fewer windows than this and the signed-rank CI can barely bound the change (6 is the least at 95 %):
 * when the plan's unit leaves fewer in a short --window (a test, a first look), and --unit is not
 * given, the unit shrinks to the largest whole number of steps that gives this many.
 */
export const MIN_WINDOWS = 12;

/** Two canaries of one plan within a second would share a folder name: the later gets "-2", "-3"… */
const freeId = (outRoot: string, base: string): string => {
  let id = base;
  for (let n = 2; existsSync(join(outRoot, id)); n++) id = `${base}-${n}`;
  return id;
};

const checkUnit = (unit: number, step: number, window: number): void => {
  const ratio = unit / step;
  if (ratio < 1 - 1e-9 || Math.abs(ratio - Math.round(ratio)) > 1e-6)
    throw new InputError(`--unit: the window unit (${unit} s) must be a whole number of steps (${step} s)`);
  if (window < unit) throw new InputError(`--window: shorter than one unit (${window} s < ${unit} s)`);
};
