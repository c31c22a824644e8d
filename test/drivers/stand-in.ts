import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * Starts the node stand-in service (test/fixtures/load/stand-in-service.mjs) on a free loopback port and
 * returns its base URL. For driver tests that need a target but not the Go service's behaviour.
 */
export const startStandIn = async (
  args: string[] = [],
): Promise<{ url: string; proc: ChildProcess; stop: () => Promise<void> }> => {
  const proc = spawn(
    process.execPath,
    ['test/fixtures/load/stand-in-service.mjs', '-addr', '127.0.0.1:0', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const rl = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const [line] = (await once(rl, 'line')) as [string];
  rl.close();
  const port = /listening on 127\.0\.0\.1:(\d+)/.exec(line)?.[1];
  if (!port) throw new Error(`stand-in did not say its port: ${line}`);
  return {
    url: `http://127.0.0.1:${port}`,
    proc,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
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
