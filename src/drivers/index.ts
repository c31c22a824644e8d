import type { DriverName } from '../model/index.js';
import { autocannonDriver } from './autocannon.js';
import { k6Driver } from './k6.js';
import type { Driver } from './types.js';

/** The registry: one driver per file, each `satisfies Driver`. */
export const DRIVER_REGISTRY: Record<DriverName, Driver> = { k6: k6Driver, autocannon: autocannonDriver };

export type { Driver, DriverResult, DriverRunInput } from './types.js';
export { k6Driver, offeredRps, loadSeconds, segments, scenarioEnv, K6_THRESHOLDS_CROSSED } from './k6.js';
export { autocannonDriver } from './autocannon.js';
export { assessGenerator } from './health.js';
export { spawnChild, liveChildren, procCpuSeconds, sleep, type Child } from './process.js';
export { k6Binary, packageRoot, scenariosDir } from './paths.js';
