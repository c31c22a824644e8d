import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../drivers/index.js';
import { InfrastructureError } from '../model/index.js';
import { referenceBinary } from '../trial/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';
import { openInBrowser } from './report.js';
import { runTrialPipeline, trialOutcomeJson } from './trial.js';

const HELP = `
Runs plans/reference-quick.yaml against the bundled reference service: pure Go (baseline) vs the Rust
hotspot build (candidate). First each build's capacity search (the highest Poisson arrival rate at which
a probe meets the SLO, p95 ≤ 100 ms), then sequential interleaved repetitions of a steady phase that stop
as soon as the verdict is settled (looks at 5 and 10 runs per arm), about three minutes on two cores. Builds the
service and k6 first when they are missing (npm run setup). Then analyses the trial and renders the
report: ends with the verdict, where the looks stopped, and the path of report.html. Exits 0 once the
report is written, whatever the verdict (\`hotswap trial\` exits with the verdict's code).

Examples:
  hotswap demo
  hotswap demo --open
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
  open?: boolean;
}

export const demoCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('demo')
      .description(
        'quick trial of the reference service, pure Go vs Rust hotspot, ending in report.html (about 2–3 minutes)',
      )
      .option('--out <dir>', 'where the trial folder goes', 'reports')
      .option('--json', 'print one JSON document (trial folder, runs, decision, report paths) on stdout')
      .option('--open', 'open report.html in a browser at the end, where one exists')
      .addHelpText('after', HELP)
      .action(async (flags: DemoFlags) => {
        ensureBuilt(io);
        const plan = join(packageRoot(), 'plans', 'reference-quick.yaml');
        const outcome = await runTrialPipeline({ plan, out: flags.out, json: flags.json }, io);
        if (flags.json) io.stdout(trialOutcomeJson(outcome));
        const html = outcome.written.find((w) => w.format === 'html');
        if (flags.open && html) await openInBrowser(html.path, io);
        // A demo shows the verdict; it does not gate on it (that is `hotswap trial`'s exit code): once the
        // report is written it exits 0, and only a failure to gather (3, 130) is passed on.
        setExit(outcome.model ? 0 : outcome.exitCode);
      });
  },
};
