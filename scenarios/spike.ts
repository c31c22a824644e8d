// Spike: steady at RATE, a sudden burst to SPIKE_MULTIPLIER × RATE (default 3×) and back. The plan's
// DURATION splits 40 % base, 20 % burst, 40 % base: how fast does p99 recover after the burst, and does
// either configuration shed requests during it?
//   k6 run -e BASE_URL=… -e CORPUS=… -e RATE=100 -e DURATION=30 -e SPIKE_MULTIPLIER=3 scenarios/spike.ts
import type { Options } from 'k6/options';
import { duration, gracefulStop, rate, spikeMultiplier, thresholds, vus } from './lib/config.ts';
import { paced, timedScenario } from './lib/paced.ts';
import { sendCorpusRequest } from './lib/request.ts';

const base = rate();
const burst = Math.round(base * spikeMultiplier());
const total = duration();
const calm = Math.max(1, Math.round(total * 0.4));
const high = Math.max(1, total - 2 * calm);

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    spike: timedScenario(
      'spike',
      [
        { rateRps: base, seconds: calm },
        { rateRps: burst, seconds: high },
        { rateRps: base, seconds: calm },
      ],
      {
        executor: 'ramping-arrival-rate',
        startRate: base,
        timeUnit: '1s',
        gracefulStop: gracefulStop(),
        stages: [
          { target: base, duration: `${calm}s` },
          { target: burst, duration: '0s' },
          { target: burst, duration: `${high}s` },
          { target: base, duration: '0s' },
          { target: base, duration: `${calm}s` },
        ],
        ...vus(burst),
      },
    ),
  },
  thresholds: thresholds(),
};

export default paced(sendCorpusRequest);
