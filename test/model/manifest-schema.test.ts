import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { checkDocument, manifestSchema, type Manifest, type RunRecord } from '../../src/model/index.js';

/**
 * manifest.json has one definition: `Manifest` is `z.output<typeof manifestSchema>` (and RunRecord of
 * runRecordSchema). The committed real trial's manifest reads; unknown keys pass; wrong types are refused.
 */
const MANIFEST = 'test/fixtures/trials/tiny/manifest.json';
const read = (): Record<string, unknown> & { runs: Record<string, unknown>[] } =>
  JSON.parse(readFileSync(MANIFEST, 'utf8'));

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const derived: Same<Manifest, z.output<typeof manifestSchema>> = true;
// @ts-expect-error `stauts` is not a field of a run record (a typo must not compile)
const typo: Partial<RunRecord> = { stauts: 'ok' };

describe('manifestSchema: the one definition of manifest.json', () => {
  it('reads the committed real tiny trial manifest', () => {
    assert.equal(derived, true);
    assert.ok(typo);
    const m = checkDocument(manifestSchema, read(), MANIFEST);
    assert.ok(m.runs.length > 0);
  });

  it('lets unknown keys pass and keeps them', () => {
    const m = read();
    m.addedLater = 'x';
    m.runs[0]!.addedLater = { y: 1 };
    const out = checkDocument(manifestSchema, m, MANIFEST) as unknown as typeof m;
    assert.equal(out.addedLater, 'x');
    assert.deepEqual(out.runs[0]!.addedLater, { y: 1 });
  });

  it('refuses a known key of the wrong type, naming the file and the field', () => {
    const m = read();
    m.runs[0]!.scenario = 'teleport';
    assert.throws(
      () => checkDocument(manifestSchema, m, 'm.json'),
      /^InputError: m\.json: runs\[0\]\.scenario: expected one of .*got "teleport"$/,
    );
    const n = read();
    (n.environment as Record<string, unknown>).cpus = '2';
    assert.throws(
      () => checkDocument(manifestSchema, n, 'm.json'),
      /^InputError: m\.json: environment\.cpus: expected a number, got "2"$/,
    );
  });
});
