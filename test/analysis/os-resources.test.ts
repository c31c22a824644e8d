import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withOsFigures, type OsRunFigures } from '../../src/analysis/os-resources.js';
import type { ResourceUse } from '../../src/model/index.js';

const use = (over: Partial<ResourceUse> = {}): ResourceUse => ({
  runId: 'r1',
  role: 'baseline',
  phase: 'steady',
  requests: 1000,
  warnings: [],
  ...over,
});
const os = (over: Partial<OsRunFigures> = {}): OsRunFigures => ({
  sources: { cpu: 'cgroup', memory: 'proc' },
  cpuMethod: 'cgroup-cpuacct',
  resolutionSeconds: 1e-9,
  cpuSeconds: 0.5,
  rssBytesSteady: 20e6,
  rssBytesPeak: 24e6,
  ...over,
});

describe('OS figures joined with the service counters', () => {
  it('fill CPU per request and memory for a service without /metrics, naming their sources', () => {
    const r = withOsFigures(use(), os());
    assert.equal(r.cpuSecondsPerRequest, 0.0005);
    assert.equal(r.rssBytesSteady, 20e6);
    assert.equal(r.rssBytesPeak, 24e6);
    assert.deepEqual(r.sources, { cpu: 'cgroup', memory: 'proc' });
    assert.equal(r.cpuSecondsPerRequestBySource, undefined);
  });

  it('take the ns OS CPU over the 10 ms Prometheus counter, keep both, and keep the Prometheus memory', () => {
    const r = withOsFigures(use({ cpuSecondsPerRequest: 0.00051, rssBytesSteady: 30e6 }), os());
    assert.equal(r.cpuSecondsPerRequest, 0.0005, 'the cgroup ns counter is the compared figure');
    assert.equal(r.rssBytesSteady, 30e6);
    assert.equal(r.rssBytesPeak, undefined, 'memory stays from one source');
    assert.deepEqual(r.sources, { cpu: 'cgroup', memory: 'prometheus' });
    assert.deepEqual(r.cpuSecondsPerRequestBySource, { prometheus: 0.00051, cgroup: 0.0005 });
    assert.deepEqual(r.warnings, []);
  });

  it('keep the Prometheus CPU when the OS counter ticks at 10 ms too (/proc/<pid>/stat)', () => {
    const r = withOsFigures(
      use({ cpuSecondsPerRequest: 0.00051 }),
      os({ sources: { cpu: 'proc', memory: 'proc' }, cpuMethod: 'proc-stat', resolutionSeconds: 0.01 }),
    );
    assert.equal(r.cpuSecondsPerRequest, 0.00051);
    assert.equal(r.sources.cpu, 'prometheus');
    assert.deepEqual(r.cpuSecondsPerRequestBySource, { prometheus: 0.00051, proc: 0.0005 });
  });

  it('warn when the two CPU figures differ by more than 10 %, with both values', () => {
    const r = withOsFigures(
      use({ cpuSecondsPerRequest: 0.0004 }),
      os({ sources: { cpu: 'proc', memory: 'proc' }, cpuMethod: 'proc-stat' }),
    );
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0]?.code, 'cpu-sources-disagree');
    assert.match(r.warnings[0]?.message ?? '', /400\.0 µs .* 500\.0 µs .*proc, proc-stat.*25\.0 %/);
    const within = withOsFigures(use({ cpuSecondsPerRequest: 0.00046 }), os());
    assert.deepEqual(within.warnings, [], '8.7 % apart is within 10 %');
  });

  it('without OS figures (kind url) the figures and warnings are unchanged; no requests → no CPU per request', () => {
    const base = use({ cpuSecondsPerRequest: 0.001 });
    assert.deepEqual(withOsFigures(base, undefined), { ...base, sources: { cpu: 'prometheus' } });
    assert.equal(withOsFigures(use({ requests: 0 }), os()).cpuSecondsPerRequest, undefined);
  });
});
