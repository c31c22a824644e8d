// Soak: a long, steady arrival rate (default 30 minutes) to surface slow leaks: memory that only grows,
// GC pauses that lengthen, file descriptors or cgo handles that are never freed. hotswap scrapes the
// service's /metrics during the run, so RSS over time shows in the report. Same traffic as steady.
//   k6 run -e BASE_URL=… -e CORPUS=… -e RATE=100 -e DURATION=1800 scenarios/soak.ts
import type { Options } from 'k6/options';
import { gracefulStop, rate, thresholds, vus } from './lib/config.ts';
import { paced, timedScenario } from './lib/paced.ts';
import { sendCorpusRequest } from './lib/request.ts';

const seconds = Number(__ENV.DURATION ?? 1800);

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    soak: timedScenario('soak', [{ rateRps: rate(), seconds }], {
      executor: 'constant-arrival-rate',
      rate: rate(),
      timeUnit: '1s',
      gracefulStop: gracefulStop(),
      duration: `${seconds}s`,
      ...vus(rate()),
    }),
  },
  thresholds: thresholds(),
};

export default paced(sendCorpusRequest);
