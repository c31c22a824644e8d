// Steady: a constant arrival rate (open model) for a fixed time. k6 starts RATE iterations per second
// whatever the service's latency, so a slow server cannot slow the offered load (no coordinated
// omission); when it runs out of VUs it counts `dropped_iterations` instead of waiting.
// The workhorse of an A/B trial: each run gives one value per percentile for the run-level comparison.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e CORPUS=/abs/corpus.ndjson -e RATE=100 -e DURATION=30 scenarios/steady.ts
import type { Options } from 'k6/options';
import { duration, gracefulStop, rate, thresholds, vus } from './lib/config.ts';
import { paced, timedScenario } from './lib/paced.ts';
import { sendCorpusRequest } from './lib/request.ts';

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    steady: timedScenario('steady', [{ rateRps: rate(), seconds: duration() }], {
      executor: 'constant-arrival-rate',
      rate: rate(),
      timeUnit: '1s',
      gracefulStop: gracefulStop(),
      duration: `${duration()}s`,
      ...vus(rate()),
    }),
  },
  thresholds: thresholds(),
};

export default paced(sendCorpusRequest);
