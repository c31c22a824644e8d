/** Trial orchestration: schedule strategies, services, drivers, gatherers, run states, manifest. */
export {
  runTrial,
  checkTargets,
  type TrialOptions,
  type TrialResult,
  type TrialContext,
  type RunContext,
} from './trial.js';
export {
  schedule,
  runId,
  blockOf,
  withOverrides,
  fixedStrategy,
  baselineOnlyStrategy,
  strategyFor,
  chainStrategies,
  type Block,
  type ScheduledRun,
  type ScheduleStrategy,
  type ScheduleView,
  type BlockExtension,
} from './schedule.js';
export { capacitySearchStrategy, hasCapacitySearch, isSearchPhase, firstProbe } from './capacity-search.js';
export { drainGatherer, waitIdle, type DrainOptions } from './capacity-search-drain.js';
export {
  gatherAround,
  gathererFailed,
  rawPathsOf,
  type Gatherer,
  type GatherContext,
  type Gathered,
  type GatherResult,
  type LegacyRaw,
} from './gatherer.js';
export { metricsGatherer, scrapeTo } from './scrape.js';
export { GATHERERS, gatherersFor, type GathererEntry } from './gatherers.js';
export { profileGatherer, profileServiceArgs, profiledPhase, fetchProfile, PPROF_ARGS } from './profile.js';
export {
  startRun,
  finishRun,
  failRun,
  failRest,
  pendingRecord,
  admitBlocks,
  noteProbe,
  type RunOutcome,
} from './run-state.js';
export { startService, referenceBinary, waitForHealth, type RunningService } from './service.js';
export { estimateSeconds, formatDuration, phaseSeconds } from './progress.js';
export { sequentialStrategy } from './sequential.js';
