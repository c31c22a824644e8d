/**
 * Capacity what-ifs: USL fit, M/M/c (Erlang C) sizing, instances and monthly cost. Pure functions; the
 * analysis pipeline (knee, CPU-based estimate) and the `hotswap plan` commands call them.
 */
export { fitUsl, uslPeak, uslThroughput, USL_MIN_POINTS, type UslFit, type UslPoint } from './usl.js';
export {
  erlangB,
  erlangC,
  waitTail,
  responseTail,
  minServers,
  type MinServersInput,
  type QueueCriterion,
} from './erlang.js';
export { instancesNeeded, HOURS_PER_MONTH, type InstancesInput, type InstancesResult } from './instances.js';
export { payback, DEFAULT_HORIZON_MONTHS, type Payback, type PaybackInput } from './payback.js';
