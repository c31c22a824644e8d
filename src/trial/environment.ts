import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, hostname, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DRIVER_LIST, packageRoot } from '../drivers/index.js';
import type { BuildInfo, Environment } from '../model/index.js';

const execFileP = promisify(execFile);

const quiet = async (cmd: string, args: string[]): Promise<string | undefined> => {
  try {
    return (await execFileP(cmd, args, { timeout: 5000 })).stdout.trim();
  } catch {
    return undefined;
  }
};

/** Facts about the machine and tools, for the report's caveats. */
export const describeEnvironment = async (pinned: boolean): Promise<Environment> => {
  const root = packageRoot();
  let builds: Partial<Record<'baseline' | 'rust', BuildInfo>> | undefined;
  try {
    builds = JSON.parse(await readFile(join(root, 'build', 'build-info.json'), 'utf8')) as typeof builds;
  } catch {
    builds = undefined;
  }
  const go = await quiet('go', ['version']);
  const rust = await quiet('rustc', ['--version']);
  const env: Environment = {
    hostname: hostname(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryBytes: totalmem(),
    os: `${platform()} ${release()}`,
    node: process.version,
    ...Object.fromEntries(
      await Promise.all(DRIVER_LIST.map(async (d) => [d.environmentKey, await d.version()])),
    ),
    pinned,
    targetHost: '127.0.0.1',
  };
  if (go) env.goVersion = /go\d+\.\d+(\.\d+)?/.exec(go)?.[0] ?? go;
  if (rust) env.rustVersion = rust;
  const rev = await quiet('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  if (rev) env.gitRevision = rev;
  if (builds) env.builds = builds;
  return env;
};
