/**
 * Resource cost of any service from the OS: CPU seconds (user + system) of its whole process tree and its
 * memory (steady and peak), from a cgroup hotswap creates for it, else from /proc. Independent of the
 * service's own /metrics, so a service in any language, with no Prometheus endpoint, still gets CPU per
 * request and memory figures.
 */
export {
  createServiceCgroup,
  sweepStaleCgroups,
  planCgroup,
  cgroupReading,
  wrapForCgroup,
  type ServiceCgroup,
  type CgroupReading,
  type CgroupPlan,
} from './cgroup.js';
export { readProcTree, resetPeakRss } from './proc.js';
export {
  createProcAccount,
  steadyBytes,
  type TreeSnapshot,
  type ProcessSnapshot,
  type OsSample,
} from './account.js';
export { startOsRun, writeOsRaw, type OsRun, type OsTarget, type OsRunOptions } from './sampler.js';
export { osGatherer, type OsGatherer } from './gatherer.js';
