import { resolve } from 'node:path';
import type { Command } from 'commander';
import { generateCorpus, toNdjsonLine, DEFAULT_MESSY_SHARE, type CorpusRequest } from '../corpus/index.js';
import { InputError, excerpt } from '../model/index.js';
import { writeLinesAtomic } from '../store/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';

const HELP = `
Writes a frozen, seeded request corpus for the reference service: NDJSON, one request per line
{"method","path","headers","body"} (plus optional "bodyBase64", "endpoint", "messy"). The k6 scenarios
replay it in order (request i = line i mod N), so both configurations see the same requests. A capture of
your own traffic in the same format replays the same way (plan: corpus.path).

Examples:
  hotswap corpus --seed 42 --count 2000 --out corpus.ndjson
  hotswap corpus --seed 7 --count 5000 --mix scan=80,fields=20 --messy-share 0 --out clean.ndjson --json`;

/** Upper bound of --count: a million requests is far more than any replay needs (k6 holds it in memory). */
export const MAX_CORPUS_COUNT = 1_000_000;

const int =
  (flag: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InputError(`${flag}: expected a whole number from ${min} to ${max}, got ${excerpt(value)}`);
    return n;
  };

const share = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InputError(`--messy-share: expected a number from 0 to 1, got "${value}"`);
  return n;
};

/** `scan=60,fields=30` → { scan: 60, fields: 30 }. */
export const parseMix = (value: string): Record<string, number> => {
  const mix: Record<string, number> = {};
  for (const part of value.split(',')) {
    const m = /^\s*([a-z][a-z0-9-]*)\s*=\s*(\d+(?:\.\d+)?)\s*$/i.exec(part);
    if (!m?.[1] || !m[2])
      throw new InputError(`--mix: expected name=weight,… (e.g. scan=60,fields=30), got "${part}"`);
    mix[m[1]] = Number(m[2]);
  }
  if (!Object.values(mix).some((w) => w > 0)) throw new InputError('--mix: at least one weight must be > 0');
  return mix;
};

interface CorpusFlags {
  seed: number;
  count: number;
  out: string;
  mix?: Record<string, number>;
  messyShare: number;
  json?: boolean;
}

const run = async (flags: CorpusFlags, io: Io): Promise<void> => {
  const out = resolve(io.cwd, flags.out);
  const endpoints: Record<string, number> = {};
  let messy = 0;
  const count = (req: CorpusRequest): string => {
    const e = req.endpoint ?? 'other';
    endpoints[e] = (endpoints[e] ?? 0) + 1;
    if (req.messy) messy += 1;
    return toNdjsonLine(req);
  };
  const gen = generateCorpus({
    seed: flags.seed,
    count: flags.count,
    mix: flags.mix,
    messyShare: flags.messyShare,
  });
  const lines = (function* () {
    for (const req of gen) yield count(req);
  })();
  const bytes = await writeLinesAtomic(out, lines, io.signal);
  const summary = { out, count: flags.count, bytes, seed: flags.seed, endpoints, messy };
  if (flags.json) io.stdout(`${JSON.stringify(summary)}\n`);
  else {
    const mix = Object.entries(endpoints)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    io.stdout(`${out}: ${flags.count} requests (${mix}; ${messy} messy), ${(bytes / 1e6).toFixed(1)} MB\n`);
  }
};

export const corpusCommand: CommandModule = {
  register: (program: Command, io: Io) => {
    program
      .command('corpus')
      .description('write a seeded NDJSON request corpus for replay by the k6 scenarios')
      .requiredOption('--seed <n>', 'seed: the same seed gives the same corpus', int('--seed', 0))
      .requiredOption(
        '--count <n>',
        `number of requests (at most ${MAX_CORPUS_COUNT.toLocaleString('en')})`,
        int('--count', 1, MAX_CORPUS_COUNT),
      )
      .requiredOption('--out <file>', 'where to write the NDJSON')
      .option('--mix <weights>', 'endpoint weights (default scan=60,fields=30,orders=10)', parseMix)
      .option('--messy-share <share>', 'share of messy input, 0–1', share, DEFAULT_MESSY_SHARE)
      .option('--json', 'print a JSON summary on stdout')
      .addHelpText('after', HELP)
      .action((flags: CorpusFlags) => run(flags, io));
  },
};
