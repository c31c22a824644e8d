// Ramp: arrival rate in steps, one plateau per step, up past saturation. Each plateau is flat (the rate
// jumps between steps) so every step gives a clean throughput-vs-p99 point; the capacity knee is the
// highest step whose p99 stays under the SLO with errors in bounds and achieved ≥ offered.
//   k6 run -e BASE_URL=… -e CORPUS=… -e STEPS=100:10,200:10,400:10,800:10 scenarios/ramp.ts
import type { Options } from 'k6/options';
import { gracefulStop, steps, thresholds, vus } from './lib/config.ts';
import { paced, timedScenario } from './lib/paced.ts';
import { sendCorpusRequest } from './lib/request.ts';

const plateaus = steps();
const first = plateaus[0]?.rateRps ?? 1;
const peak = Math.max(...plateaus.map((s) => s.rateRps));

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    ramp: timedScenario(
      'ramp',
      plateaus.map((s) => ({ rateRps: s.rateRps, seconds: s.seconds })),
      {
        executor: 'ramping-arrival-rate',
        startRate: first,
        timeUnit: '1s',
        gracefulStop: gracefulStop(),
        // A 0 s stage jumps to the step's rate; the next holds it for the plateau.
        stages: plateaus.flatMap((s) => [
          { target: s.rateRps, duration: '0s' },
          { target: s.rateRps, duration: `${s.seconds}s` },
        ]),
        ...vus(peak),
      },
    ),
  },
  thresholds: thresholds(),
};

export default paced(sendCorpusRequest);
