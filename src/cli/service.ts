import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InfrastructureError, InputError } from '../model/index.js';
import { referenceBinary } from '../trial/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';

const HELP = `
Runs the reference service in the foreground on 127.0.0.1, the quickest way to poke it by hand.
Ctrl-C (or SIGTERM) stops it cleanly: in-flight requests finish, then it exits 0. Its log goes to
stderr; the first line on stdout is "listening on 127.0.0.1:PORT" (useful with --port 0).

Configurations: baseline (pure Go, CGO_ENABLED=0) and rust (the same service with the Rust hotspot
linked through cgo). Both are built by \`npm run setup\` into build/bin/ (HOTSWAP_BIN_DIR overrides).

Endpoints: POST /v1/scan, POST /v1/fields[?batch=1], GET /v1/orders/{id}, GET /healthz, GET /metrics,
GET|POST /admin/hotspot (loopback only, needs --admin-token). With --pprof-port, Go's net/http/pprof
on its own 127.0.0.1 listener (never the public port). Any other service flag (the breaker's
-breaker-window, -breaker-min-calls, -breaker-error-rate, -breaker-open-for, -breaker-half-open-calls;
-downstream-ms, -seed) goes after \`--\`; service/README.md lists them all.

Examples:
  hotswap service --config rust --port 8080
  curl -s --data-binary 'mail ada@example.org from 10.0.0.1' localhost:8080/v1/scan
  hotswap service --config rust --port 8080 --rust-share 50 --admin-token secret
  curl -s -H 'Authorization: Bearer secret' -d '{"impl":"go"}' localhost:8080/admin/hotspot
  hotswap service --config baseline --port 0
  hotswap service --config rust --port 8080 --admin-token secret --allow-fault-injection -- -breaker-open-for 5s
  curl -s -H 'Authorization: Bearer secret' -d '{"faultRate":0.5}' localhost:8080/admin/hotspot
  hotswap service --config rust --impl go --shadow-percent 10 --pprof-port 6060`;

const CONFIGS = ['baseline', 'rust'] as const;
type Config = (typeof CONFIGS)[number];
const isConfig = (s: string): s is Config => (CONFIGS as readonly string[]).includes(s);

interface ServiceFlags {
  config: string;
  port: string;
  impl?: string;
  rustShare?: string;
  adminToken?: string;
  pprofPort?: string;
  allowFaultInjection?: boolean;
  shadowPercent?: string;
  /** Further service flags, passed through as they are (after \`--\`). */
  serviceFlags?: string[];
}

/** Checks an integer flag within bounds; the message names the flag. */
const intFlag = (flag: string, value: string, min: number, max: number): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new InputError(`${flag}: expected an integer ${min}..${max}, got "${value}"`);
  return n;
};

/** The service's command line for the flags, after validating them. */
export const serviceArgs = (flags: ServiceFlags): { config: Config; args: string[] } => {
  if (!isConfig(flags.config))
    throw new InputError(`--config: expected baseline or rust, got "${flags.config}"`);
  const port = intFlag('--port', flags.port, 0, 65535);
  const args = ['-addr', `127.0.0.1:${port}`];
  if (flags.impl !== undefined) {
    if (flags.impl !== 'go' && flags.impl !== 'rust')
      throw new InputError(`--impl: expected go or rust, got "${flags.impl}"`);
    if (flags.impl === 'rust' && flags.config === 'baseline')
      throw new InputError('--impl rust needs --config rust (the baseline build has no Rust hotspot)');
    args.push('-impl', flags.impl);
  }
  if (flags.rustShare !== undefined)
    args.push('-rust-share', String(intFlag('--rust-share', flags.rustShare, 0, 100)));
  if (flags.adminToken !== undefined) args.push('-admin-token', flags.adminToken);
  if (flags.pprofPort !== undefined)
    args.push('-pprof-addr', `127.0.0.1:${intFlag('--pprof-port', flags.pprofPort, 0, 65535)}`);
  if (flags.allowFaultInjection) args.push('-allow-fault-injection');
  if (flags.shadowPercent !== undefined) {
    if (flags.config === 'baseline')
      throw new InputError('--shadow-percent needs --config rust (shadow mode runs Rust beside Go)');
    args.push('-shadow-percent', String(intFlag('--shadow-percent', flags.shadowPercent, 0, 100)));
  }
  args.push(...(flags.serviceFlags ?? []));
  return { config: flags.config, args };
};

const binaryFor = (config: Config, io: Io): string => {
  const dir = io.env.HOTSWAP_BIN_DIR;
  const bin = dir ? join(dir, `hotswap-service-${config}`) : referenceBinary(config);
  if (!existsSync(bin))
    throw new InfrastructureError(
      `${bin} is not built; run \`npm run setup\` (it builds both service binaries)`,
    );
  return bin;
};

/**
 * Runs the binary until it exits; an abort of io.signal (Ctrl-C, SIGTERM) is forwarded as SIGTERM so the
 * service drains. Exit codes: the service's 0 and 2 pass through; anything else is infrastructure (3).
 */
export const runService = async (flags: ServiceFlags, io: Io): Promise<number> => {
  const { config, args } = serviceArgs(flags);
  const bin = binaryFor(config, io);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (b: Buffer) => io.stdout(b.toString()));
  child.stderr.on('data', (b: Buffer) => io.stderr(b.toString()));
  const stop = (): void => void child.kill('SIGTERM');
  io.signal.addEventListener('abort', stop, { once: true });
  if (io.signal.aborted) stop();
  try {
    const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', (err) => reject(new InfrastructureError(`${bin}: ${err.message}`)));
      child.once('close', (c, s) => resolve([c, s]));
    });
    if (code === 0 || code === 2) return code;
    throw new InfrastructureError(
      `the ${config} service ${sig ? `was killed by ${sig}` : `exited with code ${code}`}`,
    );
  } finally {
    io.signal.removeEventListener('abort', stop);
  }
};

export const serviceCommand: CommandModule = {
  register: (program: Command, io: Io, setExit) => {
    program
      .command('service')
      .description('run the reference service (baseline or rust build) in the foreground')
      .requiredOption('--config <name>', 'baseline (pure Go) or rust (Go + Rust hotspot)')
      .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', '8080')
      .option('--impl <go|rust>', 'hotspot implementation (default: rust on the rust build, go on baseline)')
      .option('--rust-share <percent>', 'percent of hotspot calls sent to Rust when impl=rust (default 100)')
      .option('--admin-token <token>', 'enables GET/POST /admin/hotspot with this bearer token')
      .option(
        '--pprof-port <n>',
        'serve net/http/pprof on 127.0.0.1:<n> (0 picks a free one); off by default',
      )
      .option('--allow-fault-injection', 'let POST /admin/hotspot set {"faultRate": 0..1} (drills)')
      .option(
        '--shadow-percent <percent>',
        'percent of Go-served hotspot requests that also run Rust and compare',
      )
      .argument('[serviceFlags...]', 'further service flags after --, e.g. -- -breaker-open-for 5s')
      .addHelpText('after', HELP)
      .action(async (serviceFlags: string[], flags: ServiceFlags) =>
        setExit(await runService({ ...flags, serviceFlags }, io)),
      );
  },
};
