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

describe('hotswap plan payback', () => {
  const base = [
    'plan',
    'payback',
    '--monthly-saving',
    '2500',
    '--one-off-hours',
    '120',
    '--hourly-rate',
    '95',
  ];
  const ci = ['--ci-minutes-delta', '4', '--builds-per-month', '600', '--ci-price-per-minute', '0.008'];

  it('--json gives exactly the contract: one-off, monthly cost and net, payback months, net over the horizon', async () => {
    const io = memoryIo();
    assert.equal(
      await main([...base, '--monthly-hours', '10', ...ci, '--horizon-months', '24', '--json'], io),
      0,
    );
    const doc = JSON.parse(io.out());
    assert.deepEqual(Object.keys(doc), [
      'oneOffCost',
      'monthlyCost',
      'monthlyNet',
      'paybackMonths',
      'netOverHorizon',
    ]);
    // 120 × 95; 10 × 95 + 4 × 600 × 0.008; 2 500 − 969.2; 11 400 / 1 530.8; 1 530.8 × 24 − 11 400
    assert.equal(doc.oneOffCost, 11400);
    assert.ok(Math.abs(doc.monthlyCost - 969.2) < 1e-9);
    assert.ok(Math.abs(doc.monthlyNet - 1530.8) < 1e-9);
    assert.ok(Math.abs(doc.paybackMonths - 11400 / 1530.8) < 1e-12);
    assert.ok(Math.abs(doc.netOverHorizon - 25339.2) < 1e-9);
  });

  it('gives paybackMonths null when the net per month is ≤ 0, and the text says it never pays back', async () => {
    const args = [
      'plan',
      'payback',
      '--monthly-saving',
      '500',
      '--one-off-hours',
      '200',
      '--hourly-rate',
      '100',
    ];
    const json = memoryIo();
    assert.equal(await main([...args, '--monthly-hours', '5', '--json'], json), 0);
    assert.deepEqual(JSON.parse(json.out()), {
      oneOffCost: 20000,
      monthlyCost: 500,
      monthlyNet: 0,
      paybackMonths: null,
      netOverHorizon: -20000,
    });
    const text = memoryIo();
    assert.equal(await main([...args, '--monthly-hours', '6'], text), 0);
    assert.match(text.out(), /^Never pays back: the monthly net is -100\.00/);
    assert.match(text.out(), /payback\s+never {2}the net is ≤ 0/);
  });

  it('explains each line of the text output with its formula and figures', async () => {
    const io = memoryIo();
    assert.equal(await main([...base, '--monthly-hours', '10', ...ci], io), 0);
    const out = io.out();
    assert.match(out, /^Pays back in 7\.447 months; 6969\.60 net over 12 months\./);
    assert.match(out, /one-off cost\s+11400\.00 {2}120 h × 95 per hour, spent once/);
    assert.match(
      out,
      /monthly cost\s+969\.20 {2}10 h × 95 of ongoing work \+ 4 CI min × 600 builds × 0\.008 per min/,
    );
    assert.match(out, /monthly net\s+1530\.80 {2}saving − monthly cost/);
    assert.match(out, /net over 12 months\s+6969\.60 {2}monthly net × 12 − one-off cost/);
  });

  it('names a bad or missing flag in one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['plan', 'payback', '--one-off-hours', '1', '--hourly-rate', '1'],
        /^hotswap: --monthly-saving is required/,
      ],
      [[...base, '--hourly-rate', '-1'], /--hourly-rate: expected money per hour ≥ 0, got "-1"/],
      [[...base, '--horizon-months', '0'], /--horizon-months: expected months > 0, got "0"/],
      [[...base, '--builds-per-month', '600'], /--ci-minutes-delta is required with --builds-per-month/],
      [
        [...base, ...ci.slice(0, 4), '--ci-price-per-minute', 'x'],
        /--ci-price-per-minute: expected a price per CI minute/,
      ],
    ];
    for (const [args, message] of cases) {
      const io = memoryIo();
      assert.equal(await main(args, io), 2, args.join(' '));
      assert.match(io.err(), message);
      assert.equal(io.err().trim().split('\n').length, 1, 'one line');
    }
  });

  it('--help teaches the formulas and has examples', async () => {
    const help = memoryIo();
    await main(['plan', 'payback', '--help'], help);
    assert.match(help.out(), /one-off cost {5}= H × R/);
    assert.match(help.out(), /payback {10}= one-off cost \/ monthly net/);
    assert.match(help.out(), /Examples:\n(.*\n)*\s+hotswap plan payback --monthly-saving/);
  });
});
