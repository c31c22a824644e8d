import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readManifest } from '../../src/store/index.js';
import { randomPort, standInPlan } from '../trial/helpers.js';

/** Pids of live processes whose command line mentions `marker`. */
const processesMentioning = (marker: string): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);

describe('hotswap run', () => {
  it('rejects a plan with an error in one line naming file and field, exit 2, nothing started', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-run-'));
    const text = readFileSync('plans/reference-quick.yaml', 'utf8').replace(
      'repetitions: { min: 5, max: 10, every: 5 }',
      'repetitions: three',
    );
    await writeFile(join(dir, 'bad.yaml'), text);
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['run', '--plan', 'bad.yaml', '--out', dir], io), 2);
    const line = text.split('\n').findIndex((l) => l.startsWith('repetitions:')) + 1;
    assert.equal(
      io.err(),
      `hotswap: bad.yaml: repetitions: expected a number or an object (a mapping), got "three" (line ${line})\n`,
    );
    assert.deepEqual(readdirSync(dir), ['bad.yaml']);
  });

  it('exits 2 for a missing plan file', async () => {
    const io = memoryIo();
    assert.equal(await main(['run', '--plan', '/nonexistent/plan.yaml'], io), 2);
    assert.match(io.err(), /^hotswap: \/nonexistent\/plan\.yaml: cannot read the plan \(ENOENT\)\n$/);
  });

  it('on Ctrl-C stops every child within 5 s, keeps finished runs, marks the interrupted one, exits 130', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-sigint-'));
    const plan = standInPlan(randomPort(), { tag: dir });
    plan.phases = [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 3 }];
    plan.repetitions = 3;
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const cli = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/index.ts',
        'run',
        '--plan',
        join(dir, 'plan.json'),
        '--out',
        dir,
        '--json',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    let out = '';
    cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // Interrupt in the middle of the second run.
    while (!/run 2\/6/.test(err)) {
      if (cli.exitCode !== null) assert.fail(`exited early: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(processesMentioning(dir).length >= 2, 'service and k6 running before Ctrl-C');
    const t0 = Date.now();
    cli.kill('SIGINT');
    const [code] = (await once(cli, 'exit')) as [number];
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    assert.equal(code, 130, err);
    assert.deepEqual(processesMentioning(dir), [], 'no child left behind');
    const summary = JSON.parse(out) as { dir: string; status: string };
    assert.equal(summary.status, 'interrupted');
    const m = await readManifest(summary.dir);
    assert.equal(m.status, 'interrupted');
    assert.deepEqual(m.runs.map((r) => r.status).slice(0, 3), ['ok', 'interrupted', 'pending']);
    assert.match(m.runs[1]?.failureReason ?? '', /interrupted/);
  });

  /** Starts `hotswap run` on a long stand-in plan and resolves once its service and k6 are running. */
  const startLongRun = async (): Promise<{
    cli: ReturnType<typeof spawn>;
    dir: string;
    err: () => string;
  }> => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-force-'));
    const plan = standInPlan(randomPort(), { tag: dir });
    plan.phases = [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 30 }];
    // The group leader ignores SIGTERM (like a wrapper that does not forward it), so only a SIGKILL of the
    // group ends it: a graceful stop cannot finish before the forced exit.
    const stubborn = `process.on("SIGTERM",()=>{});setInterval(()=>{},1e3)`;
    for (const c of [plan.configurations.baseline, plan.configurations.candidate]) {
      if (c.kind !== 'command') continue;
      c.command = ['sh', '-c', `"$@" & exec ${process.execPath} -e '${stubborn}' "$0"`, dir, ...c.command];
    }
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'run', '--plan', join(dir, 'plan.json'), '--out', dir],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    cli.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const t0 = Date.now();
    while (processesMentioning(dir).length < 2 || !/run 1\/4/.test(err)) {
      if (cli.exitCode !== null) assert.fail(`exited early: ${err}`);
      if (Date.now() - t0 > 30_000) assert.fail(`children never started: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    return { cli, dir, err: () => err };
  };

  const noneLeftWithin = async (marker: string, ms: number): Promise<number[]> => {
    const t0 = Date.now();
    while (processesMentioning(marker).length > 0 && Date.now() - t0 < ms) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return processesMentioning(marker);
  };

  it('on a second Ctrl-C exits at once, kills every child process group and marks the manifest interrupted', async () => {
    const { cli, dir, err } = await startLongRun();
    assert.ok(processesMentioning(dir).length >= 2, 'service and k6 running before Ctrl-C');
    const exited = once(cli, 'exit');
    cli.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 30));
    cli.kill('SIGINT');
    const [code] = (await exited) as [number];
    assert.equal(code, 130, err());
    assert.deepEqual(await noneLeftWithin(dir, 5000), [], 'no child left behind');
    // The forced exit's last words (store onForcedExit): the manifest says interrupted, not running.
    const trialDir = readdirSync(dir).find((f) => f !== 'plan.json')!;
    const m = await readManifest(join(dir, trialDir));
    assert.equal(m.status, 'interrupted');
    assert.ok(!m.runs.some((r) => r.status === 'running'), 'no run left running');
  });

  it('on SIGHUP kills every child process group and exits 129', async () => {
    const { cli, dir, err } = await startLongRun();
    const exited = once(cli, 'exit');
    cli.kill('SIGHUP');
    const [code] = (await exited) as [number];
    assert.equal(code, 129, err());
    assert.deepEqual(await noneLeftWithin(dir, 5000), [], 'no child left behind');
  });
});
