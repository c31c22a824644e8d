import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const K6 = join(import.meta.dirname, '..', 'fixtures', 'k6');

describe('hotswap stats summarize', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotswap-stats-'));
    await writeFile(
      join(dir, 'hundred.txt'),
      Array.from({ length: 100 }, (_, i) => `${(i + 1) * 10}`).join('\n'),
    );
    await writeFile(join(dir, 'empty.txt'), '# nothing\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('--json gives n, mean, type-7 quantiles and order-statistic CIs with null for an unbounded side', async () => {
    const io = memoryIo();
    assert.equal(await main(['stats', 'summarize', join(dir, 'hundred.txt'), '--json'], io), 0);
    const doc = JSON.parse(io.out());
    assert.deepEqual(Object.keys(doc), ['n', 'mean', 'quantiles', 'quantileCI95', 'tooFew']);
    // 100 values cannot bound p99 (needs 368) or p99.9 (needs 3688) on both sides.
    assert.deepEqual(doc.tooFew, { '0.99': 368, '0.999': 3688 });
    assert.equal(doc.n, 100);
    assert.equal(doc.mean, 505);
    assert.equal(doc.quantiles['0.5'], 505);
    assert.ok(Math.abs(doc.quantiles['0.9'] - 901) < 1e-9);
    assert.deepEqual(doc.quantileCI95['0.5'], [400, 610]);
    assert.equal(doc.quantileCI95['0.99'][1], null);
  });

  it('refuses a file of numbers with a negative value (exit 2, one line naming file:line), unless --signed', async () => {
    const file = join(dir, 'deltas.txt');
    await writeFile(file, '3\n-1.5\n2\n');
    const io = memoryIo();
    assert.equal(await main(['stats', 'summarize', file], io), 2);
    assert.match(io.err(), new RegExp(`^.*${file}:2: negative value "-1\\.5": .*--signed.*\n$`));
    assert.equal(io.err().trim().split('\n').length, 1);
    const signed = memoryIo();
    assert.equal(await main(['stats', 'summarize', file, '--signed', '--json'], signed), 0);
    assert.equal(JSON.parse(signed.out()).n, 3);
    const cmp = memoryIo();
    assert.equal(await main(['compare', file, join(dir, 'hundred.txt')], cmp), 2);
    assert.match(cmp.err(), /deltas\.txt:2: negative value/);
    assert.equal(await main(['compare', file, join(dir, 'hundred.txt'), '--signed'], memoryIo()), 0);
    const help = memoryIo();
    await main(['stats', 'summarize', '--help'], help);
    assert.match(help.out(), /--signed\s+values may be negative, e\.g\. differences/);
  });

  it('summarizes a k6 run for all requests and per endpoint', async () => {
    const io = memoryIo();
    assert.equal(await main(['stats', 'summarize', join(K6, 'small.csv.gz'), '--json'], io), 0);
    const doc = JSON.parse(io.out());
    assert.equal(doc.unit, 'ms');
    const perEndpoint = Object.values(doc.endpoints as Record<string, { n: number }>).reduce(
      (s, e) => s + e.n,
      0,
    );
    assert.equal(perEndpoint, doc.n);
    assert.ok('scan' in doc.endpoints);
    const text = memoryIo();
    await main(['stats', 'summarize', join(K6, 'small.csv.gz')], text);
    assert.match(text.out(), /endpoint scan\s+n=\d+/);
    // 21 requests: p99.9 is "too few", not a number outside its own CI (it showed 81.16 [81.38, -]).
    assert.match(text.out(), /p99\.9\s+-\s+too few requests for p99\.9 \(needs 3688\)/);
    assert.doesNotMatch(text.out(), /81\.16/);
  });

  it('leaves transport errors (status 0) out of the latencies of driver output, but counts them as failed', async () => {
    const head =
      'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
    const row = (metric: string, t: number, v: number, status: number, i: number) =>
      `${metric},${t},${v},,,${status === 0 ? 1211 : ''},${status === 200},,POST,http://127.0.0.1:1/v1/scan,HTTP/1.1,steady,,${status},,,http://127.0.0.1:1/v1/scan,endpoint=scan,rid=${i}-0`;
    const reqs: [number, number][] = [
      [10, 200],
      [20, 200],
      [0, 0],
      [30, 200],
    ];
    const lines = reqs.flatMap(([ms, status], i) => [
      row('http_reqs', 1795302553352488 + i * 1000, 1, status, i),
      row('http_req_duration', 1795302553352488 + i * 1000, ms, status, i),
      row('http_req_failed', 1795302553352488 + i * 1000, status === 200 ? 0 : 1, status, i),
    ]);
    await writeFile(join(dir, 'transport.csv'), [head, ...lines].join('\n') + '\n');
    const io = memoryIo();
    assert.equal(await main(['stats', 'summarize', join(dir, 'transport.csv'), '--json'], io), 0, io.err());
    const doc = JSON.parse(io.out());
    assert.equal(doc.n, 3);
    assert.equal(doc.mean, 20);
    assert.equal(doc.errors, 1);
    assert.equal(doc.endpoints.scan.n, 3);
  });

  it('an empty numbers file is one line naming the file, exit 2', async () => {
    const io = memoryIo();
    assert.equal(await main(['stats', 'summarize', join(dir, 'empty.txt')], io), 2);
    assert.match(io.err(), /empty\.txt/);
  });

  it('--help teaches with examples', async () => {
    const io = memoryIo();
    await main(['stats', 'summarize', '--help'], io);
    assert.match(io.out(), /Examples:\n\s+hotswap stats summarize latencies\.txt/);
  });
});
