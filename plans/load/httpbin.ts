// A user's own k6 script, as a team would write it for its service (here go-httpbin): an open-model
// constant arrival rate over a handful of endpoints, the target from BASE_URL. hotswap runs it unchanged
// as a `scenario: script` phase; it runs on its own just as well:
//   k6 run -e BASE_URL=http://127.0.0.1:18080 plans/load/httpbin.ts
// RATE (requests per second), DURATION (seconds) and BYTES (size of /bytes answers) have defaults; a plan's phase sets them through `env`.
// Requests named with the `name` tag are reported under that name; the others under their URL path
// with ids collapsed (/bytes/1024 → bytes).
import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:18080';
const RATE = Number(__ENV.RATE ?? 50);
const DURATION = Number(__ENV.DURATION ?? 10);
/** Size of the /bytes responses (go-httpbin allocates a buffer of this size per request). */
const BYTES = Number(__ENV.BYTES ?? 1024);

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    mixed: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: `${DURATION}s`,
      preAllocatedVUs: 10,
      maxVUs: 50,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(99)<250'],
  },
};

const item = JSON.stringify({ id: 1, name: 'item-1', tags: ['a', 'b'], price: 9.99 });

export default function (): void {
  const pick = Math.floor(Math.random() * 5);
  let res;
  if (pick === 0) res = http.get(`${BASE_URL}/get?page=1`, { tags: { name: 'get' } });
  else if (pick === 1)
    res = http.get(`${BASE_URL}/base64/aGVsbG8gaG90c3dhcA==`, { tags: { name: 'base64' } });
  else if (pick === 2) res = http.get(`${BASE_URL}/bytes/${BYTES}?seed=1`);
  else if (pick === 3)
    res = http.post(`${BASE_URL}/anything`, item, {
      headers: { 'content-type': 'application/json' },
      tags: { name: 'anything' },
    });
  else res = http.get(`${BASE_URL}/json`, { tags: { name: 'json' } });
  check(res, { 'status is 2xx': (r) => r.status >= 200 && r.status < 300 });
}
