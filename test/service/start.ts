import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One real service process on 127.0.0.1 with a port the kernel chose. */
export interface Started {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** build/bin/hotswap-service-<config>, resolved from this file so the test needs no other module. */
const referenceBinary = (config: 'baseline' | 'rust'): string =>
  fileURLToPath(new URL(`../../build/bin/hotswap-service-${config}`, import.meta.url));

/** Starts build/bin/hotswap-service-<config> on 127.0.0.1:0 and resolves once it printed its port. */
export const startService = async (
  config: 'baseline' | 'rust',
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<Started> => {
  const bin = referenceBinary(config);
  if (!existsSync(bin)) throw new Error(`${bin} is not built; run npm run setup`);
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  running.add(proc);
  let err = '';
  proc.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      resolve({ code, signal });
    }),
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${config}: no port within 10 s; stderr: ${err}`)), 10_000);
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /^listening on (127\.0\.0\.1:\d+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`${config} exited with ${code} at start-up: ${err}`));
    });
  });
  return { proc, url, stderr: () => err, stdout: () => out, exited };
};

/** Kills whatever a test left running (after hooks), so no process outlives the suite. */
export const killAll = async (): Promise<void> => {
  await Promise.all(
    [...running].map(
      (p) =>
        new Promise<void>((resolve) => {
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        }),
    ),
  );
};

/** True while a process with this pid exists. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
