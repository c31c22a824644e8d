/**
 * The untrusted-input fuzzer (issue 15): mutations of the committed real fixtures (k6 CSV/JSON, gzip,
 * autocannon NDJSON, number files, plans, the tiny trial folder, its report.json), run through every
 * reader and `analyze`/`report` in-process via `main(argv, io)`. Shared by the bounded CI test
 * (test/cli/untrusted-input.fuzz.test.ts) and the long run (scripts/fuzz.ts).
 *
 * The property for every case: the exit code is one the command may give (0 or 2 for readers; a
 * verdict code for analyze), stderr holds at most one message line (progress lines aside) and it never
 * says "internal error", nothing printed carries a control character, an exit-2 message names the file
 * (it lies under the case's folder), and the case ends in bounded time and memory.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { HotswapError } from '../../src/model/index.js';
import { checkTargets, parsePlan } from '../../src/plan/index.js';

const root = new URL('../../', import.meta.url).pathname;
const fixture = (p: string) => join(root, p);

/** Values that are extreme, of the wrong type, or hostile, for value swaps. */
export const NASTY: readonly unknown[] = [
  -1,
  -12.5,
  0,
  1e12,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  70000,
  0.5,
  '',
  'x',
  '0x1F',
  '1e309',
  'NaN',
  'Infinity',
  '-0',
  '\u001b[2J\u001b]0;pwned\u0007',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '/proc/self/environ',
  'a'.repeat(5000),
  null,
  true,
  [],
  {},
  [1, 'two', null],
  { nested: { deep: [1] } },
];
/** Path injections for every path a trial-folder document names. */
export const PATHS: readonly string[] = [
  '../../../../etc/passwd',
  '/proc/self/environ',
  '/etc/passwd',
  'raw/../../outside',
  'raw/link-out',
  '',
  'raw\\..\\x',
  'raw/\u0000x',
];

export type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'field'; line: number; field: number; value: number }
  | { kind: 'json-value'; pick: number; value: number }
  | { kind: 'insert-line'; line: number; text: string }
  | { kind: 'bom' }
  | { kind: 'path'; pick: number; value: number };

const FOREIGN_LINES = [
  '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-21T23:09:13Z","value":5,"tags":{}}}',
  'metric_name,timestamp,metric_value',
  'dropped_iterations,1795302553352488,1e12,,,,,,,,,steady,,,,,,,',
  '42',
  '0x1F',
  '\u001b[31mred\u001b[0m',
  '# comment',
  '',
];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant('field' as const),
    line: fc.nat(),
    field: fc.nat(),
    value: fc.nat(),
  }),
  fc.record({ kind: fc.constant('json-value' as const), pick: fc.nat(), value: fc.nat() }),
  fc.record({
    kind: fc.constant('insert-line' as const),
    line: fc.nat(),
    text: fc.oneof(fc.constantFrom(...FOREIGN_LINES), fc.string({ maxLength: 40 })),
  }),
  fc.constant({ kind: 'bom' as const }),
  fc.record({ kind: fc.constant('path' as const), pick: fc.nat(), value: fc.nat() }),
);

const nasty = (i: number): unknown => NASTY[i % NASTY.length];

/** Every leaf path of a JSON value, for value swaps. */
const leaves = (x: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) => {
  if (Array.isArray(x)) x.forEach((y, i) => leaves(y, [...path, i], out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) leaves(v, [...path, k], out);
  else out.push(path);
  return out;
};

const setIn = (x: unknown, path: (string | number)[], value: unknown): void => {
  let cur = x as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path.at(-1)!] = value;
};

