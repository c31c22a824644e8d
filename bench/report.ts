/**
 * Report benchmark (a script that prints figures, not a timed test).
 *
 * 1. Scales the real fixture model (the analysis of test/fixtures/trials/tiny, 2 runs per arm) to RUNS
 *    runs per arm (default 10: the release-review size) by repeating its per-run records (runs,
 *    summaries, resources, time series) under new run ids, and writes it as report.json.
 * 2. In-process, in this order: the first renderHtml (cold: vega and vega-lite JIT-warm nothing yet),
 *    then REPS warm renders of each format; prints the fastest and the median.
 * 3. End to end, REPS times: `hotswap report DIR --format html,md,text` in a fresh node process (from
 *    dist/ when built, else through tsx, which adds its own start-up), wall time as the user sees it.
 * 4. Sizes of report.json, report.html, report.md, report.txt against the targets (≤ 3 s, HTML ≤ 2 MB).
 *
 * Usage: node --import tsx bench/report.ts [--runs N] [--reps N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderHtml, renderMarkdown, renderText } from '../src/report/index.js';
import type { ReportModel } from '../src/model/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 10);
const REPS = arg('--reps', 5);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[s.length >> 1]! };
};
const fmt = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

const REAL = new URL('../test/fixtures/report/golden/tiny-trial/report.json', import.meta.url);

/** The real model with its per-run records repeated `copies` times (run ids suffixed), for size figures. */
const scaled = (m: ReportModel, copies: number): ReportModel => {
  const repeat = <T extends { runId?: string; id?: string }>(xs: T[]): T[] =>
    Array.from({ length: copies }, (_, k) =>
      xs.map((x) => ({
        ...x,
        ...(x.runId !== undefined ? { runId: `${x.runId}-x${k}` } : {}),
        ...(x.id !== undefined ? { id: `${x.id}-x${k}` } : {}),
      })),
    ).flat();
  return {
    ...m,
    runs: repeat(m.runs).map((r, i) => ({ ...r, order: i })),
    summaries: repeat(m.summaries),
    resources: repeat(m.resources),
    timeseries: repeat(m.timeseries),
  };
};

const real = JSON.parse(readFileSync(REAL, 'utf8')) as ReportModel;
const perArm = real.runs.filter((r) => r.role === 'baseline' && r.phase === real.runs[0]!.phase).length;
const model = scaled(real, Math.max(1, Math.ceil(RUNS / perArm)));
const dir = mkdtempSync(join(tmpdir(), 'hotswap-bench-report-'));
const json = `${JSON.stringify(model, null, 2)}\n`;
writeFileSync(join(dir, 'report.json'), json);

console.log(
  `model: ${RUNS} runs per arm and phase, ${model.runs.length} runs, ${model.summaries.length} summaries, ` +
    `${model.timeseries.reduce((a, s) => a + s.points.length, 0)} time-series points; report.json ${mb(json.length)}`,
);

let t0 = process.hrtime.bigint();
let cpu0 = process.cpuUsage();
const html = await renderHtml(model);
const cold = ms(t0);
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const coldCpu = cpuMs(process.cpuUsage(cpu0));
const warmCpu: number[] = [];
const warm: Record<string, number[]> = { html: [], md: [], text: [] };
for (let i = 0; i < REPS; i++) {
  t0 = process.hrtime.bigint();
  cpu0 = process.cpuUsage();
  await renderHtml(model);
  warm.html!.push(ms(t0));
  warmCpu.push(cpuMs(process.cpuUsage(cpu0)));
  t0 = process.hrtime.bigint();
  renderMarkdown(model);
  warm.md!.push(ms(t0));
  t0 = process.hrtime.bigint();
  renderText(model);
  warm.text!.push(ms(t0));
}
console.log(
  `in-process renderHtml: first ${fmt(cold)} wall / ${fmt(coldCpu)} CPU; warm ${REPS}×: wall min ${fmt(stats(warm.html!).min)}, median ${fmt(stats(warm.html!).median)}; CPU median ${fmt(stats(warmCpu).median)}`,
);
console.log(
  `in-process renderMarkdown median ${stats(warm.md!).median.toFixed(1)} ms, renderText median ${stats(warm.text!).median.toFixed(1)} ms`,
);

// The CLI runs under a wrapper that reports the child's own CPU time on exit: on a shared 2-core
// machine wall time mostly measures the neighbours, CPU time what the report costs.
const dist = join(ROOT, 'dist/cli/index.js');
const entry = existsSync(dist) ? dist : join(ROOT, 'src/cli/index.ts');
const how = existsSync(dist)
  ? 'dist/cli/index.js'
  : 'src via tsx (run `npm run build` for the shipped figure)';
const wrapper = join(dir, 'wrapper.mjs');
writeFileSync(
  wrapper,
  `process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('CPU_MS=' + (u.user + u.system) / 1000 + '\\n'); });\n` +
    `await import(${JSON.stringify(pathToFileURL(entry).href)});\n`,
);
const nodeArgs = existsSync(dist) ? [wrapper] : ['--import', 'tsx', wrapper];
const e2e: number[] = [];
const e2eCpu: number[] = [];
for (let i = 0; i < REPS; i++) {
  t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...nodeArgs, 'report', dir, '--format', 'html,md,text'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  e2e.push(ms(t0));
  if (r.status !== 0) {
    console.error(`hotswap report failed (exit ${r.status}): ${r.stderr}`);
    process.exit(1);
  }
  e2eCpu.push(Number(/CPU_MS=([\d.]+)/.exec(r.stderr)?.[1] ?? NaN));
}
const htmlBytes = statSync(join(dir, 'report.html')).size;
console.log(
  `end to end (${how}): hotswap report --format html,md,text ${REPS}×: wall min ${fmt(stats(e2e).min)}, median ${fmt(stats(e2e).median)}; ` +
    `CPU of the process min ${fmt(stats(e2eCpu).min)}, median ${fmt(stats(e2eCpu).median)}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
);
console.log(
  `sizes: report.html ${mb(htmlBytes)} (${htmlBytes} bytes; in-process ${html.length} chars), report.md ${statSync(join(dir, 'report.md')).size} bytes, report.txt ${statSync(join(dir, 'report.txt')).size} bytes`,
);
const timeOk = stats(e2e).min <= 3000;
const sizeOk = htmlBytes <= 2 * 1024 * 1024;
console.log(
  `targets: generation ≤ 3 s ${timeOk ? 'MET' : 'MISSED'} (fastest wall ${fmt(stats(e2e).min)}, median CPU ${fmt(stats(e2eCpu).median)}); HTML ≤ 2 MB ${sizeOk ? 'MET' : 'MISSED'} (${mb(htmlBytes)})`,
);
rmSync(dir, { recursive: true, force: true });
