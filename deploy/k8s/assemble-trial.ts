/**
 * Turns load runs gathered elsewhere — k6-operator pods, several k6 processes on several machines — into a
 * trial folder that `hotswap analyze` reads like one `hotswap run` wrote (ARCHITECTURE.md, contract: the
 * trial folder). hotswap is then the part that brings the outputs back together and judges them.
 *
 *   npx tsx deploy/k8s/assemble-trial.ts --plan PLAN --from DIR [--out reports/ID] [--phase NAME]
 *                                       [--k6-version v2.2.0]
 *
 * DIR holds the files of every run, named by run (deploy/k8s/run-trial.sh and collect.sh write them so):
 *   <prefix>-<role>-r<repetition>-<anything>.csv.gz   one k6 CSV per pod (several = one run, merged)
 *   <prefix>-<role>-r<repetition>-<anything>.summary.json   k6 end-of-test summary per pod (optional)
 *   <prefix>-<role>-r<repetition>.before.prom / .after.prom   /metrics scrapes around the run (optional)
 * where role is `baseline` or `candidate`. Runs are ordered repetition by repetition, baseline first
 * (the ABAB order run-trial.sh uses). Missing scrapes are allowed: the report then shows no resource
 * figures for that run and says why.
 */
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { k6Driver } from '../../src/drivers/index.js';
import { parsePlan } from '../../src/plan/index.js';
import { newTrialId, runPaths, trialPaths, writeJsonAtomic } from '../../src/store/index.js';
import {
  EXIT,
  HotswapError,
  InputError,
  type K6PhaseSpec,
  type Manifest,
  type Plan,
  type Role,
  type RunRecord,
  warning,
} from '../../src/model/index.js';

/** One run's files as found in the input folder (names only; the caller joins them with the folder). */
export interface FoundRun {
  role: Role;
  repetition: number;
  outputs: string[];
  summaries: string[];
  metricsBefore?: string;
  metricsAfter?: string;
}

const OUTPUT = /^(?:.*-)?(baseline|candidate)-r(\d+)-.+\.csv(?:\.gz)?$/;
const SUMMARY = /^(?:.*-)?(baseline|candidate)-r(\d+)-.+\.summary\.json$/;
const SCRAPE = /^(?:.*-)?(baseline|candidate)-r(\d+)\.(before|after)\.prom$/;

/**
 * Groups file names into runs, in execution order (repetition, then baseline before candidate). Pure.
 * Files that match none of the patterns are ignored; a run with scrapes but no k6 output is an error,
 * because analysing it would silently drop a repetition.
 */
