/**
 * One regression test per class of issue 15 (untrusted input, bounded work), each through the CLI
 * in-process (`main(argv, io)`) on the committed real fixtures or a copy of them.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { escapeControl, memoryIo, terminalSafe } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { InputError, type Plan } from '../../src/model/index.js';
import { checkTargets, parsePlan } from '../../src/plan/index.js';
import { writeLinesAtomic } from '../../src/store/index.js';

const root = new URL('../../', import.meta.url).pathname;
const TINY = join(root, 'test/fixtures/trials/tiny');
const SMALL_CSV = join(root, 'test/fixtures/k6/small.csv');

const tmp = () => mkdtemp(join(tmpdir(), 'hotswap-untrusted-'));
const run = async (argv: string[], cwd = root) => {
  const io = memoryIo({ cwd });
  const code = await main(argv, io);
  const messages = io
    .err()
    .split('\n')
    .filter((l) => l !== '' && !/^(analyze: reading|hotswap: rendering|warning: )/.test(l));
  return { code, out: io.out(), err: io.err(), messages };
};
/** Exit 2 with exactly one message line that matches `re` and says nothing internal. */
const refused = (r: Awaited<ReturnType<typeof run>>, re: RegExp) => {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.messages.length, 1, r.err);
  assert.match(r.messages[0]!, re);
  assert.doesNotMatch(r.err, /internal error|Cannot read properties|stop reading|starts_with/);
};
const copyTiny = async (): Promise<string> => {
  const dir = join(await tmp(), 'tiny');
  await cp(TINY, dir, { recursive: true });
  return dir;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit arbitrary JSON documents
type Json = any;
const editJson = async (file: string, edit: (x: Json) => void): Promise<void> => {
  const doc = JSON.parse(await readFile(file, 'utf8')) as Json;
  edit(doc);
  await writeFile(file, JSON.stringify(doc, null, 2));
};
/** small.csv with one line changed by `edit` (given its fields); `at` picks the n-th duration line. */
const csvWith = async (edit: (fields: string[]) => void, metric = 'http_req_duration'): Promise<string> => {
  const lines = (await readFile(SMALL_CSV, 'utf8')).split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${metric},`));
  const fields = lines[i]!.split(',');
  edit(fields);
  lines[i] = fields.join(',');
  const f = join(await tmp(), 'k6.csv');
  await writeFile(f, lines.join('\n'));
  return f;
};

describe('trial folders are not trusted', () => {
  it('refuses a manifest path leading out of the folder and never quotes the file it names', async () => {
    const dir = await copyTiny();
    await editJson(join(dir, 'manifest.json'), (m) => {
      m.runs[0].raw.metricsBefore = '../../../../etc/passwd';
    });
    const r = await run(['analyze', dir]);
    refused(r, /manifest\.json: runs\[0\]\.raw\.metricsBefore: a "\.\." segment/);
    assert.doesNotMatch(r.err, /root:/);
  });

  it('refuses absolute paths and symlinks leading out (e.g. to /proc/self/environ)', async () => {
    const dir = await copyTiny();
    await editJson(join(dir, 'manifest.json'), (m) => {
      m.runs[1].raw.outputs = ['/proc/self/environ'];
    });
    refused(await run(['analyze', dir]), /runs\[1\]\.raw\.outputs\[0\]: an absolute path/);
    const dir2 = await copyTiny();
    await symlink('/proc/self/environ', join(dir2, 'raw', 'env'));
    await editJson(join(dir2, 'manifest.json'), (m) => {
      m.runs[0].raw.gathered = [{ gatherer: 'x', hook: 'after', path: 'raw/env' }];
    });
    const r = await run(['analyze', dir2]);
    refused(r, /runs\[0\]\.raw\.gathered\[0\]\.path: "raw\/env" leads outside the trial folder/);
    assert.doesNotMatch(r.err, /PATH=|HOME=/);
  });

  it('checks plan.json with parsePlan: {} is one line naming the file and a field', async () => {
    const dir = await copyTiny();
    await writeFile(join(dir, 'plan.json'), '{}');
    refused(await run(['analyze', dir]), /plan\.json: [a-z]+.*missing/);
  });

  it('names the field of a manifest run without raw.outputs, and of a wrong-typed field', async () => {
    const dir = await copyTiny();
    await editJson(join(dir, 'manifest.json'), (m) => {
      delete m.runs[2].raw.outputs;
    });
    refused(await run(['analyze', dir]), /manifest\.json: runs\[2\]\.raw\.outputs: missing; expected a list/);
    await editJson(join(dir, 'manifest.json'), (m) => {
      m.runs[2].raw.outputs = [];
      m.runs[2].warmupSeconds = 'soon';
    });
    refused(await run(['analyze', dir]), /runs\[2\]\.warmupSeconds: expected a number, got "soon"/);
  });

  it('passes unknown keys in manifest.json and report.json (the contract grows by additions)', async () => {
    const dir = await copyTiny();
    await editJson(join(dir, 'manifest.json'), (m) => {
      m.futureField = { x: 1 };
      m.runs[0].alsoNew = true;
    });
    const a = await run(['analyze', dir]);
    assert.equal(a.code, 4, a.err);
    await editJson(join(dir, 'report.json'), (m) => {
      m.newSection = [{ anything: 'goes' }];
    });
    assert.equal((await run(['report', dir, '--format', 'text'])).code, 0);
  });

  it('refuses a report.json with a string where a number belongs, naming file and field, writing nothing', async () => {
    const dir = await copyTiny();
    assert.equal((await run(['analyze', dir])).code, 4);
    await editJson(join(dir, 'report.json'), (m) => {
      m.plan.repetitions = '<meta http-equiv=refresh content=0;url=http://evil.invalid>';
    });
    const out = join(dir, 'out');
    refused(
      await run(['report', dir, '--format', 'md,text', '--out', out]),
      /report\.json: plan\.repetitions: does not match any allowed form/,
    );
    assert.deepEqual(await readdir(out).catch(() => []), []);
  });
});

describe('one place checks every target after joining', () => {
  const plan = (healthPath: string) =>
    ({
      configurations: {
        baseline: { kind: 'url', name: 'a', url: 'http://127.0.0.1:8080', healthPath, env: {} },
        candidate: { kind: 'url', name: 'b', url: 'http://127.0.0.1:8081', healthPath: '/healthz', env: {} },
      },
    }) as unknown as Plan;

  it('refuses a healthPath that joins onto another host (//evil.invalid:18999/healthz)', () => {
    assert.throws(
      () => checkTargets(plan('//evil.invalid:18999/healthz'), 'p.yaml'),
      (e: Error) =>
        e instanceof InputError &&
        /p\.yaml: configurations\.baseline\.healthPath: .* leads to "http:\/\/evil\.invalid:18999"/.test(
          e.message,
        ),
    );
    // …even with --allow-remote: a health path is a path on the service, never another origin
    assert.throws(() => checkTargets(plan('http://evil.invalid/healthz'), 'p.yaml', true), InputError);
    assert.doesNotThrow(() => checkTargets(plan('/healthz'), 'p.yaml'));
  });

  it('the plan schema refuses such a healthPath too, without zod wording', async () => {
    const text = (await readFile(join(root, 'plans/your-own-service.yaml'), 'utf8')).replace(
      /healthPath: .*/,
      'healthPath: //evil.invalid:18999/healthz',
    );
    assert.ok(text.includes('//evil.invalid'), 'the plan has a healthPath to replace');
    assert.throws(
      () => parsePlan(text, 'p.yaml'),
      (e: Error) => /healthPath: expected a path on the service/.test(e.message) && !/regex/.test(e.message),
    );
  });
});

describe('one output boundary for the terminal', () => {
  it('escapes every control character but newline and tab in what the CLI prints', () => {
    assert.equal(escapeControl('a\u001b[2J\rb\u0007\n\tc\u009b'), 'a\\x1b[2J\\x0db\\x07\n\tc\\x9b');
    let seen = '';
    const io = terminalSafe(memoryIo({ stdout: (t) => void (seen += t) }));
    io.stdout('\u001b]0;pwned\u0007title\n');
    assert.equal(seen, '\\x1b]0;pwned\\x07title\n');
  });

  it('an endpoint name with an escape sequence reaches the terminal escaped (stats summarize)', async () => {
    const f = await csvWith((x) => {
      x[17] = 'endpoint=\u001b]0;pwned\u0007';
    });
    const r = await run(['stats', 'summarize', f]);
    assert.equal(r.code, 0, r.err);
    assert.ok(!r.out.includes('\u001b'));
    assert.match(r.out, /endpoint \\x1b\]0;pwned\\x07/);
  });

  it('a plan name with an escape sequence reaches the terminal escaped (analyze)', async () => {
    const dir = await copyTiny();
    await editJson(join(dir, 'plan.json'), (p) => {
      p.name = 'x\u001b[2Jy';
    });
    const r = await run(['analyze', dir]);
    assert.equal(r.code, 4, r.err);
    assert.match(r.out, /^x\\x1b\[2Jy: INCONCLUSIVE/);
  });
});

describe('readers refuse impossible values with file:line (exit 2)', () => {
  const cases: [string, (f: string[]) => void, RegExp, string?][] = [
    ['a negative duration', (x) => void (x[2] = '-12.5'), /k6\.csv:3: impossible duration -12\.5 ms/],
    [
      'a non-finite duration',
      (x) => void (x[2] = '1e309'),
      /k6\.csv:3: metric_value "1e309" is out of range \(not finite\)/,
    ],
    ['a hex duration', (x) => void (x[2] = '0x1F'), /k6\.csv:3: non-numeric metric_value "0x1F"/],
    ['status 70000', (x) => void (x[13] = '70000'), /k6\.csv:3: impossible HTTP status 70000/],
    ['a hex status', (x) => void (x[13] = '0xC8'), /k6\.csv:3: non-decimal status "0xC8"/],
    [
      'dropped_iterations 1e12 (a count to add, never a loop)',
      (x) => void (x[2] = '1e12'),
      /impossible dropped-iterations count 1000000000000 \(expected a whole number 0 to 1000000000\)/,
      'dropped_iterations',
    ],
  ];
  for (const [what, edit, re, metric] of cases)
    it(`refuses ${what}`, async () => {
      const lines = (await readFile(SMALL_CSV, 'utf8')).split('\n');
      if (metric) {
        // small.csv has no dropped_iterations line: add one as k6 writes it (scenario tag, value 1)
        const f = join(await tmp(), 'k6.csv');
        lines.splice(2, 0, 'dropped_iterations,1795302553352488,1.000000,,,,,,,,,steady,,,,,,,');
        const fields = lines[2]!.split(',');
        edit(fields);
        lines[2] = fields.join(',');
        await writeFile(f, lines.join('\n'));
        refused(await run(['stats', 'summarize', f]), re);
        return;
      }
      const f = await csvWith(edit);
      refused(await run(['stats', 'summarize', f]), re);
    });

  it('adds a dropped-iterations count without looping over it', async () => {
    const lines = (await readFile(SMALL_CSV, 'utf8')).split('\n');
    lines.splice(2, 0, 'dropped_iterations,1795302553352488,900000000,,,,,,,,,steady,,,,,,,');
    const f = join(await tmp(), 'k6.csv');
    await writeFile(f, lines.join('\n'));
    const r = await run(['stats', 'summarize', f, '--json']);
    assert.equal(r.code, 0, r.err);
  });

  it('refuses JSON lines in the middle of a CSV file', async () => {
    const lines = (await readFile(SMALL_CSV, 'utf8')).split('\n');
    lines.splice(5, 0, '{"metric":"http_req_duration","type":"Point","data":{"value":5}}');
    const f = join(await tmp(), 'k6.csv');
    await writeFile(f, lines.join('\n'));
    refused(await run(['stats', 'summarize', f]), /k6\.csv:6: not a k6 CSV line \(starts with "\{"\)/);
  });

  it('reads a BOM-prefixed k6 CSV, and a BOM-prefixed file of numbers', async () => {
    const d = await tmp();
    await writeFile(
      join(d, 'k6.csv'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await readFile(SMALL_CSV)]),
    );
    assert.equal((await run(['stats', 'summarize', join(d, 'k6.csv')])).code, 0);
    await writeFile(join(d, 'n.txt'), '\uFEFF1\n2\n3\n');
    assert.equal((await run(['stats', 'summarize', join(d, 'n.txt')])).code, 0);
  });

  it('warns, saying what it changes, when the status columns are missing (and counts no failure)', async () => {
    const lines = (await readFile(SMALL_CSV, 'utf8')).split('\n').map((l) => {
      const f = l.split(',');
      f.splice(13, 1); // status
      f.splice(6, 1); // expected_response
      return f.join(',');
    });
    const f = join(await tmp(), 'k6.csv');
    await writeFile(f, lines.join('\n'));
    const r = await run(['stats', 'summarize', f, '--json']);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out) as { errors: number; warnings: { code: string; message: string }[] };
    assert.equal(doc.errors, 0);
    assert.match(
      doc.warnings.find((w) => w.code === 'missing-column')!.message,
      /no "status" column, so no request can be told failed/,
    );
  });

  it('refuses 1e309 and hex in a file of numbers', async () => {
    const d = await tmp();
    await writeFile(join(d, 'n.txt'), '1\n1e309\n');
    refused(await run(['stats', 'summarize', join(d, 'n.txt')]), /n\.txt:2: number out of range: "1e309"/);
    await writeFile(join(d, 'h.txt'), '1\n0x1F\n');
    refused(await run(['stats', 'summarize', join(d, 'h.txt')]), /h\.txt:2: not a number: "0x1F"/);
  });

  it('printf 42 > f; stats summarize f reads the unterminated line (no "stop reading")', async () => {
    const f = join(await tmp(), 'f');
    await writeFile(f, '42');
    const r = await run(['stats', 'summarize', f, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { n: number }).n, 1);
  });
});

describe('bounded work', () => {
  it('plan queue finds the server count in logarithmic steps and bounds the offered load', async () => {
    const t0 = performance.now();
    const big = await run([
      'plan',
      'queue',
      '--arrival-rate',
      '9e5',
      '--service-rate',
      '1',
      '--slo',
      '0.1',
      '--max-probability',
      '0.01',
      '--json',
    ]);
    assert.equal(big.code, 0, big.err);
    assert.ok((JSON.parse(big.out) as { minServers: number }).minServers > 900_000);
    refused(
      await run([
        'plan',
        'queue',
        '--arrival-rate',
        '1e9',
        '--service-rate',
        '1',
        '--slo',
        '0.1',
        '--max-probability',
        '0.01',
      ]),
      /--arrival-rate\/--service-rate: offered load .* beyond the supported 1,000,000/,
    );
    // generous: a linear search over 9e5 servers, each an O(c) Erlang B pass, would take hours
    assert.ok(performance.now() - t0 < 60_000);
  });

  it('bounds YAML aliases with one line naming the file', async () => {
    const d = await tmp();
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      bomb.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    assert.throws(
      () => parsePlan(bomb.join('\n'), join(d, 'bomb.yaml')),
      (e: Error) => e instanceof InputError && /bomb\.yaml: too many YAML alias expansions/.test(e.message),
    );
  });

  it('a YAML key that is a collection is one line naming it, no Node process warning on stderr', async () => {
    const d = await tmp();
    const plan = join(d, 'ck.yaml');
    await writeFile(plan, 'name: x\n? [1, two]\n: y\n');
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [join(root, 'bin/hotswap.js'), 'run', '--plan', plan, '--out', d], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /ck\.yaml: \[ 1, two \]: unknown field/);
    assert.doesNotMatch(r.stderr, /Warning|mapAsMap/);
  });

  it('bounds corpus --count, and an interrupted corpus leaves no temporary file', async () => {
    const d = await tmp();
    refused(
      await run(['corpus', '--seed', '1', '--count', '1e12', '--out', join(d, 'c.ndjson')]),
      /--count: expected a whole number from 1 to 1000000, got "1e12"/,
    );
    const controller = new AbortController();
    const lines = (function* () {
      for (let i = 0; ; i++) {
        if (i === 5000) controller.abort();
        yield `{"i":${i}}`;
      }
    })();
    await assert.rejects(
      writeLinesAtomic(join(d, 'c.ndjson'), lines, controller.signal),
      /interrupted; nothing written/,
    );
    assert.deepEqual(await readdir(d), []);
  });
});

describe('no internal errors for bad --out or input files', () => {
  it('a report --out that is a file, under /proc, or a file in the way is one line naming it', async () => {
    const dir = await copyTiny();
    assert.equal((await run(['analyze', dir])).code, 4);
    const file = join(dir, 'plan.json');
    refused(await run(['report', dir, '--format', 'text', '--out', file]), /plan\.json.*: cannot write: /);
    refused(
      await run(['report', dir, '--format', 'text', '--out', '/proc/hotswap-x']),
      /\/proc\/hotswap-x.*cannot write: /,
    );
    await mkdir(join(dir, 'out', 'report.txt'), { recursive: true });
    refused(
      await run(['report', dir, '--format', 'text', '--out', join(dir, 'out')]),
      /report\.txt: cannot write: it is a directory \(EISDIR\)/,
    );
  });

  it('a corpus --out that is a directory is one line naming it', async () => {
    const d = await tmp();
    refused(
      await run(['corpus', '--seed', '1', '--count', '3', '--out', d]),
      /cannot write: it is a directory \(EISDIR\)/,
    );
  });

  it('a raw k6 file replaced by a directory is one line naming it', async () => {
    const dir = await copyTiny();
    const gz = join(dir, 'raw/r000-baseline-steady/k6.csv.gz');
    const text = gunzipSync(await readFile(gz));
    assert.ok(text.length > 0);
    const { rm } = await import('node:fs/promises');
    await rm(gz);
    await mkdir(gz);
    refused(await run(['analyze', dir]), /k6\.csv\.gz: not a regular file/);
  });
});
