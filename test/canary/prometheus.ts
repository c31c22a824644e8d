import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Prometheus server (Debian's `prometheus` package, installed by scripts/ensure-system-packages.sh)
 * on 127.0.0.1 with a scrape config this helper writes and its data in a temp folder, removed on stop.
 */
export interface StartedPrometheus {
  url: string;
  proc: ChildProcess;
  dir: string;
  stop: () => Promise<void>;
  log: () => string;
}

export const PROMETHEUS_BIN = process.env.HOTSWAP_PROMETHEUS ?? '/usr/bin/prometheus';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/**
 * Starts Prometheus scraping `targets` (host:port) every `scrapeSeconds`, resolves once /-/ready answers.
 * `configText` replaces the generated prometheus.yml (e.g. a shipped config with its targets rewritten).
 */
export const startPrometheus = async (
  targets: string[],
  scrapeSeconds = 1,
  configText?: string,
): Promise<StartedPrometheus> => {
  const dir = mkdtempSync(join(tmpdir(), 'hotswap-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    configText ??
      [
        'global:',
        `  scrape_interval: ${scrapeSeconds}s`,
        `  evaluation_interval: ${scrapeSeconds}s`,
        'scrape_configs:',
        '  - job_name: hotswap',
        '    static_configs:',
        `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
        '',
      ].join('\n'),
  );
  const port = await freePort();
  const proc = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  proc.stderr?.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited at start-up: ${log}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, proc, dir, stop, log: () => log };
};

/** Waits until Prometheus has scraped every target at least once and they are up. */
export const waitForTargetsUp = async (url: string, count: number, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = (await (await fetch(`${url}/api/v1/query?query=up`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    if (r.data.result.filter((s) => s.value[1] === '1').length >= count) return;
    if (Date.now() > deadline) throw new Error(`targets not up within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 300));
  }
};
