import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { exitCodeForVerdict } from '../analysis/verdict.js';
import { runCanary, type CanaryOutcome } from '../canary/index.js';
import { verdictText } from './analyze.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';
import { VERSION } from './version.js';

const HELP = `
Judges the live rollout: reads, through Prometheus's HTTP API (/api/v1/query_range), the series the
plan's canary section names for the two arms of one fleet (by default the reference service's metrics
split by the impl label: impl="go" is the baseline, rust + go-fallback + go-breaker the candidate,
intent to treat), cuts the range into windows of --unit (one value per arm per window), compares the
arms pairwise (Wilcoxon signed-rank on per-window log-ratios) and judges the plan's pass lines and stop
rules as a trial does. Writes a canary folder under --out: plan.json, raw/queries.json (re-judge it
later with --from-file), report.json, report.html, report.md and kayenta-archive.json (Kayenta's Canary
Data Archival Format).

Exit codes: 0 keep, 1 drop, 4 inconclusive, 2 bad input or a query without data, 3 Prometheus cannot be
reached.

Examples:
  hotswap canary --plan plans/reference-canary.yaml --prometheus http://127.0.0.1:9090 --window 14d
  hotswap canary --plan plans/reference-canary.yaml --prometheus http://127.0.0.1:9090 --window 2m --step 5s --unit 10s
  hotswap canary --plan plans/reference-canary.yaml --from-file reports/<canary>/raw/queries.json --window 14d --unit 6h`;

interface CanaryFlags {
  plan: string;
  prometheus?: string;
  fromFile?: string;
  window: string;
  step?: string;
  unit?: string;
  end?: string;
  out: string;
  allowRemote?: boolean;
  json?: boolean;
}

/** The canary's lines for a terminal: the trial's verdict text, then the windows and the stop-rule outcome. */
const canaryText = (o: CanaryOutcome, io: Io): string => {
  const html = o.files.reports.find((p) => p.endsWith('.html')) ?? o.files.reportJson;
  const c = o.model.canary!;
  const lines = [
    `  windows: ${c.windowsUsed} of ${c.windows.length} judged (${c.unitSeconds} s each, step ${c.stepSeconds} s, ${c.start} to ${c.end})`,
    ...c.stopRule.map((r) => `  stop rule "${r.text}": ${r.outcome}`),
  ];
  return `${verdictText(o.model, relative(io.cwd, html) || html)}${lines.join('\n')}\n`;
};

export const canaryCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('canary')
      .description('judge a live rollout from Prometheus range queries (exit 0 keep, 1 drop, 4 inconclusive)')
      .requiredOption('--plan <file>', 'plan file with a canary section, e.g. plans/reference-canary.yaml')
      .option('--prometheus <url>', 'Prometheus base URL, e.g. http://127.0.0.1:9090')
      .option('--from-file <file>', "a canary folder's raw/queries.json (saved range-query results)")
      .requiredOption('--window <duration>', 'how far back to judge, e.g. 14d, 2m')
      .option('--step <duration>', "query resolution (default the plan's canary.step, 5m)")
      .option('--unit <duration>', "the comparison window (default the plan's canary.unit, 1h)")
      .option('--end <time>', "end of the range: now, unix seconds or ISO-8601 (default now; the file's end)")
      .option('--out <dir>', 'where canary folders go', 'reports')
      .option('--allow-remote', 'allow a --prometheus that is not on loopback')
      .option('--json', 'print the ReportModel as one JSON document on stdout')
      .addHelpText('after', HELP)
      .action(async (flags: CanaryFlags) => {
        const outcome = await runCanary({
          planFile: resolve(io.cwd, flags.plan),
          ...(flags.prometheus ? { prometheus: flags.prometheus } : {}),
          ...(flags.fromFile ? { fromFile: resolve(io.cwd, flags.fromFile) } : {}),
          window: flags.window,
          ...(flags.step ? { step: flags.step } : {}),
          ...(flags.unit ? { unit: flags.unit } : {}),
          ...(flags.end ? { end: flags.end } : {}),
          out: resolve(io.cwd, flags.out),
          allowRemote: Boolean(flags.allowRemote),
          now: new Date(),
          version: VERSION,
          signal: io.signal,
          progress: (line) => io.stderr(`${line}\n`),
        });
        io.stdout(flags.json ? `${JSON.stringify(outcome.model)}\n` : canaryText(outcome, io));
        setExit(exitCodeForVerdict(outcome.model.verdict));
      });
  },
};
