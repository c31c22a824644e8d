import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readManifest } from '../../src/store/index.js';
import { randomPort } from '../trial/helpers.js';

/**
 * Ctrl-C of `hotswap run` with real k6 and the real reference service (build/bin), through bin/hotswap.js
 * as a user starts it: every child stopped, the manifest written as interrupted, exit 130, within about a
 * second. The bounds below only stop a hang (10 s); the time taken is printed, not asserted (a loaded
 * machine is slow). The second test gives the service a group leader that ignores SIGTERM, so only the
 * SIGKILL after the short abort grace (or the CLI's one-second deadline) can end it.
 */

/** Live processes (not this one) whose command line or stdout/stderr names `marker` (a unique folder). */
const processesTouching = (marker: string): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((d) => {
      const fds = [1, 2].map((fd) => {
        try {
          return readlinkSync(`/proc/${d}/fd/${fd}`);
        } catch {
          return '';
        }
      });
      try {
        return [readFileSync(`/proc/${d}/cmdline`, 'utf8'), ...fds].some((s) => s.includes(marker));
      } catch {
        return false;
      }
    })
    .map(Number);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const plan = (configurations: Record<string, unknown>) => ({
  name: 'interrupt',
  seed: 7,
  configurations,
  phases: [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 30 }],
  repetitions: 2,
  warmupSeconds: 1,
  corpus: { count: 200 },
  slo: { quantile: 0.99, latencyMs: 500, maxErrorRate: 0.01 },
  capacity: { peakRps: 100, costPerInstanceHour: 0.1 },
});

/** Runs the plan, SIGINTs once k6 and the service both run, returns what happened. */
const interruptDuringLoad = async (
  planDoc: unknown,
  dir: string,
  command: 'run' | 'trial' = 'run',
): Promise<{ code: number; ms: number; err: string; out: string }> => {
  await writeFile(join(dir, 'plan.json'), JSON.stringify(planDoc));
  const cli = spawn(
    process.execPath,
    ['bin/hotswap.js', command, '--plan', join(dir, 'plan.json'), '--out', dir, '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  let out = '';
  cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
  cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const t0 = Date.now();
  // k6 (its --out names the folder) and the service (its log is in the folder) are both running.
  while (processesTouching(dir).filter((p) => p !== cli.pid).length < 2 || !/run 1\/4/.test(err)) {
    if (cli.exitCode !== null) assert.fail(`exited early: ${err}`);
    if (Date.now() - t0 > 60_000) assert.fail(`load never started: ${err}`);
    await sleep(100);
  }
  await sleep(1500);
  const exited = once(cli, 'exit');
  const sent = performance.now();
  cli.kill('SIGINT');
  const hang = setTimeout(() => cli.kill('SIGKILL'), 10_000);
  const [code] = (await exited) as [number];
  clearTimeout(hang);
  return { code, ms: Math.round(performance.now() - sent), err, out };
};

const assertInterrupted = async (dir: string, r: { code: number; ms: number; err: string; out: string }) => {
  assert.equal(r.code, 130, r.err);
  assert.deepEqual(processesTouching(dir), [], 'no child left behind');
  const summary = JSON.parse(r.out) as { dir: string; status: string };
  const m = await readManifest(summary.dir);
  assert.equal(m.status, 'interrupted');
  assert.equal(m.runs[0]?.status, 'interrupted');
  assert.match(m.runs[0]?.failureReason ?? '', /interrupted/);
  assert.ok(
    m.runs.slice(1).every((x) => x.status === 'pending'),
    'later runs stay pending',
  );
  const temps = readdirSync(summary.dir, { recursive: true }).filter((f) => String(f).endsWith('.tmp'));
  assert.deepEqual(temps, [], 'no temporary file left');
};

const reference = {
  baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
  candidate: { kind: 'reference', name: 'Rust hotspot', build: 'rust', impl: 'rust' },
};

describe('hotswap run and trial: Ctrl-C during the load (real k6, real service)', () => {
  it('run: stops k6 and the service, writes the manifest as interrupted and exits 130', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-int-'));
    const r = await interruptDuringLoad(plan(reference), dir);
    t.diagnostic(`SIGINT to exit: ${r.ms} ms`);
    await assertInterrupted(dir, r);
  });

  it('trial: the same, and nothing is analysed (no report.json)', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-int-trial-'));
    const r = await interruptDuringLoad(plan(reference), dir, 'trial');
    t.diagnostic(`trial: SIGINT to exit: ${r.ms} ms`);
    await assertInterrupted(dir, r);
    const trialDir = (JSON.parse(r.out) as { dir: string }).dir;
    assert.ok(!readdirSync(trialDir).includes('report.json'), 'an interrupted trial is not analysed');
  });

  it('stops a service that ignores SIGTERM (SIGKILL after the short abort grace) and still records the interruption', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-int-stubborn-'));
    const port = randomPort();
    // The real service in the background of a group leader that ignores SIGTERM: a wrapper that does not
    // forward it. Only a SIGKILL of the group ends it.
    const stubborn = `process.on("SIGTERM",()=>{});setInterval(()=>{},1e3)`;
    const command = (bin: string, impl: string) => [
      'sh',
      '-c',
      `"$@" & exec ${process.execPath} -e '${stubborn}' "$0"`,
      dir,
      `build/bin/hotswap-service-${bin}`,
      '-addr',
      `127.0.0.1:${port}`,
      '-impl',
      impl,
    ];
    const url = `http://127.0.0.1:${port}`;
    const r = await interruptDuringLoad(
      plan({
        baseline: { kind: 'command', name: 'go', command: command('baseline', 'go'), url },
        candidate: { kind: 'command', name: 'rust', command: command('rust', 'rust'), url },
      }),
      dir,
    );
    t.diagnostic(`SIGINT to exit with a SIGTERM-ignoring service: ${r.ms} ms`);
    await assertInterrupted(dir, r);
  });
});
