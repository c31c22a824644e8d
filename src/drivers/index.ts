import type { DriverName } from '../model/index.js';
import { autocannonDriver } from './autocannon.js';
import { k6Driver } from './k6.js';
import type { Driver } from './types.js';

/**
 * The registry: every load driver, listed once. Adding a driver is its file (one `satisfies Driver`
 * object) plus one line here; the trial, the manifest's environment and the docs read it from here.
 */
export const DRIVER_REGISTRY: Record<DriverName, Driver> = {
  k6: k6Driver,
  autocannon: autocannonDriver,
};

/** The drivers in registry order (k6 first: the manifest's environment lists versions in this order). */
export const DRIVER_LIST: readonly Driver[] = Object.values(DRIVER_REGISTRY);

/** The driver of a phase. */
export const driverOf = (phase: { driver: DriverName }): Driver => DRIVER_REGISTRY[phase.driver];

export type { Driver, DriverResult, DriverRunInput, RawFiles } from './types.js';
export {
  k6Driver,
  offeredRps,
  loadSeconds,
  segments,
  scenarioEnv,
  inspectScript,
  scriptOptionsOf,
  k6Seconds,
  NON_LOOPBACK_CIDRS,
  K6_THRESHOLDS_CROSSED,
  type ScriptOptions,
} from './k6.js';
export { autocannonDriver } from './autocannon.js';
export { assessGenerator } from './health.js';
export { ABORT_GRACE_MS, spawnChild, liveChildren, procCpuSeconds, sleep, type Child } from './process.js';
export { k6Binary, packageRoot, scenariosDir } from './paths.js';
export { INTERRUPTED_REASON } from './result.js';
