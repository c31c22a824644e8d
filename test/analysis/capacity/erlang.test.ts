import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { erlangC, minServers, responseTail, waitTail } from '../../../src/analysis/capacity/erlang.js';
import { InputError } from '../../../src/model/index.js';
import { assertClose, oracle } from '../stats/oracle.js';

interface Fixture {
  erlangC: { servers: number; offeredLoad: number; erlangC: number }[];
  tails: {
    servers: number;
    arrivalRate: number;
    serviceRate: number;
    t: number;
    wait: number;
    response: number;
  }[];
  minServers: {
    arrivalRate: number;
    serviceRate: number;
    sloSeconds: number;
    maxProbability: number;
    criterion: 'wait' | 'response';
    minServers: number;
    probability: number;
  }[];
}
const { cases } = oracle<Fixture>('erlang.json');

describe('Erlang C and M/M/c tails against the textbook sum and numerical convolution (scipy)', () => {
  it('erlangC equals the log-space textbook formula to 1e-12 relative, 1 to 1000 servers', () => {
    for (const c of cases.erlangC)
      assertClose(
        erlangC(c.servers, c.offeredLoad),
        c.erlangC,
        1e-12,
        0,
        `C(${c.servers}, ${c.offeredLoad})`,
      );
  });

  it('P(wait > t) and P(response > t) agree with the closed form and scipy.integrate.quad to 1e-10', () => {
    for (const c of cases.tails) {
      assertClose(waitTail(c.servers, c.arrivalRate, c.serviceRate, c.t), c.wait, 1e-12, 0, 'wait');
      assertClose(
        responseTail(c.servers, c.arrivalRate, c.serviceRate, c.t),
        c.response,
        1e-10,
        0,
        'response',
      );
    }
  });

  it('minServers finds the same smallest c as a linear scan on the oracle, for both criteria', () => {
    for (const c of cases.minServers) {
      const r = minServers(c);
      assert.equal(r.minServers, c.minServers, JSON.stringify(c));
      assertClose(r.probability, c.probability, 1e-10, 0, 'probability');
    }
  });

  it('the response tail is continuous where cμ − λ = μ (the hypoexponential limit (1 + μt)e^{−μt})', () => {
    // c = 3, λ = 2, μ = 1: θ = 1 = μ exactly.
    const at = responseTail(3, 2, 1, 1.5);
    const near = responseTail(3, 2 + 1e-9, 1, 1.5);
    assertClose(at, near, 1e-8, 0, 'continuity');
  });

  it('refuses an SLO the service time alone breaks too often, naming why', () => {
    assert.throws(
      () =>
        minServers({
          arrivalRate: 100,
          serviceRate: 10,
          sloSeconds: 0.02,
          maxProbability: 0.05,
          criterion: 'response',
        }),
      (e: unknown) => e instanceof InputError && /service time alone/.test(e.message),
    );
  });
});
