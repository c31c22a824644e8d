import { constants } from 'node:fs';
import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { generateCorpus, toNdjsonLine, validateCorpusText } from '../corpus/index.js';
import { DRIVER_REGISTRY, k6Driver, type DriverResult } from '../drivers/index.js';
import {
  EXIT,
  HotswapError,
  InfrastructureError,
  InputError,
  type ConfigurationSpec,
  type K6PhaseSpec,
  type Manifest,
  type Plan,
  type Role,
  type RunRecord,
} from '../model/index.js';
import { isLoopbackUrl } from '../plan/index.js';
import { newTrialId, runPaths, trialPaths, writeJsonAtomic, writeLinesAtomic } from '../store/index.js';
import { allowedCpus, pinPlan } from './cpus.js';
import { describeEnvironment } from './environment.js';
import { estimateSeconds, formatDuration, phaseSeconds } from './progress.js';
import { schedule, type Block } from './schedule.js';
import { newAdminToken, startService, type RunningService } from './service.js';
import { scrapeTo } from './scrape.js';

/**
 * Gathers one trial into `<outDir>/<trial-id>/` (ARCHITECTURE.md, the trial folder). For each block of the
 * schedule (a configuration × repetition, interleaved): start the service pinned to the first CPU this
 * process may use, wait for health, warm up (a k6 steady run at the first phase's rate, not recorded as a
 * run), then for each phase scrape /metrics, run the driver pinned to the second allowed CPU while scraping
 * a few times, scrape again; stop the service.
 * The manifest is rewritten atomically after every change, so an interrupted trial keeps its finished runs.
 */
export interface TrialOptions {
  plan: Plan;
  /** The plan file, for resolving relative paths and for error messages. */
  planFile: string;
  outDir: string;
  signal: AbortSignal;
  progress: (line: string) => void;
  /** Allow non-loopback targets (kind command/url). Never for the reference service. */
  allowRemote?: boolean;
  now?: () => Date;
}

export interface TrialResult {
  dir: string;
  manifest: Manifest;
  exitCode: number;
  wallSeconds: number;
}

/** Refuses targets that are not loopback unless explicitly allowed (load goes to 127.0.0.1 only). */
export const checkTargets = (plan: Plan, planFile: string, allowRemote = false): void => {
  for (const role of ['baseline', 'candidate'] as const) {
    const spec = plan.configurations[role];
    if (spec.kind === 'reference') continue;
    for (const [field, url] of [
      ['url', spec.url],
      ['metricsUrl', spec.metricsUrl],
    ] as const) {
      if (url && !allowRemote && !isLoopbackUrl(url)) {
        throw new InputError(
          `${planFile}: configurations.${role}.${field}: ${url} is not a loopback address; hotswap sends load to 127.0.0.1 only unless run with --allow-remote`,
        );
      }
    }
  }
};

const implOf = (spec: ConfigurationSpec): { impl: string; share: number } =>
  spec.kind === 'reference'
    ? { impl: spec.impl ?? (spec.build === 'rust' ? 'rust' : 'go'), share: spec.rustSharePercent ?? 100 }
    : { impl: 'rust', share: 100 };

const usesReplay = (plan: Plan): boolean =>
  plan.phases.some((p) => p.driver === 'k6' && p.arrivals === 'replay');

/** A plan's own corpus must be readable before anything starts (bad input: exit 2, no trial folder). */
const checkCorpusPath = async (plan: Plan, planFile: string): Promise<void> => {
  if (!plan.corpus?.path) return;
  const path = resolve(dirname(planFile), plan.corpus.path);
  let text: string;
  try {
    await access(path, constants.R_OK);
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`${planFile}: corpus.path: cannot read ${path}`);
  }
  validateCorpusText(text, path, { needAtMs: usesReplay(plan) });
};

