import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointOf, requestEndpoint } from '../../src/corpus/index.js';

describe('endpointOf: the one endpoint rule of every driver (k6 name-tag convention)', () => {
  it('collapses ids: numbers, UUIDs and {templates} are not endpoints', () => {
    assert.equal(endpointOf('/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6'), 'orders');
    assert.equal(endpointOf('/v1/orders/4711?x=1'), 'orders');
    assert.equal(endpointOf('/v1/orders/{id}'), 'orders');
    assert.equal(endpointOf('/v1/scan'), 'scan');
  });

  it('a path with no named segment is root', () => {
    assert.equal(endpointOf('/'), 'root');
    assert.equal(endpointOf('/4711'), 'root');
  });

  it("a corpus line's own endpoint wins over its path", () => {
    assert.equal(requestEndpoint({ path: '/v1/orders/7', endpoint: 'lookup' }), 'lookup');
    assert.equal(requestEndpoint({ path: '/v1/orders/7' }), 'orders');
  });
});