/** Applies one mutation to a file's bytes. JSON documents get value swaps; line files get field swaps. */
export const mutate = (input: Buffer, m: Mutation, pathKeys: readonly string[] = []): Buffer => {
  const text = input.toString('utf8');
  const lines = text.split('\n');
  switch (m.kind) {
    case 'flip': {
      if (input.length === 0) return input;
      const out = Buffer.from(input);
      const at = m.at % out.length;
      out[at] = (out[at] ?? 0) ^ m.xor;
      return out;
    }
    case 'truncate':
      return input.subarray(0, input.length === 0 ? 0 : m.at % input.length);
    case 'swap-lines': {
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return Buffer.from(lines.join('\n'));
    }
    case 'field': {
      // Half the swaps hit the lines the readers decode (k6 request durations, dropped iterations).
      const decoded = lines.flatMap((l, k) =>
        /^(http_req_duration|dropped_iterations),/.test(l) ? [k] : [],
      );
      const i =
        m.line % 2 === 0 && decoded.length > 0 ? decoded[m.line % decoded.length]! : m.line % lines.length;
      const fields = (lines[i] ?? '').split(',');
      const v = nasty(m.value);
      fields[m.field % fields.length] = typeof v === 'string' ? v : JSON.stringify(v);
      lines[i] = fields.join(',');
      return Buffer.from(lines.join('\n'));
    }
    case 'insert-line': {
      lines.splice(m.line % (lines.length + 1), 0, m.text);
      return Buffer.from(lines.join('\n'));
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), input]);
    case 'json-value':
    case 'path': {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        // a line-oriented file: swap a JSON value inside one line when it is JSON, else a field
        const i = m.pick % lines.length;
        try {
          const obj: unknown = JSON.parse(lines[i] ?? '');
          const ls = leaves(obj);
          if (ls.length > 0) setIn(obj, ls[m.value % ls.length]!, nasty(m.pick));
          lines[i] = JSON.stringify(obj);
          return Buffer.from(lines.join('\n'));
        } catch {
          return mutate(input, { kind: 'field', line: m.pick, field: m.value, value: m.value }, pathKeys);
        }
      }
      let ls = leaves(doc).filter((p) => p.length > 0);
      if (m.kind === 'path') {
        const paths = ls.filter((p) => p.some((k) => typeof k === 'string' && pathKeys.includes(k)));
        if (paths.length > 0) ls = paths;
      }
      if (ls.length === 0) return Buffer.from(JSON.stringify(nasty(m.value)));
      const value = m.kind === 'path' ? PATHS[m.value % PATHS.length] : nasty(m.value);
      setIn(doc, ls[m.pick % ls.length]!, value);
      return Buffer.from(JSON.stringify(doc, null, 2));
    }
  }
};

export interface Outcome {
  argv: string[];
  code: number;
  out: string;
  err: string;
  ms: number;
}

/** Progress lines a command prints on stderr before its result; not messages. */
const PROGRESS = /^(analyze: reading |hotswap: rendering |warning: )/;

