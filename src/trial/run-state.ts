import { INTERRUPTED_REASON, type DriverResult } from '../drivers/index.js';
import {
  warning,
  type Manifest,
  type Plan,
  type ProbeNote,
  type RawPaths,
  type RunRecord,
  type RunStatus,
} from '../model/index.js';
import type { Block, ScheduledRun } from './schedule.js';

/**
 * The only places a run record changes state: pending → running (`startRun`) → ok | failed | interrupted
 * (`finishRun`), or failed with a reason from pending or running (`failRun`, `failRest`). The trial loop
 * calls these instead of assigning fields by hand, so every record in a manifest went through one of them.
 * Field order in the written JSON stays as it always was (assignments happen in the same order).
 */

/** A transition from a state it does not start from is a bug in the loop, not bad input. */
const expect = (rec: RunRecord, allowed: RunStatus[], what: string): void => {
  if (!allowed.includes(rec.status))
    throw new Error(`run ${rec.id}: cannot ${what} a run that is ${rec.status}`);
};

/** pending → running: stamps the start and the CPUs the service and the generator are pinned to. */
export const startRun = (rec: RunRecord, at: Date, cpus: { service?: number; generator?: number }): void => {
  expect(rec, ['pending'], 'start');
  rec.status = 'running';
  rec.startedAt = at.toISOString();
  if (cpus.service !== undefined) rec.serviceCpu = cpus.service;
  if (cpus.generator !== undefined) rec.generatorCpu = cpus.generator;
};

/** How a measured run ended, as the loop saw it. */
export interface RunOutcome {
  result: DriverResult;
  /** Raw paths of the run (driver outputs, logs, gatherers' files). */
  raw: RawPaths;
  endedAt: Date;
  /** The service's exit code when it died during the run. */
  serviceDied?: number;
  /** The block's service log, named in the reason when the service died. */
  serviceLog: string;
  /** Ctrl-C or SIGTERM arrived. */
  aborted: boolean;
}

/** running → ok | failed | interrupted: records the driver's result and decides the status. */
export const finishRun = (rec: RunRecord, o: RunOutcome): RunStatus => {
  expect(rec, ['running'], 'finish');
  const { result } = o;
  rec.raw = o.raw;
  rec.endedAt = o.endedAt.toISOString();
  rec.driverVersion = result.driverVersion;
  rec.driverExitCode = result.exitCode;
  rec.thresholdsCrossed = result.thresholdsCrossed;
  rec.generator = result.generator;
  rec.warnings.push(...result.warnings);
  if (result.generator.limited)
    rec.warnings.push(
      warning('generator-limited', {
        in: 'run',
        ...(result.generator.limitedReason !== undefined ? { reason: result.generator.limitedReason } : {}),
      }),
    );
  if (result.status === 'interrupted' || o.aborted) {
    rec.status = 'interrupted';
    rec.failureReason = INTERRUPTED_REASON;
  } else if (o.serviceDied !== undefined) {
    rec.status = 'failed';
    rec.failureReason = `the service died during the run (exit code ${o.serviceDied}; log: ${o.serviceLog})`;
  } else if (result.status === 'failed') {
    rec.status = 'failed';
    rec.failureReason = result.failureReason ?? 'the driver failed';
  } else {
    rec.status = 'ok';
  }
  return rec.status;
};

/** pending | running → failed, with the one-line reason; `raw` replaces the record's paths when given. */
export const failRun = (
  rec: RunRecord,
  reason: string,
  extra: { endedAt?: Date; raw?: RawPaths } = {},
): void => {
  expect(rec, ['pending', 'running'], 'fail');
  rec.status = 'failed';
  rec.failureReason = reason;
  if (extra.raw) rec.raw = extra.raw;
  if (extra.endedAt) rec.endedAt = extra.endedAt.toISOString();
};

/**
 * running → interrupted for every run still in flight, at `endedAt`: the last words of a trial the CLI
 * must exit before it has finished stopping (src/cli/index.ts's interrupt deadline).
 */
export const interruptRunning = (records: RunRecord[], endedAt: Date): void => {
  for (const rec of records.filter((r) => r.status === 'running')) {
    rec.status = 'interrupted';
    rec.failureReason = INTERRUPTED_REASON;
    rec.endedAt = endedAt.toISOString();
  }
};

/**
 * Fails every record of `records` that is still `which` (pending: the rest of a block that cannot run;
 * running: whatever was in flight when the trial stopped). Returns how many it failed.
 */
export const failRest = (
  records: RunRecord[],
  reason: string,
  which: 'pending' | 'running' = 'pending',
  extra: { raw?: RawPaths } = {},
): number => {
  const rest = records.filter((r) => r.status === which);
  for (const r of rest) failRun(r, reason, extra.raw ? { raw: structuredClone(extra.raw) } : {});
  return rest.length;
};

/** The manifest entry of a run that has not started yet. */
export const pendingRecord = (plan: Plan, block: Block, run: ScheduledRun): RunRecord => ({
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
  ...(run.overrides ? { overrides: run.overrides } : {}),
  warnings: [],
});

/**
 * Lists the runs of `blocks` that the manifest does not list yet, as pending, keeping the manifest in run
 * order. Returns how many it added (0 when a strategy returned blocks it had announced before).
 */
export const admitBlocks = (manifest: Manifest, plan: Plan, blocks: readonly Block[]): number => {
  const known = new Set(manifest.runs.map((r) => r.id));
  let added = 0;
  for (const b of blocks)
    for (const r of b.runs) {
      if (known.has(r.id)) continue;
      manifest.runs.push(pendingRecord(plan, b, r));
      known.add(r.id);
      added += 1;
    }
  // The manifest lists runs in execution order, whatever order the strategy announced them in.
  if (added) manifest.runs.sort((a, b) => a.order - b.order);
  return added;
};

/** ok → ok with a capacity-search probe's judgement (the search judges a probe after it ran). */
export const noteProbe = (rec: RunRecord, note: ProbeNote): void => {
  expect(rec, ['ok'], 'judge as a probe');
  rec.probe = note;
};
