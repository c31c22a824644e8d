// Capacity search probe: one constant arrival rate (open model) for a fixed time, exactly the steady
// scenario. hotswap's capacity search (src/trial/capacity-search.ts) runs one probe per k6 run, at the
// rate and for the seconds it chose (RATE, DURATION), and judges each probe on its own run, never on
// k6's whole-run thresholds. Poisson arrivals by default (ARRIVALS=poisson, set from the plan).
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e CORPUS=/abs/corpus.ndjson -e RATE=100 -e DURATION=4 -e ARRIVALS=poisson scenarios/capacity-search.ts
export { options, default } from './steady.ts';
