import { relative } from 'node:path';
import type { Command } from 'commander';
import { exitCodeForVerdict } from '../analysis/verdict.js';
import type { ReportModel } from '../model/index.js';
import { analyzeFolder, verdictText } from './analyze.js';
import type { CommandModule } from './commands.js';
import { writeReports } from './report.js';
import type { Io } from './io.js';
import { printEnding, runPlanFile, trialSummary } from './run.js';

const HELP = `
The whole pipeline in one command: gathers the trial (hotswap run), analyses it (hotswap analyze) and
renders report.html, report.md and report.txt next to report.json (hotswap report). Each stage can be
re-run on its own on the trial folder afterwards.

When the gathering is interrupted (Ctrl-C) or stops on a failed run (onRunFailure: stop), nothing is
analysed: the finished runs stay in the folder, and the exit code says why (130, 3).

Exit codes: 0 keep, 1 drop, 4 inconclusive, 2 bad plan, 3 infrastructure failure, 130 interrupted.

Examples:
  hotswap trial --plan plans/reference-quick.yaml
  hotswap trial --plan plans/reference-release-review.yaml --out /data/trials --json`;

/** Formats a trial writes by default (json is report.json itself, already written by analyze). */
const TRIAL_FORMATS = ['html', 'md', 'text'] as const;

export interface TrialOutcome {
  dir: string;
  exitCode: number;
  model?: ReportModel;
  written: { format: string; path: string }[];
  gather: ReturnType<typeof trialSummary>;
}

/** run → analyze → report for one plan file; analysis is skipped when gathering did not finish. */
export const runTrialPipeline = async (
  flags: { plan: string; out: string; allowRemote?: boolean; json?: boolean },
  io: Io,
): Promise<TrialOutcome> => {
  const gathered = await runPlanFile(flags, io);
  const gather = trialSummary(gathered);
  if (!flags.json) printEnding(gathered, io);
  if (gathered.exitCode !== 0) return { dir: gathered.dir, exitCode: gathered.exitCode, written: [], gather };
  const { model, reportPath } = await analyzeFolder(gathered.dir, io);
  io.stderr('hotswap: rendering html, md and text…\n');
  const written = await writeReports(model, gathered.dir, TRIAL_FORMATS);
  if (!flags.json) {
    const html = written.find((w) => w.format === 'html')?.path ?? reportPath;
    io.stdout(verdictText(model, relative(io.cwd, html) || html));
  }
  return { dir: gathered.dir, exitCode: exitCodeForVerdict(model.verdict), model, written, gather };
};

/** The one JSON document of `trial --json` (and `demo --json`). */
export const trialOutcomeJson = (o: TrialOutcome): string =>
  `${JSON.stringify({
    ...o.gather,
    exitCode: o.exitCode,
    decision: o.model?.verdict.decision ?? null,
    reasons: o.model?.verdict.reasons ?? [],
    reports: o.written,
  })}\n`;

interface TrialFlags {
  plan: string;
  out: string;
  json?: boolean;
  allowRemote?: boolean;
}

export const trialCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('trial')
      .description('run + analyze + report: gather a trial, judge it against the plan, write report.html')
      .requiredOption('--plan <file>', 'plan file (YAML or JSON), e.g. plans/reference-quick.yaml')
      .option('--out <dir>', 'where trial folders go', 'reports')
      .option('--json', 'print one JSON document (trial folder, runs, decision, report paths) on stdout')
      .option(
        '--allow-remote',
        'allow non-loopback targets for kind command/url (never the reference service)',
      )
      .addHelpText('after', HELP)
      .action(async (flags: TrialFlags) => {
        const outcome = await runTrialPipeline(flags, io);
        if (flags.json) io.stdout(trialOutcomeJson(outcome));
        setExit(outcome.exitCode);
      });
  },
};
