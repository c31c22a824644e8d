import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { generateCorpus, toNdjsonLine, validateCorpusText } from '../corpus/index.js';
import { ABORT_GRACE_MS, DRIVER_REGISTRY, inspectScript, k6Driver } from '../drivers/index.js';
import {
  EXIT,
  HotswapError,
  InfrastructureError,
  InputError,
  recordsDigests,
  maxRepetitions,
  serviceArgsFor,
  type ConfigurationSpec,
  type K6PhaseSpec,
  type Manifest,
  type Plan,
  type ReportModel,
  type Role,
  type RunRecord,
} from '../model/index.js';
import { checkTargets } from '../plan/index.js';
import {
  ensureDir,
  newTrialId,
  onForcedExit,
  runPaths,
  trialPaths,
  writeJsonAtomic,
  writeJsonAtomicSync,
  writeLinesAtomic,
} from '../store/index.js';
import { allowedCpus, pinPlan } from './cpus.js';
import { describeEnvironment } from './environment.js';
import { estimateSeconds, formatDuration, phaseSeconds } from './progress.js';
import { gatherAround, rawPathsOf, type Gatherer } from './gatherer.js';
import {
  admitBlocks,
  failRest,
  failRun,
  finishRun,
  interruptRunning,
  noteProbe,
  startRun,
} from './run-state.js';
import { blockOf, strategyFor, type Block, type ScheduleStrategy, type ScheduleView } from './schedule.js';
import { newAdminToken, startService, type RunningService } from './service.js';
import { gatherersFor } from './gatherers.js';
import { sweepStaleCgroups } from './os/index.js';
import { profileServiceArgs } from './profile.js';

/**
 * Gathers one trial into `<outDir>/<trial-id>/` (ARCHITECTURE.md, the trial folder). For each block the
 * schedule strategy returns (a configuration × repetition; by default the plan's fixed interleaved order):
 * start the service pinned to the first CPU this process may use, wait for health, warm up (a k6 steady
 * run at the first phase's rate, not recorded as a run), then for each phase run the driver pinned to the
 * second allowed CPU with the gatherers around it (by default the /metrics scrapes before, during and
 * after); stop the service.
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
  /** What runs next (default: `strategyFor(plan)`, today the plan's fixed schedule). */
  strategy?: ScheduleStrategy;
  /** What is collected around every run, in order (default: `gatherersFor(plan)`, the /metrics scrapes). */
  gatherers?: readonly Gatherer[];
  /**
   * The analysis of the trial folder so far, for strategies that decide on results (sequential looks).
   * The CLI passes it (trial/ does not import analysis/); without it `view.analyse()` rejects.
   */
  analyse?: (dir: string) => Promise<ReportModel>;
}

/** What every run of a trial shares. */
export interface TrialContext {
  plan: Plan;
  /** Absolute trial folder. */
  dir: string;
  corpusPath: string;
  cpus: { service?: number; generator?: number };
  adminToken: string;
  signal: AbortSignal;
  now: () => Date;
  gatherers: readonly Gatherer[];
  /** --allow-remote: a user's script may reach other hosts (else k6 gets `--blacklist-ip`). */
  allowRemote: boolean;
}

/** Everything one measured run needs: the trial's context and its block's running service. */
export interface RunContext extends TrialContext {
  service: RunningService;
  /** The block's service log (in the folder of its first run), relative to the trial folder. */
  serviceLog: string;
}

export interface TrialResult {
  dir: string;
  manifest: Manifest;
  exitCode: number;
  wallSeconds: number;
}

/** Refuses targets that are not loopback unless explicitly allowed: see src/plan/targets.ts. */
export { checkTargets };

/** `-shadow-percent N` for a reference rust build when the plan asks for shadow mode (service/README.md). */
export const shadowArgs = (plan: Plan, spec: ConfigurationSpec): string[] =>
  spec.kind === 'reference' && spec.build === 'rust' && (plan.correctness?.shadowPercent ?? 0) > 0
    ? ['-shadow-percent', String(plan.correctness!.shadowPercent)]
    : [];

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

/**
 * Script phases: the script's path resolved against the plan file (plan.json freezes the absolute path,
 * so the folder says what ran) and what `k6 inspect` reads in its options (its load seconds, executors).
 * A script that is missing or that k6 cannot read is bad input (exit 2), before anything starts.
 */
