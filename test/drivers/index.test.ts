import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DRIVER_LIST, DRIVER_REGISTRY } from '../../src/drivers/index.js';
import { READERS } from '../../src/ingest/index.js';
import { DRIVERS, SCENARIOS, SCENARIO_TRAITS, phaseSchema } from '../../src/model/index.js';

describe('the driver registry: each driver registered once, owning its schema, raw files and version', () => {
  it('lists every DriverName under its own name, with a description', () => {
    assert.deepEqual(Object.keys(DRIVER_REGISTRY), [...DRIVERS]);
    for (const [name, d] of Object.entries(DRIVER_REGISTRY)) {
      assert.equal(d.name, name);
      assert.match(d.description, /^\w+, (open|closed) model: /);
    }
  });

  it("every driver's phase schema is an option of the plan's phase schema, and no other is", () => {
    assert.deepEqual(
      phaseSchema.options,
      DRIVER_LIST.map((d) => d.phaseSchema),
    );
  });

  it('every scenario names a registered driver whose schema accepts it', () => {
    for (const s of SCENARIOS) {
      const driver = DRIVER_REGISTRY[SCENARIO_TRAITS[s].driver];
      const probe = { name: 'p', driver: driver.name, scenario: s };
      const issues = driver.phaseSchema.safeParse(probe).error?.issues ?? [];
      assert.ok(!issues.some((i) => i.path[0] === 'scenario'), `${s}: ${JSON.stringify(issues)}`);
    }
  });

  it('every driver output format has an ingest reader, and every reader belongs to a driver', () => {
    assert.deepEqual(DRIVER_LIST.flatMap((d) => d.formats).sort(), READERS.map((r) => r.format).sort());
  });

  it('names raw files as the trial-folder contract says', () => {
    assert.deepEqual(DRIVER_REGISTRY.k6.raw('raw/r1', 1), {
      output: 'raw/r1/k6-1.csv.gz',
      summary: 'raw/r1/k6-summary-1.json',
      log: 'raw/r1/k6-1.log',
    });
    assert.deepEqual(DRIVER_REGISTRY.autocannon.raw('raw/r1', 0), {
      output: 'raw/r1/autocannon.ndjson',
      log: 'raw/r1/autocannon.log',
    });
  });

  it('labels versions for the run record and records them under their environment field', () => {
    assert.equal(DRIVER_REGISTRY.k6.versionLabel('v2.2.0'), 'v2.2.0');
    assert.equal(DRIVER_REGISTRY.autocannon.versionLabel('9.0.0'), 'autocannon 9.0.0');
    assert.deepEqual(
      DRIVER_LIST.map((d) => d.environmentKey),
      ['k6Version', 'autocannonVersion'],
    );
  });
});