export const groupRuns = (names: string[]): FoundRun[] => {
  const runs = new Map<string, FoundRun>();
  const get = (role: string, rep: string): FoundRun => {
    const key = `${rep.padStart(6, '0')}-${role === 'baseline' ? 0 : 1}`;
    let run = runs.get(key);
    if (!run) {
      run = { role: role as Role, repetition: Number(rep), outputs: [], summaries: [] };
      runs.set(key, run);
    }
    return run;
  };
  for (const name of [...names].sort()) {
    let m = OUTPUT.exec(name);
    if (m) {
      get(m[1]!, m[2]!).outputs.push(name);
      continue;
    }
    m = SUMMARY.exec(name);
    if (m) {
      get(m[1]!, m[2]!).summaries.push(name);
      continue;
    }
    m = SCRAPE.exec(name);
    if (m) {
      const run = get(m[1]!, m[2]!);
      if (m[3] === 'before') run.metricsBefore = name;
      else run.metricsAfter = name;
    }
  }
  const ordered = [...runs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  for (const run of ordered) {
    if (run.outputs.length === 0) {
      throw new InputError(
        `no k6 output (*.csv or *.csv.gz) for ${run.role} repetition ${run.repetition}, only its other files`,
      );
    }
  }
  return ordered;
};

/** Picks the phase the gathered runs belong to: the named one, or the plan's first k6 phase. */
export const pickPhase = (plan: Plan, name?: string): K6PhaseSpec => {
  const k6 = plan.phases.filter((p): p is K6PhaseSpec => p.driver === 'k6');
  const phase = name === undefined ? k6[0] : k6.find((p) => p.name === name);
  if (!phase) {
    const known = k6.map((p) => p.name).join(', ') || '(none)';
    throw new InputError(`--phase: no k6 phase ${name ?? ''} in the plan (k6 phases: ${known})`);
  }
  return phase;
};

/**
 * The manifest's run records for the found runs, with their raw paths inside the trial folder
 * (`raw/<run-id>/k6-<i>.csv.gz`, …) as `hotswap run` names them. Pure: no clock, no file system.
 */
export const buildRunRecords = (
  plan: Plan,
  phase: K6PhaseSpec,
  found: FoundRun[],
  k6Version: string,
): RunRecord[] =>
  found.map((run, order) => {
    const id = `r${String(order).padStart(3, '0')}-${run.role}-${phase.name}`;
    const paths = runPaths(id);
    const gz = (name: string): boolean => name.endsWith('.gz');
    return {
      id,
      role: run.role,
      configurationName: plan.configurations[run.role].name,
      phase: phase.name,
      scenario: phase.scenario,
      repetition: run.repetition,
      order,
      driver: 'k6',
      driverVersion: k6Version,
      status: 'ok',
      warmupSeconds: plan.warmupSeconds,
      generator: {
        ...(phase.rateRps === undefined ? {} : { offeredRps: phase.rateRps }),
        limited: false,
      },
      raw: {
        outputs: run.outputs.map((name, i) =>
          gz(name)
            ? k6Driver.raw(paths.dir, i).output
            : k6Driver.raw(paths.dir, i).output.replace(/\.gz$/, ''),
        ),
        logs: [],
        ...(run.summaries.length > 0 ? { summary: k6Driver.raw(paths.dir, 0).summary } : {}),
        ...(run.metricsBefore ? { metricsBefore: paths.metricsBefore } : {}),
        ...(run.metricsAfter ? { metricsAfter: paths.metricsAfter } : {}),
      },
      warnings: [
        warning('gathered-elsewhere', { processes: run.outputs.length }),
        ...(run.metricsBefore && run.metricsAfter ? [] : [warning('no-scrapes', { k8s: true })]),
      ],
    };
  });

const usage = `usage: npx tsx deploy/k8s/assemble-trial.ts --plan PLAN --from DIR [--out DIR] [--phase NAME] [--k6-version V]`;

/** Reads the inputs, copies the files into a new trial folder and writes plan.json and manifest.json. */
export const assembleTrial = async (opts: {
  planFile: string;
  from: string;
  out?: string;
  phase?: string;
  k6Version?: string;
  now?: Date;
}): Promise<string> => {
  let text: string;
  try {
    text = await readFile(opts.planFile, 'utf8');
  } catch (err) {
    throw new InputError(`--plan ${opts.planFile}: cannot read: ${(err as NodeJS.ErrnoException).code}`);
  }
  const plan = parsePlan(text, opts.planFile);
  const phase = pickPhase(plan, opts.phase);
  let names: string[];
  try {
    names = await readdir(opts.from);
  } catch (err) {
    throw new InputError(`--from ${opts.from}: cannot read: ${(err as NodeJS.ErrnoException).code}`);
  }
  const found = groupRuns(names);
  if (found.length === 0) throw new InputError(`--from ${opts.from}: no files named <role>-r<N>-….csv[.gz]`);
  const now = opts.now ?? new Date();
  const dir = resolve(opts.out ?? join('reports', newTrialId(now, `${plan.name} assembled`)));
  const runs = buildRunRecords(plan, phase, found, opts.k6Version ?? 'unknown');
  for (const [i, run] of runs.entries()) {
    const src = found[i]!;
    await mkdir(join(dir, runPaths(run.id).dir), { recursive: true });
    const copies: [string, string | undefined][] = [
      ...src.outputs.map((name, j): [string, string | undefined] => [name, run.raw.outputs[j]]),
      [src.summaries[0] ?? '', run.raw.summary],
      [src.metricsBefore ?? '', run.raw.metricsBefore],
      [src.metricsAfter ?? '', run.raw.metricsAfter],
    ];
    for (const [name, target] of copies) {
      if (name && target) await copyFile(join(opts.from, name), join(dir, target));
    }
  }
  const target = plan.configurations.baseline;
  const manifest: Manifest = {
    schemaVersion: 1,
    trialId: basename(dir),
    createdAt: now.toISOString(),
    planFrozenAt: now.toISOString(),
    status: 'complete',
    environment: {
      cpus: Math.max(...found.map((r) => r.outputs.length)),
      node: process.version,
      k6Version: opts.k6Version ?? 'unknown',
      pinned: false,
      targetHost: 'url' in target ? new URL(target.url).hostname : '127.0.0.1',
    },
    runs,
  };
  const paths = trialPaths(dir);
  await writeJsonAtomic(paths.plan, plan);
  await writeJsonAtomic(paths.manifest, manifest);
  return dir;
};

const cli = async (argv: string[]): Promise<number> => {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        plan: { type: 'string' },
        from: { type: 'string' },
        out: { type: 'string' },
        phase: { type: 'string' },
        'k6-version': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    if (!values.plan || !values.from) throw new InputError(`--plan and --from are required\n${usage}`);
    const dir = await assembleTrial({
      planFile: values.plan,
      from: values.from,
      ...(values.out ? { out: values.out } : {}),
      ...(values.phase ? { phase: values.phase } : {}),
      ...(values['k6-version'] ? { k6Version: values['k6-version'] } : {}),
    });
    process.stderr.write(`assemble-trial: wrote ${dir}; next: npx hotswap analyze ${dir}\n`);
    process.stdout.write(`${dir}\n`);
    return 0;
  } catch (err) {
    const parseArgsError = (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    const code =
      err instanceof HotswapError ? err.exitCode : parseArgsError ? EXIT.usage : EXIT.infrastructure;
    process.stderr.write(`assemble-trial: ${(err as Error).message.split('\n')[0]}\n`);
    return code;
  }
};

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await cli(process.argv.slice(2));
}