const resolveScripts = async (plan: Plan, planFile: string): Promise<Plan> => {
  const phases: Plan['phases'] = [];
  for (const [i, p] of plan.phases.entries()) {
    if (p.driver !== 'k6' || p.scenario !== 'script' || p.script === undefined) {
      phases.push(p);
      continue;
    }
    const where = `${planFile}: phases.${i}.script`;
    const script = resolve(dirname(planFile), p.script);
    try {
      await access(script, constants.R_OK);
    } catch {
      throw new InputError(`${where}: cannot read ${script}`);
    }
    const scriptOptions = await inspectScript(script, { BASE_URL: 'http://127.0.0.1:1', ...p.env }, where);
    phases.push({ ...p, script, scriptOptions });
  }
  return { ...plan, phases };
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

/** The state one trial's blocks share. */
interface Loop {
  trial: TrialContext;
  manifest: Manifest;
  /** Rewrites manifest.json atomically. */
  save: () => Promise<void>;
  record: (id: string) => RunRecord;
  progress: (line: string) => void;
  /** Estimated seconds of the blocks the strategy has decided beyond the current one. */
  upcomingSeconds: () => number;
  t0: number;
  /** Set when a failure stops the trial (onRunFailure: stop). */
  stopped: boolean;
  /** Asks the strategy for more runs of the running block (ScheduleStrategy.extend); false: none. */
  extend: (block: Block) => Promise<boolean>;
}

/**
 * One block: start the configuration's service (a failed start fails the block's runs), warm up, run
 * each phase, stop the service. A service that dies fails the rest of the block.
 */
const runBlock = async (loop: Loop, block: Block): Promise<void> => {
  const { plan, dir, signal } = loop.trial;
  const spec = plan.configurations[block.role];
  const first = block.runs[0];
  if (!first) return;
  const serviceLog = join(dir, runPaths(first.id).serviceLog);
  await ensureDir(dirname(serviceLog));
  let service: RunningService;
  try {
    service = await startService({
      role: block.role,
      spec,
      logFile: serviceLog,
      cpu: loop.trial.cpus.service,
      adminToken: loop.trial.adminToken,
      seed: plan.seed,
      signal,
      // Flags the block needs: shadow (correctness), pprof (profile), the fault drill's
      // -allow-fault-injection; never any by default.
      serviceArgs: [
        ...shadowArgs(plan, spec),
        ...(spec.kind === 'reference' && plan.profile ? profileServiceArgs(plan) : []),
        ...serviceArgsFor(block.runs.map((r) => r.phase)),
      ],
    });
  } catch (err) {
    if (signal.aborted) return;
    const reason = `service did not start: ${(err as Error).message}`;
    failRest(
      block.runs.map((r) => loop.record(r.id)),
      reason,
      'pending',
      { raw: { outputs: [], logs: [runPaths(first.id).serviceLog] } },
    );
    await loop.save();
    loop.progress(`hotswap: ${block.role} (${spec.name}) rep ${block.repetition}: ${reason}`);
    if (plan.onRunFailure === 'stop') loop.stopped = true;
    return;
  }
  // On Ctrl-C the service goes at once, in parallel with the driver's own shutdown (both SIGKILLed after
  // ABORT_GRACE_MS, inside the CLI's one-second interrupt deadline).
  const stopOnAbort = (): void => void service.stop(ABORT_GRACE_MS);
  signal.addEventListener('abort', stopOnAbort, { once: true });
  const ctx: RunContext = { ...loop.trial, service, serviceLog: runPaths(first.id).serviceLog };
  try {
    await warmUp(ctx, block);
    // block.runs may grow while it runs (ScheduleStrategy.extend), hence the index.
    for (let i = 0; i < block.runs.length; i += 1) {
      const run = block.runs[i]!;
      if (signal.aborted || loop.stopped) break;
      const measured = await runOne(loop, ctx, block, run);
      if (measured && service.died() !== undefined) {
        // The service is gone: the block's remaining runs cannot run.
        failRest(
          block.runs.map((r) => loop.record(r.id)),
          `service died earlier in this block (exit code ${service.died()})`,
        );
        await loop.save();
        break;
      }
      if (i === block.runs.length - 1 && !signal.aborted && !loop.stopped) await loop.extend(block);
    }
  } finally {
    signal.removeEventListener('abort', stopOnAbort);
    await service.stop(signal.aborted ? ABORT_GRACE_MS : 5000);
  }
};

/**
 * One run of a block: the progress line, the measurement, the record saved. Returns false when the
 * measurement threw (the run is failed with the reason); throws only to stop the trial.
 */
const runOne = async (
  loop: Loop,
  ctx: RunContext,
  block: Block,
  run: Block['runs'][number],
): Promise<boolean> => {
  const { plan } = ctx;
  const spec = plan.configurations[block.role];
  const done = loop.manifest.runs.filter((r) => r.status !== 'pending' && r.status !== 'running').length;
  const elapsed = (Date.now() - loop.t0) / 1000;
  const left =
    loop.upcomingSeconds() +
    block.runs.filter((r) => r.order >= run.order).reduce((s, r) => s + phaseSeconds(r.phase) + 1.5, 0);
  loop.progress(
    `hotswap: run ${done + 1}/${loop.manifest.runs.length}: ${block.role} (${spec.name}) ${run.phase.name}, repetition ${block.repetition}/${maxRepetitions(plan)} · elapsed ${formatDuration(elapsed)} · ETA ${formatDuration(left)}`,
  );
  const rec = loop.record(run.id);
  let failed: boolean;
  try {
    failed = await measure(ctx, rec, run.phase);
  } catch (err) {
    // A driver, mkdir or open that throws must not leave the run "running": record why, go on
    // per onRunFailure (the outer catch marks the trial failed when we stop).
    failRun(rec, messageOf(err), { endedAt: ctx.now() });
    await loop.save();
    if (plan.onRunFailure === 'stop') throw err;
    loop.progress(`hotswap: run ${rec.id} failed: ${messageOf(err)}`);
    return false;
  }
  await loop.save();
  if (failed && plan.onRunFailure === 'stop') loop.stopped = true;
  return true;
};

export const runTrial = async (opts: TrialOptions): Promise<TrialResult> => {
  const { signal } = opts;
  const now = opts.now ?? (() => new Date());
  checkTargets(opts.plan, opts.planFile, opts.allowRemote);
  await checkCorpusPath(opts.plan, opts.planFile);
  const plan = await resolveScripts(opts.plan, opts.planFile);
  // Groups a killed hotswap left behind (SIGKILL cannot clean up); failure to sweep is not fatal.
  await sweepStaleCgroups().catch(() => []);
  const started = now();
  const trialId = newTrialId(started, plan.name);
  const dir = resolve(opts.outDir, trialId);
  const paths = trialPaths(dir);
  await ensureDir(paths.raw);
  await writeJsonAtomic(paths.plan, plan);
  const corpusPath = await prepareCorpus(plan, opts.planFile, dir);

  const cpus: { service?: number; generator?: number } = plan.pinCpus ? pinPlan(await allowedCpus()) : {};
  const pin = cpus.generator !== undefined;
  const strategy = opts.strategy ?? strategyFor(plan);
  const manifest: Manifest = {
    schemaVersion: 1,
    trialId,
    createdAt: started.toISOString(),
    planFrozenAt: started.toISOString(),
    status: 'running',
    environment: await describeEnvironment(pin),
    runs: [],
  };
  const blocks: Block[] = [];
  const analyse = opts.analyse;
  const view = (): ScheduleView => ({
    plan,
    manifest,
    blocks,
    nextOrder: manifest.runs.length,
    analyse: () =>
      analyse
        ? analyse(dir)
        : Promise.reject(new Error(`schedule ${strategy.name} asked for an analysis, but none was given`)),
  });
  admitBlocks(manifest, plan, strategy.upcoming(view()));
  const save = (): Promise<void> => writeJsonAtomic(paths.manifest, manifest);
  await save();
  // If the CLI must exit before the trial has finished stopping (its interrupt deadline, a second
  // Ctrl-C), the manifest still says interrupted, with the run in flight marked so.
  const lastWords = onForcedExit(() => {
    interruptRunning(manifest.runs, now());
    manifest.status = 'interrupted';
    writeJsonAtomicSync(paths.manifest, manifest);
  });
  const loop: Loop = {
    trial: {
      plan,
      dir,
      corpusPath,
      cpus,
      adminToken: newAdminToken(),
      signal,
      now,
      gatherers: opts.gatherers ?? gatherersFor(plan),
      allowRemote: opts.allowRemote ?? false,
    },
    manifest,
    save,
    record: (id) => manifest.runs.find((r) => r.id === id) as RunRecord,
    progress: opts.progress,
    upcomingSeconds: () => estimateSeconds([...strategy.upcoming(view())], 0, plan.warmupSeconds),
    t0: Date.now(),
    stopped: false,
    extend: async (block) => {
      if (!strategy.extend) return false;
      const ext = await strategy.extend(view(), block);
      for (const { runId, probe } of ext.notes ?? []) noteProbe(loop.record(runId), probe);
      const more = blockOf(block.role, block.repetition, ext.runs, manifest.runs.length).runs;
      block.runs.push(...more);
      admitBlocks(manifest, plan, [{ ...block, runs: more }]);
      await save();
      return more.length > 0;
    },
  };

  try {
    while (!signal.aborted && !loop.stopped) {
      const block = await strategy.next(view());
      if (block === 'done') break;
      blocks.push(block);
      if (admitBlocks(manifest, plan, [block, ...strategy.upcoming(view())])) await save();
      await runBlock(loop, block);
    }
  } catch (err) {
    // Whatever escaped, the manifest says so (written atomically) before the error goes up.
    failRest(manifest.runs, messageOf(err), 'running');
    manifest.status = 'failed';
    await save();
    lastWords();
    if (err instanceof HotswapError) throw err;
    throw new InfrastructureError(`${trialId}: the trial stopped: ${messageOf(err)}`);
  }

  const interrupted = signal.aborted;
  manifest.status = interrupted ? 'interrupted' : loop.stopped ? 'failed' : 'complete';
  await save();
  lastWords();
  const wallSeconds = (Date.now() - loop.t0) / 1000;
  const exitCode = interrupted ? 130 : loop.stopped ? EXIT.infrastructure : EXIT.ok;
  return { dir, manifest, exitCode, wallSeconds };
};

/** Warm-up: the first k6 phase's rate for `warmupSeconds`, output kept in the first run's folder but not listed as a run. */
const warmUp = async (ctx: RunContext, block: Block): Promise<void> => {
  const { plan } = ctx;
  if (plan.warmupSeconds <= 0) return;
  const k6Phase = plan.phases.find((p): p is K6PhaseSpec => p.driver === 'k6');
  // The gentlest rate the plan asks for: warming up must not leave a queue behind for the first run.
  const rates = k6Phase
    ? [k6Phase.rateRps, k6Phase.steps?.[0]?.rateRps, k6Phase.fromRps].filter(
        (x): x is number => x !== undefined,
      )
    : [];
  const rate = rates.length ? Math.min(...rates) : 20;
  const first = block.runs[0];
  if (!first) return;
  await k6Driver.run({
    runId: `${first.id}/warmup`,
    trialDir: ctx.dir,
    baseUrl: ctx.service.baseUrl,
    phase: {
      name: 'warmup',
      driver: 'k6',
      scenario: 'steady',
      rateRps: rate,
      durationSeconds: plan.warmupSeconds,
    },
    corpusPath: ctx.corpusPath,
    slo: plan.slo,
    cpu: ctx.cpus.generator,
    signal: ctx.signal,
  });
};

/** One measured run: the driver with the gatherers around it; fills the record. Returns true when it failed. */
const measure = async (ctx: RunContext, rec: RunRecord, phase: Plan['phases'][number]): Promise<boolean> => {
  const { plan, service, adminToken, signal } = ctx;
  const spec = plan.configurations[rec.role as Role];
  const { impl, share } = implOf(spec);
  startRun(rec, ctx.now(), ctx.cpus);
  const gathered = await gatherAround(
    ctx.gatherers,
    {
      plan,
      runId: rec.id,
      role: rec.role as Role,
      phase,
      plannedSeconds: phaseSeconds(phase),
      trialDir: ctx.dir,
      paths: runPaths(rec.id),
      service,
      trialSignal: signal,
      corpusPath: ctx.corpusPath,
      ...(ctx.cpus.generator !== undefined ? { generatorCpu: ctx.cpus.generator } : {}),
    },
    () =>
      DRIVER_REGISTRY[phase.driver].run({
        runId: rec.id,
        trialDir: ctx.dir,
        baseUrl: service.baseUrl,
        phase,
        corpusPath: ctx.corpusPath,
        slo: plan.slo,
        seed: plan.seed,
        cpu: ctx.cpus.generator,
        drill: { adminToken, flipBackImpl: impl, flipBackSharePercent: share },
        allowRemote: ctx.allowRemote,
        ...(recordsDigests(plan.correctness, phase, rec.overrides) ? { env: { DIGESTS: '1' } } : {}),
        signal,
      }),
    (w) => rec.warnings.push(w),
  );
  const result = gathered.value;
  const status = finishRun(rec, {
    result,
    raw: rawPathsOf(ctx.serviceLog, gathered, result),
    endedAt: ctx.now(),
    serviceDied: service.died(),
    serviceLog: ctx.serviceLog,
    aborted: signal.aborted,
  });
  return status === 'failed';
};