/** The corpus: the plan's file (relative to the plan) or one generated from the seed into the trial folder. */
const prepareCorpus = async (plan: Plan, planFile: string, dir: string): Promise<string> => {
  if (plan.corpus?.path) {
    return resolve(dirname(planFile), plan.corpus.path);
  }
  const path = join(dir, 'corpus.ndjson');
  const gen = generateCorpus({
    seed: plan.seed,
    count: plan.corpus?.count ?? 2000,
    mix: plan.corpus?.mix,
    messyShare: plan.corpus?.messyShare,
  });
  await writeLinesAtomic(
    path,
    (function* () {
      for (const r of gen) yield toNdjsonLine(r);
    })(),
  );
  return path;
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const pendingRecord = (plan: Plan, block: Block, run: Block['runs'][number]): RunRecord => ({
  id: run.id,
  role: block.role,
  configurationName: plan.configurations[block.role].name,
  phase: run.phase.name,
  scenario: run.phase.scenario,
  repetition: block.repetition,
  order: run.order,
  driver: run.phase.driver,
  driverVersion: '',
  status: 'pending',
  warmupSeconds: 0,
  generator: { limited: false },
  raw: { outputs: [], logs: [] },
  warnings: [],
});

export const runTrial = async (opts: TrialOptions): Promise<TrialResult> => {
  const { plan, signal } = opts;
  const now = opts.now ?? (() => new Date());
  checkTargets(plan, opts.planFile, opts.allowRemote);
  await checkCorpusPath(plan, opts.planFile);
  const started = now();
  const trialId = newTrialId(started, plan.name);
  const dir = resolve(opts.outDir, trialId);
  const paths = trialPaths(dir);
  await mkdir(paths.raw, { recursive: true });
  await writeJsonAtomic(paths.plan, plan);
  const corpusPath = await prepareCorpus(plan, opts.planFile, dir);

  const cpus: { service?: number; generator?: number } = plan.pinCpus ? pinPlan(await allowedCpus()) : {};
  const pin = cpus.generator !== undefined;
  const blocks = schedule(plan);
  const manifest: Manifest = {
    schemaVersion: 1,
    trialId,
    createdAt: started.toISOString(),
    planFrozenAt: started.toISOString(),
    status: 'running',
    environment: await describeEnvironment(pin),
    runs: blocks.flatMap((b) => b.runs.map((r) => pendingRecord(plan, b, r))),
  };
  const save = (): Promise<void> => writeJsonAtomic(paths.manifest, manifest);
  await save();
  const record = (id: string): RunRecord => manifest.runs.find((r) => r.id === id) as RunRecord;
  const adminToken = newAdminToken();
  const totalRuns = manifest.runs.length;
  const t0 = Date.now();
  let stopped = false;

  try {
    for (const [bi, block] of blocks.entries()) {
      if (signal.aborted || stopped) break;
      const spec = plan.configurations[block.role];
      const first = block.runs[0];
      if (!first) continue;
      const serviceLog = join(dir, runPaths(first.id).serviceLog);
      await mkdir(dirname(serviceLog), { recursive: true });
      let service: RunningService;
      try {
        service = await startService({
          role: block.role,
          spec,
          logFile: serviceLog,
          cpu: cpus.service,
          adminToken,
          seed: plan.seed,
          signal,
        });
      } catch (err) {
        if (signal.aborted) break;
        const reason = `service did not start: ${(err as Error).message}`;
        for (const r of block.runs)
          Object.assign(record(r.id), {
            status: 'failed',
            failureReason: reason,
            raw: { outputs: [], logs: [runPaths(first.id).serviceLog] },
          });
        await save();
        opts.progress(`hotswap: ${block.role} (${spec.name}) rep ${block.repetition}: ${reason}`);
        if (plan.onRunFailure === 'stop') stopped = true;
        continue;
      }
      // On Ctrl-C the service goes at once, in parallel with the driver's own shutdown (all within 5 s).
      const stopOnAbort = (): void => void service.stop(2000);
      signal.addEventListener('abort', stopOnAbort, { once: true });
      try {
        await warmUp(plan, block, service, corpusPath, dir, cpus.generator, signal);
        for (const run of block.runs) {
          if (signal.aborted || stopped) break;
          const done = manifest.runs.filter((r) => r.status !== 'pending' && r.status !== 'running').length;
          const elapsed = (Date.now() - t0) / 1000;
          const left =
            estimateSeconds(blocks, bi + 1, plan.warmupSeconds) +
            block.runs
              .filter((r) => r.order >= run.order)
              .reduce((s, r) => s + phaseSeconds(r.phase) + 1.5, 0);
          opts.progress(
            `hotswap: run ${done + 1}/${totalRuns}: ${block.role} (${spec.name}) ${run.phase.name}, repetition ${block.repetition}/${plan.repetitions} · elapsed ${formatDuration(elapsed)} · ETA ${formatDuration(left)}`,
          );
          const rec = record(run.id);
          let failed: boolean;
          try {
            failed = await measure(
              plan,
              rec,
              run.phase,
              service,
              runPaths(first.id).serviceLog,
              corpusPath,
              dir,
              cpus,
              adminToken,
              signal,
              now,
            );
          } catch (err) {
            // A driver, mkdir or open that throws must not leave the run "running": record why, go on
            // per onRunFailure (the outer catch marks the trial failed when we stop).
            Object.assign(rec, {
              status: 'failed',
              failureReason: messageOf(err),
              endedAt: now().toISOString(),
            });
            await save();
            if (plan.onRunFailure === 'stop') throw err;
            opts.progress(`hotswap: run ${rec.id} failed: ${messageOf(err)}`);
            continue;
          }
          await save();
          if (failed && plan.onRunFailure === 'stop') stopped = true;
          if (service.died() !== undefined) {
            // The service is gone: the block's remaining runs cannot run.
            for (const r of block.runs.filter((x) => record(x.id).status === 'pending')) {
              Object.assign(record(r.id), {
                status: 'failed',
                failureReason: `service died earlier in this block (exit code ${service.died()})`,
              });
            }
            await save();
            break;
          }
        }
      } finally {
        signal.removeEventListener('abort', stopOnAbort);
        await service.stop(signal.aborted ? 2000 : 5000);
      }
    }
  } catch (err) {
    // Whatever escaped, the manifest says so (written atomically) before the error goes up.
    for (const r of manifest.runs.filter((x) => x.status === 'running'))
      Object.assign(r, { status: 'failed', failureReason: messageOf(err) });
    manifest.status = 'failed';
    await save();
    if (err instanceof HotswapError) throw err;
    throw new InfrastructureError(`${trialId}: the trial stopped: ${messageOf(err)}`);
  }

  const interrupted = signal.aborted;
  manifest.status = interrupted ? 'interrupted' : stopped ? 'failed' : 'complete';
  await save();
  const wallSeconds = (Date.now() - t0) / 1000;
  const exitCode = interrupted ? 130 : stopped ? EXIT.infrastructure : EXIT.ok;
  return { dir, manifest, exitCode, wallSeconds };
};

/** Warm-up: the first k6 phase's rate for `warmupSeconds`, output kept in the first run's folder but not listed as a run. */
const warmUp = async (
  plan: Plan,
  block: Block,
  service: RunningService,
  corpusPath: string,
  dir: string,
  cpu: number | undefined,
  signal: AbortSignal,
): Promise<void> => {
  if (plan.warmupSeconds <= 0) return;
  const k6Phase = plan.phases.find((p): p is K6PhaseSpec => p.driver === 'k6');
  // The gentlest rate the plan asks for: warming up must not leave a queue behind for the first run.
  const rates = k6Phase
    ? [k6Phase.rateRps, k6Phase.steps?.[0]?.rateRps].filter((x): x is number => x !== undefined)
    : [];
  const rate = rates.length ? Math.min(...rates) : 20;
  const first = block.runs[0];
  if (!first) return;
  await k6Driver.run({
    runId: `${first.id}/warmup`,
    trialDir: dir,
    baseUrl: service.baseUrl,
    phase: {
      name: 'warmup',
      driver: 'k6',
      scenario: 'steady',
      rateRps: rate,
      durationSeconds: plan.warmupSeconds,
    },
    corpusPath,
    slo: plan.slo,
    cpu,
    signal,
  });
};

/** One measured run: scrape, drive (scraping during), scrape; fills the record. Returns true when it failed. */
const measure = async (
  plan: Plan,
  rec: RunRecord,
  phase: Plan['phases'][number],
  service: RunningService,
  /** The block's service log (in the folder of its first run), relative to the trial folder. */
  serviceLog: string,
  corpusPath: string,
  dir: string,
  cpus: { service?: number; generator?: number },
  adminToken: string,
  signal: AbortSignal,
  now: () => Date,
): Promise<boolean> => {
  const rp = runPaths(rec.id);
  const spec = plan.configurations[rec.role as Role];
  const { impl, share } = implOf(spec);
  rec.status = 'running';
  rec.startedAt = now().toISOString();
  if (cpus.service !== undefined) rec.serviceCpu = cpus.service;
  if (cpus.generator !== undefined) rec.generatorCpu = cpus.generator;
  const raw: RunRecord['raw'] = { outputs: [], logs: [serviceLog] };
  if (await scrapeTo(service.metricsUrl, join(dir, rp.metricsBefore))) raw.metricsBefore = rp.metricsBefore;
  else
    rec.warnings.push({
      code: 'no-metrics',
      message: 'the service’s /metrics could not be scraped before the run',
      hint: 'set metricsUrl in the plan',
    });

  const seconds = phaseSeconds(phase);
  const every = Math.max(1000, (seconds * 1000) / 6);
  const during: string[] = [];
  let i = 0;
  const timer = setInterval(() => {
    const file = rp.metricsDuring(i);
    i += 1;
    void scrapeTo(service.metricsUrl, join(dir, file)).then((ok) => ok && during.push(file));
  }, every);
  let result: DriverResult;
  try {
    result = await DRIVER_REGISTRY[phase.driver].run({
      runId: rec.id,
      trialDir: dir,
      baseUrl: service.baseUrl,
      phase,
      corpusPath,
      slo: plan.slo,
      seed: plan.seed,
      cpu: cpus.generator,
      env: { ADMIN_TOKEN: adminToken, FLIP_TO: 'go', FLIP_BACK_TO: impl, FLIP_BACK_SHARE: String(share) },
      signal,
    });
  } finally {
    clearInterval(timer);
  }
  if (await scrapeTo(service.metricsUrl, join(dir, rp.metricsAfter))) raw.metricsAfter = rp.metricsAfter;
  during.sort();
  rec.raw = {
    ...raw,
    outputs: result.outputs,
    logs: [...raw.logs, ...result.logs],
    metricsDuring: during,
    ...(result.summary ? { summary: result.summary } : {}),
  };
  rec.endedAt = now().toISOString();
  rec.driverVersion = result.driverVersion;
  rec.driverExitCode = result.exitCode;
  rec.thresholdsCrossed = result.thresholdsCrossed;
  rec.generator = result.generator;
  rec.warnings.push(...result.warnings);
  if (result.generator.limited)
    rec.warnings.push({
      code: 'generator-limited',
      message: result.generator.limitedReason ?? 'the load generator was the limit',
      hint: 'all generator processes share one pinned core: lower the rate, or give the generator a machine with a core to spare',
    });
  const died = service.died();
  if (result.status === 'interrupted' || signal.aborted) {
    rec.status = 'interrupted';
    rec.failureReason = 'interrupted (Ctrl-C or SIGTERM) during the run';
  } else if (died !== undefined) {
    rec.status = 'failed';
    rec.failureReason = `the service died during the run (exit code ${died}; log: ${serviceLog})`;
  } else if (result.status === 'failed') {
    rec.status = 'failed';
    rec.failureReason = result.failureReason ?? 'the driver failed';
  } else {
    rec.status = 'ok';
  }
  return rec.status === 'failed';
};
