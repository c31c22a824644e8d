// Spike: steady at RATE, a sudden burst to SPIKE_MULTIPLIER × RATE (default 3×) and back. The plan's
// DURATION splits 40 % base, 20 % burst, 40 % base: how fast does p99 recover after the burst, and does
// either configuration shed requests during it?
//   k6 run -e BASE_URL=… -e CORPUS=… -e RATE=100 -e DURATION=30 -e SPIKE_MULTIPLIER=3 scenarios/spike.ts
import type { Options } from 'k6/options';
import { duration, gracefulStop, rate, spikeMultiplier, thresholds, vus } from './lib/config.ts';
import { paced, timedScenario } from './lib/paced.ts';
import { sendCorpusRequest } from './lib/request.ts';
// The split is shared with hotswap's own offered-rate figures (the one definition of the spike's shape).
import { spikeStages, type Stage } from '../src/model/shapes.ts';

const base = rate();
const stages = spikeStages(base, duration(), spikeMultiplier());
const [calm, burst] = stages as [Stage, Stage, Stage];

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    spike: timedScenario('spike', stages, {
      executor: 'ramping-arrival-rate',
      startRate: base,
      timeUnit: '1s',
      gracefulStop: gracefulStop(),
      stages: [
        { target: base, duration: `${calm.seconds}s` },
        { target: burst.rateRps, duration: '0s' },
        { target: burst.rateRps, duration: `${burst.seconds}s` },
        { target: base, duration: '0s' },
        { target: base, duration: `${calm.seconds}s` },
      ],
      ...vus(burst.rateRps),
    }),
  },
  thresholds: thresholds(),
};

export default paced(sendCorpusRequest);
