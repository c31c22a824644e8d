import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { checkDocument, reportSchema, type ReportModel, type Summary } from '../../src/model/index.js';
import { betOf } from '../../src/analysis/bet.js';
import { canaryModel, FIXTURE_PATH, fixtureModel, withProfiles } from '../report/helpers.js';

/**
 * report.json has one definition: `ReportModel` is `z.output<typeof reportSchema>`. These tests prove the
 * schema reads what the analysis writes (every section the committed real fixtures fill), that unknown keys
 * pass and are kept, and that a known key of the wrong type is one line naming the file and the field.
 */

/** What a write and a read do to a model: JSON.stringify, then JSON.parse. */
const roundTrip = (m: ReportModel): unknown => JSON.parse(JSON.stringify(m));

// Type-level: the derived type has no index signature, so a misspelt field is a compile error, and it is
// the type the analysis builds (assignable both ways).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const derived: Same<ReportModel, z.output<typeof reportSchema>> = true;
// @ts-expect-error `meanMS` is not a field of a summary (a typo must not compile)
const typo: Pick<Summary, 'runId'> & Partial<Summary> = { runId: 'r', meanMS: 1 };

describe('reportSchema: the one definition of report.json', () => {
  it('reads the golden report.json of the committed real tiny trial', () => {
    assert.equal(derived, true);
    assert.ok(typo);
    const text = readFileSync(FIXTURE_PATH, 'utf8');
    assert.doesNotThrow(() => checkDocument(reportSchema, JSON.parse(text), 'report.json'));
  });

  it('reads a canary report and a report with CPU profiles as the real analysis writes them', () => {
    assert.doesNotThrow(() => checkDocument(reportSchema, roundTrip(canaryModel()), 'canary.json'));
    const profiled = withProfiles(fixtureModel());
    assert.ok(profiled.profiles && profiled.profiles.length === 2);
    assert.doesNotThrow(() => checkDocument(reportSchema, roundTrip(profiled), 'profiled.json'));
  });

  it('reads a bet as the real analysis computes it, a never-paying one (null payback) included', () => {
    const m = fixtureModel();
    const bet = { problem: 'p', win: 'w', rollback: 'r', oneOffHours: 160, hourlyRate: 100 };
    const spec = { ...bet, monthlyHours: 4, buildsPerMonth: 600, ciPricePerMinute: 0.01, horizonMonths: 12 };
    const savings = { instances: 1, moneyPerMonth: 1, currency: 'USD', share: 0.1 };
    m.bet = betOf({ bet: spec, savings, builds: {}, currency: 'USD' });
    assert.equal(m.bet.paybackMonths, null);
    assert.doesNotThrow(() => checkDocument(reportSchema, roundTrip(m), 'bet.json'));
  });

  it('lets unknown keys pass and keeps them, at the top and deep inside', () => {
    const m = roundTrip(fixtureModel()) as Record<string, unknown> & {
      summaries: Record<string, unknown>[];
    };
    m.futureSection = { x: 1 };
    m.summaries[0]!.futureFigure = 42;
    const read = checkDocument(reportSchema, m, 'report.json') as unknown as typeof m;
    assert.deepEqual(read.futureSection, { x: 1 });
    assert.equal(read.summaries[0]!.futureFigure, 42);
  });

  it('refuses a known key of the wrong type with file and field path', () => {
    const m = roundTrip(fixtureModel()) as { summaries: { meanMs: unknown }[]; comparisons: unknown[] };
    m.summaries[1]!.meanMs = 'fast';
    assert.throws(
      () => checkDocument(reportSchema, m, 'x/report.json'),
      /^InputError: x\/report\.json: summaries\[1\]\.meanMs: expected a number, got "fast"$/,
    );
    const c = roundTrip(fixtureModel()) as { comparisons: { method: unknown }[] };
    c.comparisons[0]!.method = 'coin-flip';
    assert.throws(
      () => checkDocument(reportSchema, c, 'x/report.json'),
      /^InputError: x\/report\.json: comparisons\[0\]\.method: expected one of /,
    );
  });

  it('reads null where the model had NaN (JSON.stringify writes NaN as null)', () => {
    const m = fixtureModel();
    m.summaries[0]!.meanMs = Number.NaN;
    const read = checkDocument(reportSchema, roundTrip(m), 'report.json');
    assert.ok(Number.isNaN(read.summaries[0]!.meanMs));
  });
});
