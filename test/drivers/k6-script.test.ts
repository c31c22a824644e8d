import assert from 'node:assert/strict';
import { BlockList, isIPv6 } from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  NON_LOOPBACK_CIDRS,
  inspectScript,
  k6Seconds,
  scenarioEnv,
  scriptOptionsOf,
} from '../../src/drivers/index.js';
import type { DriverRunInput } from '../../src/drivers/types.js';
import { InputError, closedModelWarnings, type K6PhaseSpec } from '../../src/model/index.js';

/**
 * node's own CIDR matcher, independent of how the list was computed: one list per family, as k6 (Go's
 * net.IPNet) matches an IPv4 address against IPv4 ranges only (node would also match it as ::ffff:a.b.c.d).
 */
const blocked = (): { check: (a: string, family: 'ipv4' | 'ipv6') => boolean } => {
  const lists = { ipv4: new BlockList(), ipv6: new BlockList() };
  for (const c of NON_LOOPBACK_CIDRS) {
    const [net, bits] = c.split('/') as [string, string];
    const family = isIPv6(net) ? 'ipv6' : 'ipv4';
    lists[family].addSubnet(net, Number(bits), family);
  }
  return { check: (a, family) => lists[family].check(a, family) };
};

describe("a user's own k6 script as a phase", () => {
  it('blacklists every IPv4 address outside 127.0.0.0/8 and every IPv6 address but ::1 (checked by node:net)', () => {
    const list = blocked();
    for (const a of ['127.0.0.1', '127.0.0.2', '127.255.255.255'])
      assert.equal(list.check(a, 'ipv4'), false, a);
    assert.equal(list.check('::1', 'ipv6'), false, '::1');
    for (const a of ['0.0.0.0', '10.0.0.1', '126.255.255.255', '128.0.0.0', '192.168.1.1', '255.255.255.255'])
      assert.equal(list.check(a, 'ipv4'), true, a);
    for (const a of [
      '::',
      '::2',
      '::ffff:a00:1',
      '2001:db8::1',
      'fe80::1',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ])
      assert.equal(list.check(a, 'ipv6'), true, a);
    // Every first octet, at both ends of its range.
    for (let o = 0; o < 256; o += 1)
      for (const a of [`${o}.0.0.0`, `${o}.255.255.255`]) assert.equal(list.check(a, 'ipv4'), o !== 127, a);
  });

  it('reads k6 durations', () => {
    assert.equal(k6Seconds('1m30s'), 90);
    assert.equal(k6Seconds('500ms'), 0.5);
    assert.equal(k6Seconds('2h'), 7200);
    assert.equal(k6Seconds('3s'), 3);
    assert.equal(k6Seconds(null), 0);
  });

  it("takes a script's load from its scenarios: the latest end of a timed one, the executors in order", () => {
    assert.deepEqual(
      scriptOptionsOf({
        scenarios: {
          a: { executor: 'constant-arrival-rate', duration: '10s' },
          b: { executor: 'ramping-vus', startTime: '5s', stages: [{ duration: '4s' }, { duration: '8s' }] },
          c: { executor: 'per-vu-iterations', startTime: '1s' },
        },
      }),
      { loadSeconds: 17, executors: ['constant-arrival-rate', 'ramping-vus', 'per-vu-iterations'] },
    );
    assert.deepEqual(scriptOptionsOf({ scenarios: null }), { loadSeconds: 0, executors: [] });
  });

  it('reads a script with the real k6 inspect, the env applied, and the shortcut options as constant-vus', async () => {
    assert.deepEqual(
      await inspectScript('plans/load/httpbin.ts', { DURATION: '4' }, 'p.yaml: phases.0.script'),
      {
        loadSeconds: 4,
        executors: ['constant-arrival-rate'],
      },
    );
    const dir = mkdtempSync(join(tmpdir(), 'hotswap-k6s-'));
    const closed = join(dir, 'closed.js');
    writeFileSync(
      closed,
      "export const options = { vus: 2, duration: '7s' };\nexport default function () {}\n",
    );
    assert.deepEqual(await inspectScript(closed, {}, 'x'), { loadSeconds: 7, executors: ['constant-vus'] });
    const bad = join(dir, 'bad.js');
    writeFileSync(bad, 'export default function ( {\n');
    await assert.rejects(inspectScript(bad, {}, 'p.yaml: phases.0.script'), (e: Error) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^p\.yaml: phases\.0\.script: k6 cannot read .*bad\.js/);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  });

  it('warns about closed-model executors, and only about those', () => {
    const phase = (executors: string[]): K6PhaseSpec => ({
      name: 'checkout',
      driver: 'k6',
      scenario: 'script',
      script: '/x.ts',
      scriptOptions: { loadSeconds: 1, executors },
    });
    const [w] = closedModelWarnings(phase(['constant-arrival-rate', 'ramping-vus', 'constant-vus']));
    assert.equal(w?.code, 'closed-model-script');
    assert.match(
      w?.message ?? '',
      /phase checkout: .*\(ramping-vus, constant-vus\): .*coordinated omission.*capacity is not derived/,
    );
    assert.deepEqual(closedModelWarnings(phase(['constant-arrival-rate', 'ramping-arrival-rate'])), []);
  });

  it('gives a script only BASE_URL, CORPUS and its env: none of the bundled scenarios’ variables', () => {
    const phase: K6PhaseSpec = {
      name: 's',
      driver: 'k6',
      scenario: 'script',
      script: '/x.ts',
      env: { RATE: '9' },
    };
    const input = {
      baseUrl: 'http://127.0.0.1:1',
      corpusPath: '/c.ndjson',
      slo: { quantile: 0.99, latencyMs: 5, maxErrorRate: 0 },
      seed: 3,
    } as DriverRunInput;
    assert.deepEqual(scenarioEnv(input, phase), {
      BASE_URL: 'http://127.0.0.1:1',
      CORPUS: '/c.ndjson',
      RATE: '9',
    });
  });
});
