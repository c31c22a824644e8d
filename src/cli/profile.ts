import { relative, resolve, join } from 'node:path';
import type { Command } from 'commander';
import { judgeProfileGate, type ProfileGate } from '../analysis/profile-gate.js';
import { DEFAULT_MIN_HOTSPOT_SHARE, EXIT, InputError, type Plan } from '../model/index.js';
import { writeJsonAtomic } from '../store/index.js';
import { analyzeTrial } from '../analysis/analyze.js';
import {
  baselineOnlyStrategy,
  capacitySearchStrategy,
  hasCapacitySearch,
  profiledPhase,
  runTrial,
  type ScheduleStrategy,
} from '../trial/index.js';
import { profileOfRole } from '../report/view.js';
import { analyzeFolder, loadTrial } from './analyze.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';
import { loadPlan } from './run.js';

const HELP = `
The pre-port gate: "if you cannot point to one hotspot with real numbers, do not switch languages yet".
Runs only the baseline, under the plan's profiled phase (its steady load, or profile.rateRps), takes
its CPU profile (plan field profile: { seconds, hotspot: [patterns], minSamples, rateRps }) and says
whether the hotspot's share of the CPU is worth a trial (minHotspotShare, default 0.3, judged on the
share's whole 95 % CI), with Amdahl's ceiling, the top functions and CPU per request per endpoint.
The trial folder (raw profile.pb.gz, report.json, gate.json) goes under --out.

Exit codes: 0 worth a trial, 1 not worth a trial, 4 uncertain (the CI straddles the threshold, or too
few samples), 2 bad plan, 3 infrastructure failure, 130 interrupted.

Examples:
  hotswap profile --plan plans/reference-profile.yaml
  hotswap profile --plan plans/reference-profile.yaml --json | jq .decision`;

export const EXIT_OF: Record<ProfileGate['decision'], number> = {
  'worth-a-trial': EXIT.ok,
  'not-worth-a-trial': EXIT.drop,
  uncertain: EXIT.inconclusive,
};

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The gate's few lines for a terminal. */
export const gateText = (g: ProfileGate, planName: string, dir: string): string => {
  const lines = [
    `${planName}: ${g.decision.toUpperCase().replaceAll('-', ' ')}`,
    `  ${g.reason}${g.rateRps !== undefined ? ` at ${g.rateRps} requests/s` : ''}`,
  ];
  if (g.ceiling)
    lines.push(
      `  Amdahl ceiling: if the hotspot cost nothing, CPU per request could fall at most ${pct(-g.ceiling.change)} (up to ${pct(-g.ceiling.range[0])} within the CI)`,
    );
  lines.push('  top functions (flat, cum):');
  for (const f of g.topFunctions.slice(0, 5))
    lines.push(`    ${pct(f.flat).padStart(6)} ${pct(f.cum).padStart(6)}  ${f.name}`);
  const eps = g.byEndpoint.filter((e) => e.cpuSecondsPerRequest !== undefined);
  if (eps.length)
    lines.push(
      `  CPU per request: ${eps.map((e) => (e.cpuSeconds === 0 ? `${e.endpoint} no samples` : `${e.endpoint} ${(e.cpuSecondsPerRequest! * 1000).toPrecision(3)} ms`)).join(', ')}`,
    );
  lines.push(`results: ${dir}/ (gate.json, report.json, raw/…/profile.pb.gz)`);
  return `${lines.join('\n')}\n`;
};

/** The plan the gate runs: only the profiled phase, once. */
const gatePlan = (plan: Plan, file: string): Plan => {
  if (!plan.profile)
    throw new InputError(`${file}: profile: the gate needs profile: { seconds, hotspot: [patterns] }`);
  if (plan.configurations.baseline.kind !== 'reference')
    throw new InputError(
      `${file}: configurations.baseline: the gate profiles through the reference service's pprof listener (kind reference)`,
    );
  const name = profiledPhase(plan);
  const phase = plan.phases.find((p) => p.name === name);
  if (!phase) throw new InputError(`${file}: profile.phase: no phase named "${name}"`);
  return { ...plan, phases: [phase], repetitions: 1 };
};

/**
 * The baseline's blocks only; with `profile.phase` naming a capacity search, that search probe by probe
 * and then its profile run at the highest passing rate (trial/capacity-search.ts).
 */
export const gateStrategy = (plan: Plan): ScheduleStrategy =>
  hasCapacitySearch(plan)
    ? capacitySearchStrategy(plan, baselineOnlyStrategy(plan))
    : baselineOnlyStrategy(plan);

interface ProfileFlags {
  plan: string;
  out: string;
  json?: boolean;
}

export const runProfileGate = async (
  flags: ProfileFlags,
  io: Io,
): Promise<{ exitCode: number; gate?: ProfileGate; dir: string; planName: string }> => {
  const loaded = await loadPlan(flags.plan, io.cwd);
  const plan = gatePlan(loaded.plan, flags.plan);
  const gathered = await runTrial({
    plan,
    planFile: loaded.path,
    outDir: resolve(io.cwd, flags.out),
    signal: io.signal,
    strategy: gateStrategy(plan),
    // A capacity search asks the analysis of the folder so far for its next probe.
    analyse: async (dir) => analyzeTrial(await loadTrial(dir, { ...io, stderr: () => {} })),
    progress: (line) => io.stderr(`${line}\n`),
  });
  const planName = plan.name;
  if (gathered.exitCode !== 0) return { exitCode: gathered.exitCode, dir: gathered.dir, planName };
  const { model } = await analyzeFolder(gathered.dir, io);
  const profile = profileOfRole(model, 'baseline');
  if (!profile) {
    const why = model.runs.flatMap((r) =>
      r.warnings.filter((w) => w.code === 'gatherer-failed').map((w) => w.message),
    );
    io.stderr(`hotswap: no CPU profile was taken${why.length ? `: ${why.join('; ')}` : ''}\n`);
    return { exitCode: EXIT.infrastructure, dir: gathered.dir, planName };
  }
  const gate = judgeProfileGate(profile, plan.minHotspotShare ?? DEFAULT_MIN_HOTSPOT_SHARE);
  await writeJsonAtomic(join(gathered.dir, 'gate.json'), gate);
  return { exitCode: EXIT_OF[gate.decision], gate, dir: gathered.dir, planName };
};

export const profileCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('profile')
      .description('pre-port gate: profile the baseline under load; is there a hotspot worth a trial?')
      .requiredOption('--plan <file>', 'plan file with a profile: { seconds, hotspot } field')
      .option('--out <dir>', 'where the trial folder goes', 'reports')
      .option('--json', 'print one JSON document (decision, shares, ceiling, top functions) on stdout')
      .addHelpText('after', HELP)
      .action(async (flags: ProfileFlags) => {
        const out = await runProfileGate(flags, io);
        const where = relative(io.cwd, out.dir) || out.dir;
        if (flags.json)
          io.stdout(`${JSON.stringify({ exitCode: out.exitCode, dir: out.dir, ...(out.gate ?? {}) })}\n`);
        else if (out.gate) io.stdout(gateText(out.gate, out.planName, where));
        setExit(out.exitCode);
      });
  },
};
