/** Trial orchestration: schedule, services, drivers, scrapes, manifest. */
export { runTrial, checkTargets, type TrialOptions, type TrialResult } from './trial.js';
export { schedule, runId, type Block } from './schedule.js';
export { startService, referenceBinary, waitForHealth } from './service.js';
export { estimateSeconds, formatDuration, phaseSeconds } from './progress.js';
