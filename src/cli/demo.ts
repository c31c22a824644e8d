import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../drivers/index.js';
import { InfrastructureError } from '../model/index.js';
import { referenceBinary } from '../trial/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';
import { printEnding, runPlanFile, trialSummary } from './run.js';

const HELP = `
Runs plans/reference-quick.yaml against the bundled reference service: pure Go (baseline) vs the Rust
hotspot build (candidate), 3 interleaved repetitions each of a steady phase and a short ramp, about two
minutes on two cores. Builds the service and k6 first when they are missing (npm run setup). Ends by
printing where the trial folder is.

Examples:
  hotswap demo
  hotswap demo --out /tmp/trials --json`;

/**
 * Builds what the demo needs when it is missing (the same idempotent set-up as `npm run setup`). Its output
 * goes to stderr: stdout carries only the result (one JSON document with --json).
 */
const ensureBuilt = (io: Io): void => {
  const root = packageRoot();
  const missing = [
    referenceBinary('baseline'),
    referenceBinary('rust'),
    join(root, '.tools', 'bin', 'k6'),
  ].filter((p) => !existsSync(p));
  if (missing.length === 0) return;
  io.stderr(`hotswap demo: ${missing.length} build output(s) missing; running scripts/setup.sh\n`);
  const res = spawnSync('bash', [join(root, 'scripts', 'setup.sh')], {
    stdio: ['ignore', process.stderr, process.stderr],
    cwd: root,
  });
  if (res.status !== 0)
    throw new InfrastructureError(`set-up failed (exit ${res.status}); run \`npm run setup\` to see why`);
};

interface DemoFlags {
  out: string;
  json?: boolean;
}

export const demoCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('demo')
      .description('quick trial of the reference service, pure Go vs Rust hotspot (about 2 minutes)')
      .option('--out <dir>', 'where the trial folder goes', 'reports')
      .option('--json', 'print one JSON document (trial folder, status, runs) on stdout')
      .addHelpText('after', HELP)
      .action(async (flags: DemoFlags) => {
        ensureBuilt(io);
        const plan = join(packageRoot(), 'plans', 'reference-quick.yaml');
        const result = await runPlanFile({ plan, out: flags.out }, io);
        if (flags.json) io.stdout(`${JSON.stringify(trialSummary(result))}\n`);
        else printEnding(result, io);
        setExit(result.exitCode);
      });
  },
};
