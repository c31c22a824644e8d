// Rollback drill: steady traffic while the hotspot flag is flipped through the service's admin endpoint
// (POST /admin/hotspot, loopback only, bearer token) to FLIP_TO (default go) at FLIP_AT seconds and back
// to FLIP_BACK_TO (default rust, FLIP_BACK_SHARE % of calls, default 100) at FLIP_BACK_AT seconds. The
// X-Hotspot-Impl header of the responses (custom metric impl_served) shows the switch taking effect with
// no failed request: the proof that the flag is a working kill switch.
//   k6 run -e BASE_URL=… -e CORPUS=… -e RATE=100 -e DURATION=30 -e ADMIN_TOKEN=… -e FLIP_AT=10 -e FLIP_BACK_AT=20 scenarios/rollback.ts
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { baseUrl, duration, gracefulStop, rate, thresholds, vus } from './lib/config.ts';
import { paced, timedScenario } from './lib/paced.ts';
import { sendCorpusRequest } from './lib/request.ts';

const total = duration();
const flipAt = Number(__ENV.FLIP_AT ?? Math.round(total / 3));
const flipBackAt = Number(__ENV.FLIP_BACK_AT ?? Math.round((2 * total) / 3));
const flips = new Counter('hotspot_flips');

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
    flip: { executor: 'per-vu-iterations', vus: 1, iterations: 1, startTime: `${flipAt}s`, exec: 'flip' },
    flipBack: {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: `${flipBackAt}s`,
      exec: 'flipBack',
    },
  },
  thresholds: thresholds(),
};

const setHotspot = (impl: string, share: number): void => {
  const res = http.post(`${baseUrl()}/admin/hotspot`, JSON.stringify({ impl, rustSharePercent: share }), {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${__ENV.ADMIN_TOKEN ?? ''}` },
    tags: { endpoint: 'admin', traffic: 'no' },
  });
  if (res.status !== 200) throw new Error(`rollback: POST /admin/hotspot ${impl} answered ${res.status}`);
  flips.add(1, { impl });
};

export function flip(): void {
  setHotspot(__ENV.FLIP_TO ?? 'go', 0);
}

export function flipBack(): void {
  setHotspot(__ENV.FLIP_BACK_TO ?? 'rust', Number(__ENV.FLIP_BACK_SHARE ?? 100));
}

export default paced(sendCorpusRequest);
