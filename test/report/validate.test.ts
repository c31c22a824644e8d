import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateReportModel } from '../../src/report/validate.js';
import { fixtureModel } from './helpers.js';

describe('validateReportModel: correctness', () => {
  it('accepts a report without correctness, and one with a well-shaped correctness', () => {
    assert.doesNotThrow(() => validateReportModel(fixtureModel(), 'r.json'));
    const m = { ...fixtureModel(), correctness: { byEndpoint: {}, examples: [] } };
    assert.doesNotThrow(() => validateReportModel(m, 'r.json'));
  });
  it('names the field of a malformed correctness', () => {
    const m = { ...fixtureModel(), correctness: { byEndpoint: [], examples: 'x' } };
    assert.throws(
      () => validateReportModel(m, 'r.json'),
      /^InputError: r\.json: not a hotswap report\.json: "correctness" needs/,
    );
  });
});
