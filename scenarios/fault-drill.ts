// Fault drill: steady traffic while the service is told, through its admin endpoint (POST /admin/hotspot,
// loopback only, bearer token; the service must run with -allow-fault-injection), to make FAULT_RATE
// (0–1, default 0.5) of its Rust calls fail from INJECT_AT seconds and to stop at CLEAR_AT seconds. The
// X-Hotspot-Impl header of the responses shows the breaker at work: go-fallback (a Rust call failed, Go
// answered), go-breaker (the breaker is open, Rust is not tried), rust again once it closes. No request
// may fail: the proof that a Rust error spike costs latency at worst, never an answer.
//   k6 run -e BASE_URL=… -e CORPUS=… -e RATE=40 -e DURATION=25 -e ADMIN_TOKEN=… -e INJECT_AT=5 -e CLEAR_AT=12 scenarios/fault-drill.ts
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { baseUrl, duration, gracefulStop, rate, thresholds, vus } from './lib/config.ts';
import { paced, timedScenario } from './lib/paced.ts';
import { sendCorpusRequest } from './lib/request.ts';

const total = duration();
const injectAt = Number(__ENV.INJECT_AT ?? Math.round(total / 4));
const clearAt = Number(__ENV.CLEAR_AT ?? Math.round(total / 2));
const faults = new Counter('fault_injections');

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    traffic: timedScenario('traffic', [{ rateRps: rate(), seconds: total }], {
      executor: 'constant-arrival-rate',
      rate: rate(),
      timeUnit: '1s',
      gracefulStop: gracefulStop(),
      duration: `${total}s`,
      ...vus(rate()),
    }),
    inject: {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: `${injectAt}s`,
      exec: 'inject',
    },
    clear: { executor: 'per-vu-iterations', vus: 1, iterations: 1, startTime: `${clearAt}s`, exec: 'clear' },
  },
  thresholds: thresholds(),
};

const setFaultRate = (faultRate: number): void => {
  const res = http.post(`${baseUrl()}/admin/hotspot`, JSON.stringify({ faultRate }), {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${__ENV.ADMIN_TOKEN ?? ''}` },
    tags: { endpoint: 'admin', traffic: 'no' },
  });
  if (res.status !== 200)
    throw new Error(`fault-drill: POST /admin/hotspot faultRate ${faultRate} answered ${res.status}`);
  faults.add(1, { faultRate: String(faultRate) });
};

export function inject(): void {
  setFaultRate(Number(__ENV.FAULT_RATE ?? 0.5));
}

export function clear(): void {
  setFaultRate(0);
}

export default paced(sendCorpusRequest);
