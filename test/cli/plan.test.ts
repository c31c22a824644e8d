import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const SPEC = 'load,throughput\n1,64.9\n18,995.9\n36,1652.4\n72,1853.2\n108,1828.9\n144,1775\n216,1702.2\n';

describe('hotswap plan usl', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotswap-plan-'));
    await writeFile(join(dir, 'spec.csv'), SPEC);
    await writeFile(
      join(dir, 'amdahl.csv'),
      `throughput,load\n${[1, 2, 4, 8, 16, 32].map((n) => `${(100 * n) / (1 + 0.05 * (n - 1))},${n}`).join('\n')}\n`,
    );
    await writeFile(join(dir, 'short.csv'), 'load,throughput\n1,10\n2,19\n');
    await writeFile(join(dir, 'bad.csv'), 'load,throughput\n1,10\n2,abc\n');
    await writeFile(join(dir, 'header.csv'), 'vus,rps\n1,10\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('--json gives sigma, kappa, lambda and the peak (the published SPEC SDM91 fit)', async () => {
    const io = memoryIo();
    assert.equal(await main(['plan', 'usl', join(dir, 'spec.csv'), '--json'], io), 0);
    const doc = JSON.parse(io.out());
    assert.ok(Math.abs(doc.sigma - 0.0277285) < 5e-7);
    assert.ok(Math.abs(doc.kappa - 0.0001044) < 1e-7);
    assert.ok(Math.abs(doc.peak.load - 96.5) < 0.1);
    assert.equal(typeof doc.peak.throughput, 'number');
  });

  it('warns when kappa ≈ 0 and gives a null peak load in JSON', async () => {
    const io = memoryIo();
    assert.equal(await main(['plan', 'usl', join(dir, 'amdahl.csv'), '--json'], io), 0);
    const doc = JSON.parse(io.out());
    assert.equal(doc.peak.load, null);
    assert.equal(doc.warnings[0].code, 'usl-no-retrograde');
    const text = memoryIo();
    await main(['plan', 'usl', join(dir, 'amdahl.csv')], text);
    assert.match(text.err(), /no retrograde region/);
  });

  it('names the file and line of a bad row, the header problem, and too few points (exit 2)', async () => {
    for (const [file, pattern] of [
      ['bad.csv', /bad\.csv:3: expected numbers/],
      ['header.csv', /header\.csv:1: header must name the columns load and throughput/],
      ['short.csv', /short\.csv: a USL fit needs at least 6/],
    ] as const) {
      const io = memoryIo();
      assert.equal(await main(['plan', 'usl', join(dir, file)], io), 2, file);
      assert.match(io.err(), pattern);
    }
  });
});

describe('hotswap plan queue', () => {
  it('--json gives minServers and probability (Erlang C wait criterion by default)', async () => {
    const io = memoryIo();
    const args = [
      'plan',
      'queue',
      '--arrival-rate',
      '100',
      '--service-rate',
      '10',
      '--slo',
      '0.02',
      '--max-probability',
      '0.05',
      '--json',
    ];
    assert.equal(await main(args, io), 0);
    const doc = JSON.parse(io.out());
    assert.equal(doc.minServers, 15);
    assert.ok(doc.probability <= 0.05);
    assert.equal(doc.criterion, 'wait');
  });

  it('accepts --slo with a unit and the response criterion', async () => {
    const io = memoryIo();
    const args = [
      'plan',
      'queue',
      '--arrival-rate',
      '400',
      '--service-rate',
      '50',
      '--slo',
      '100ms',
      '--max-probability',
      '0.01',
      '--criterion',
      'response',
      '--json',
    ];
    assert.equal(await main(args, io), 0);
    assert.equal(JSON.parse(io.out()).minServers, 10);
  });

  it('names the bad or missing flag, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--arrival-rate', 'x', '--service-rate', '1', '--slo', '1', '--max-probability', '0.1'],
        /--arrival-rate: expected/,
      ],
      [['--service-rate', '1', '--slo', '1', '--max-probability', '0.1'], /--arrival-rate is required/],
      [
        ['--arrival-rate', '1', '--service-rate', '1', '--slo', 'soon', '--max-probability', '0.1'],
        /--slo: expected a duration/,
      ],
      [
        ['--arrival-rate', '1', '--service-rate', '1', '--slo', '1', '--max-probability', '1.5'],
        /--max-probability: expected a probability/,
      ],
      [
        [
          '--arrival-rate',
          '1',
          '--service-rate',
          '1',
          '--slo',
          '1',
          '--max-probability',
          '0.1',
          '--criterion',
          'p99',
        ],
        /--criterion: expected wait or response/,
      ],
    ];
    for (const [flags, pattern] of cases) {
      const io = memoryIo();
      assert.equal(await main(['plan', 'queue', ...flags], io), 2, flags.join(' '));
      assert.match(io.err(), pattern);
    }
  });
});

describe('hotswap plan instances', () => {
  it('--json gives instances for the peak, with redundancy, and the monthly cost at 730 h', async () => {
    const io = memoryIo();
    const args = [
      'plan',
      'instances',
      '--peak-rps',
      '12000',
      '--per-instance-rps',
      '1800',
      '--redundancy',
      '2',
      '--cost-per-hour',
      '0.5',
      '--json',
    ];
    assert.equal(await main(args, io), 0);
    assert.deepEqual(JSON.parse(io.out()), {
      instancesForPeak: 7,
      instances: 9,
      costPerMonth: 9 * 0.5 * 730,
    });
  });

  it('names a bad flag, exit 2, and --help has examples', async () => {
    const io = memoryIo();
    assert.equal(await main(['plan', 'instances', '--peak-rps', '10', '--per-instance-rps', '0'], io), 2);
    assert.match(io.err(), /--per-instance-rps: expected requests per second > 0, got "0"/);
    const help = memoryIo();
    await main(['plan', 'instances', '--help'], help);
    assert.match(help.out(), /Examples:\n\s+hotswap plan instances --peak-rps/);
  });
});