export const runCli = async (argv: string[], cwd: string): Promise<Outcome> => {
  const io = memoryIo({ cwd });
  const t0 = performance.now();
  const code = await main(argv, io);
  return { argv, code, out: io.out(), err: io.err(), ms: performance.now() - t0 };
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Per-case bounds: generous, the machine is shared; a hang or a blow-up is far beyond them. */
export const CASE_MS = 30_000;
export const HEAP_BYTES = 1.5 * 2 ** 30;

/** The property; returns a problem in words, or undefined when the outcome is acceptable. */
export const problemOf = (o: Outcome, allowed: readonly number[], caseDir: string): string | undefined => {
  const messages = o.err.split('\n').filter((l) => l !== '' && !PROGRESS.test(l));
  if (/internal error/.test(o.err)) return `internal error: ${messages.join(' | ')}`;
  if (!allowed.includes(o.code))
    return `exit ${o.code} (allowed ${allowed.join(', ')}): ${messages.join(' | ')}`;
  if (o.code === 3 && !/cannot be judged/.test(o.out)) return `exit 3 without "cannot be judged"`;
  if (o.code === 2) {
    if (messages.length !== 1) return `exit 2 with ${messages.length} stderr lines: ${messages.join(' | ')}`;
    if (!messages[0]!.includes(caseDir)) return `exit 2 message names no file of the case: ${messages[0]}`;
    if (
      /expected a (starts_with|regex)|Cannot read properties|is not a function|stop reading/.test(
        messages[0]!,
      )
    )
      return `internal wording leaked: ${messages[0]}`;
  }
  if (CONTROL.test(o.out) || CONTROL.test(o.err)) return 'a control character reached the terminal';
  if (o.ms > CASE_MS) return `took ${Math.round(o.ms)} ms`;
  if (process.memoryUsage().heapUsed > HEAP_BYTES) return 'heap beyond 1.5 GiB';
  return undefined;
};

export interface FuzzTarget {
  name: string;
  /** Cases in the bounded CI run. */
  ciRuns: number;
  /** Runs one mutated case in `dir` (a fresh folder) and returns the problem, if any. */
  check: (m: Mutation[], dir: string) => Promise<string | undefined>;
}

const READER_EXITS = [0, 2] as const;
const VERDICT_EXITS = [0, 1, 2, 3, 4] as const;

const applyAll = (input: Buffer, ms: Mutation[], keys: readonly string[] = []): Buffer =>
  ms.reduce((buf, m) => mutate(buf, m, keys), input);

/** A file of numbers from the real tiny report: per-run p99s as `compare` takes them. */
const numbersFixture = async (): Promise<Buffer> => {
  const report = JSON.parse(
    await readFile(fixture('test/fixtures/report/golden/tiny-trial/report.json'), 'utf8'),
  ) as { summaries: { quantilesMs: Record<string, number>; meanMs: number }[] };
  const values = report.summaries.flatMap((s) => [s.meanMs, ...Object.values(s.quantilesMs)]);
  return Buffer.from(`# per-run latencies (ms) from the tiny fixture trial\n${values.join('\n')}\n`);
};

const readerTarget = (name: string, file: string, ciRuns: number, plain = false): FuzzTarget => ({
  name,
  ciRuns,
  check: async (ms, dir) => {
    const raw = await readFile(fixture(file));
    const base = plain && file.endsWith('.gz') ? gunzipSync(raw) : raw;
    const f = join(dir, name);
    await writeFile(f, applyAll(base, ms));
    const a = await runCli(['stats', 'summarize', f, '--json'], dir);
    return problemOf(a, READER_EXITS, dir);
  },
});

const numbersTarget: FuzzTarget = {
  name: 'numbers',
  ciRuns: 60,
  check: async (ms, dir) => {
    const base = await numbersFixture();
    const f = join(dir, 'a.txt');
    const g = join(dir, 'b.txt');
    await writeFile(f, applyAll(base, ms));
    await writeFile(g, base);
    return (
      problemOf(await runCli(['stats', 'summarize', f], dir), READER_EXITS, dir) ??
      problemOf(await runCli(['compare', g, f], dir), READER_EXITS, dir)
    );
  },
};

const PLAN_FILES = [
  'plans/reference-quick.yaml',
  'plans/reference-capacity-ramp.yaml',
  'plans/reference-release-review.yaml',
  'plans/your-own-service.yaml',
  'plans/reference-canary.yaml',
  'test/fixtures/trials/tiny/plan.json',
];

/** Plans go through parsePlan and the target check: only InputError (exit 2) may come out. */
const planTarget: FuzzTarget = {
  name: 'plan',
  ciRuns: 120,
  check: async (ms, dir) => {
    const file = PLAN_FILES[(ms[0] && 'at' in ms[0] ? ms[0].at : ms.length) % PLAN_FILES.length]!;
    const text = applyAll(await readFile(fixture(file)), ms, ['url', 'metricsUrl', 'healthPath', 'path']);
    const where = join(dir, 'plan.yaml');
    const t0 = performance.now();
    try {
      const plan = parsePlan(text.toString('utf8'), where);
      checkTargets(plan, where);
    } catch (err) {
      if (!(err instanceof HotswapError) || err.exitCode !== 2)
        return `not an InputError: ${(err as Error).message}`;
      if (!err.message.includes(where)) return `names no file: ${err.message}`;
      if (err.message.includes('\n')) return `several lines: ${err.message}`;
      if (/expected a (starts_with|regex)/.test(err.message)) return `zod wording: ${err.message}`;
      if (CONTROL.test(err.message)) return `control character in: ${JSON.stringify(err.message)}`;
    }
    if (performance.now() - t0 > CASE_MS) return 'slow plan parse';
    return undefined;
  },
};

const TRIAL = fixture('test/fixtures/trials/tiny');
/** Files of the tiny trial a case may damage; `.csv.gz` ones are mutated as their CSV text. */
const TRIAL_FILES = [
  'manifest.json',
  'manifest.json',
  'plan.json',
  'raw/r000-baseline-steady/k6.csv.gz',
  'raw/r001-candidate-steady/k6.csv.gz',
  'raw/r000-baseline-steady/metrics-before.prom',
  'raw/r001-candidate-steady/metrics-after.prom',
];
const MANIFEST_PATH_KEYS = [
  'outputs',
  'logs',
  'metricsBefore',
  'metricsAfter',
  'metricsDuring',
  'summary',
  'path',
];

const trialTarget: FuzzTarget = {
  name: 'trial',
  ciRuns: 10,
  check: async (ms, dir) => {
    const trial = join(dir, 'trial');
    await cp(TRIAL, trial, { recursive: true });
    await symlink('/etc/passwd', join(trial, 'raw', 'link-out'));
    const pick = ms[0] && 'at' in ms[0] ? ms[0].at : ms.length;
    const rel = TRIAL_FILES[pick % TRIAL_FILES.length]!;
    const raw = await readFile(join(trial, rel));
    const base = rel.endsWith('.gz') ? gunzipSync(raw) : raw;
    await writeFile(join(trial, rel), applyAll(base, ms, MANIFEST_PATH_KEYS));
    const a = await runCli(['analyze', trial], dir);
    const p = problemOf(a, VERDICT_EXITS, dir);
    if (p || a.code === 2) return p;
    const out = join(dir, 'out');
    return problemOf(
      await runCli(['report', trial, '--format', 'md,text,json', '--out', out], dir),
      READER_EXITS,
      dir,
    );
  },
};

const reportTarget: FuzzTarget = {
  name: 'report.json',
  ciRuns: 25,
  check: async (ms, dir) => {
    const base = await readFile(fixture('test/fixtures/report/golden/tiny-trial/report.json'));
    const f = join(dir, 'report.json');
    await writeFile(f, applyAll(base, ms));
    await mkdir(join(dir, 'out'));
    return problemOf(
      await runCli(['report', f, '--format', 'md,text,json', '--out', join(dir, 'out')], dir),
      READER_EXITS,
      dir,
    );
  },
};

export const TARGETS: readonly FuzzTarget[] = [
  numbersTarget,
  readerTarget('k6-csv', 'test/fixtures/k6/small.csv', 60),
  readerTarget('k6-json', 'test/fixtures/k6/small.json', 40),
  readerTarget('k6-csv-gz', 'test/fixtures/k6/small.csv.gz', 30),
  readerTarget('k6-segment', 'test/fixtures/k6/segment-1.csv.gz', 20, true),
  readerTarget('autocannon', 'test/fixtures/autocannon/scan.ndjson', 30),
  planTarget,
  reportTarget,
  trialTarget,
];

export interface FuzzResult {
  target: string;
  cases: number;
  failure?: string;
}

/**
 * Runs `runs` cases of `target` (1–3 stacked mutations each) with a fixed seed; fast-check shrinks a
 * failing case and the failure says which mutations made it.
 */
export const fuzzTarget = async (target: FuzzTarget, runs: number, seed: number): Promise<FuzzResult> => {
  const base = await mkdtemp(join(tmpdir(), `hotswap-fuzz-${target.name}-`));
  let cases = 0;
  let lastProblem = '';
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (ms) => {
        cases++;
        const dir = join(base, String(cases));
        await mkdir(dir);
        try {
          const problem = await target.check(ms, dir);
          if (problem) {
            // the last problem seen is the shrunk counterexample's
            lastProblem = `${problem} ← ${JSON.stringify(ms)}`;
            throw new Error(`${target.name}: ${problem}`);
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: runs, seed, endOnFailure: false, interruptAfterTimeLimit: 20 * 60_000 },
    );
    return { target: target.name, cases };
  } catch (err) {
    const head = (err as Error).message.split('\n').slice(0, 2).join(' ');
    return { target: target.name, cases, failure: `${lastProblem || head} (${head})` };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
};
