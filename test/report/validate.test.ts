import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateReportModel } from '../../src/report/validate.js';
import { fixtureModel } from './helpers.js';

describe('validateReportModel: correctness', () => {
  it('accepts a report without correctness, and one with a well-shaped correctness', () => {
    assert.doesNotThrow(() => validateReportModel(fixtureModel(), 'r.json'));
    const correctness = {
      comparedRequests: 10,
      mismatches: 0,
      noisyLines: 0,
      byEndpoint: { '/x': { compared: 10, mismatches: 0 } },
      examples: [],
      comparedLines: 5,
      ignoredLines: 0,
      noisyRequests: 0,
      unpairedRequests: 0,
    };
    const m = { ...fixtureModel(), correctness };
    assert.doesNotThrow(() => validateReportModel(m, 'r.json'));
  });
  it('names the field of a malformed correctness', () => {
    const m = { ...fixtureModel(), correctness: { byEndpoint: [], examples: 'x' } };
    assert.throws(
      () => validateReportModel(m, 'r.json'),
      /^InputError: r\.json: correctness\.comparedRequests: missing; expected a number/,
    );
  });
});
