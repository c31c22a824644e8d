import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError, type Plan } from '../model/index.js';
import { parsePlan } from '../plan/index.js';
import { analyzeTrial } from '../analysis/analyze.js';
import { runTrial, type TrialResult } from '../trial/index.js';
import { loadTrial } from './analyze.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';

const HELP = `
Gathers a trial: for each repetition, in interleaved order, starts each configuration's service pinned to
one core (GOMAXPROCS=1), waits for health, warms up, scrapes /metrics, runs the load pinned to the other
core, scrapes again and stops the service. Writes reports/<trial-id>/ with plan.json (frozen),
manifest.json (runs in order, generator health) and raw/<run-id>/ (k6 CSV, summaries, logs, scrapes).
Progress goes to stderr; k6's own output to each run's log. Ctrl-C stops every child within 5 s and keeps
the finished runs (exit 130). A failed run is marked with its reason; with onRunFailure: stop the trial
ends there (exit 3). Load goes to 127.0.0.1 only unless --allow-remote.

Examples:
  hotswap run --plan plans/reference-quick.yaml
  hotswap run --plan plans/reference-release-review.yaml --out /data/trials --json`;

/** Reads and validates a plan file; errors name the file and field (exit 2). */
export const loadPlan = async (file: string, cwd: string): Promise<{ plan: Plan; path: string }> => {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read the plan (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return { plan: parsePlan(text, file), path };
};

/** The one JSON document of --json: where the trial is and how each run went. */
export const trialSummary = (result: TrialResult) => ({
  trialId: result.manifest.trialId,
  dir: result.dir,
  status: result.manifest.status,
  exitCode: result.exitCode,
  wallSeconds: Math.round(result.wallSeconds * 10) / 10,
  runs: result.manifest.runs.map((r) => ({
    id: r.id,
    role: r.role,
    phase: r.phase,
    status: r.status,
    offeredRps: r.generator.offeredRps,
    achievedRps: r.generator.achievedRps,
    droppedIterations: r.generator.droppedIterations,
    generatorLimited: r.generator.limited,
    thresholdsCrossed: r.thresholdsCrossed,
    ...(r.failureReason ? { failureReason: r.failureReason } : {}),
  })),
});

/** Human ending: where the results are, and what went wrong if anything did. */
export const printEnding = (result: TrialResult, io: Io): void => {
  const runs = result.manifest.runs;
  const by = (s: string) => runs.filter((r) => r.status === s).length;
  const where = relative(io.cwd, result.dir) || result.dir;
  io.stdout(
    `trial ${result.manifest.trialId}: ${result.manifest.status}, ${by('ok')} of ${runs.length} runs ok` +
      `${by('failed') ? `, ${by('failed')} failed` : ''}${by('interrupted') ? `, ${by('interrupted')} interrupted` : ''}` +
      ` in ${Math.round(result.wallSeconds)} s\n`,
  );
  for (const r of runs.filter((x) => x.status === 'failed')) io.stdout(`  ${r.id}: ${r.failureReason}\n`);
  const limited = runs.filter((r) => r.generator.limited);
  if (limited.length) io.stdout(`  generator-limited runs: ${limited.map((r) => r.id).join(', ')}\n`);
  io.stdout(`results: ${where}/ (manifest.json, raw/); next: hotswap analyze ${where}\n`);
};

interface RunFlags {
  plan: string;
  out: string;
  json?: boolean;
  allowRemote?: boolean;
}

export const runPlanFile = async (flags: RunFlags, io: Io): Promise<TrialResult> => {
  const { plan, path } = await loadPlan(flags.plan, io.cwd);
  return runTrial({
    plan,
    planFile: path,
    outDir: resolve(io.cwd, flags.out),
    signal: io.signal,
    allowRemote: flags.allowRemote,
    progress: (line) => io.stderr(`${line}\n`),
    // For strategies that decide on results so far (trial/ may not import analysis/).
    // Quiet: a capacity search analyses after every probe, and "reading run …" lines would drown the progress.
    analyse: async (dir) => analyzeTrial(await loadTrial(dir, { ...io, stderr: () => {} })),
  });
};

export const runCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('run')
      .description('gather a trial: interleaved load runs of both configurations into reports/<trial-id>/')
      .requiredOption('--plan <file>', 'plan file (YAML or JSON), e.g. plans/reference-quick.yaml')
      .option('--out <dir>', 'where trial folders go', 'reports')
      .option('--json', 'print one JSON document (trial folder, status, runs) on stdout')
      .option(
        '--allow-remote',
        'allow non-loopback targets for kind command/url (never the reference service)',
      )
      .addHelpText('after', HELP)
      .action(async (flags: RunFlags) => {
        const result = await runPlanFile(flags, io);
        if (flags.json) io.stdout(`${JSON.stringify(trialSummary(result))}\n`);
        else printEnding(result, io);
        setExit(result.exitCode);
      });
  },
};
