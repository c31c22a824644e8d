/**
 * The trial folder (ARCHITECTURE.md, contract: the trial folder):
 *
 *   reports/<trial-id>/plan.json       the plan as frozen when the trial started
 *   reports/<trial-id>/manifest.json   runs in execution order, rewritten atomically after each change
 *   reports/<trial-id>/raw/<run-id>/   driver output, metric scrapes, logs of one run
 *   reports/<trial-id>/report.json     ReportModel (written by `hotswap analyze`)
 *   reports/<trial-id>/report.html, report.md
 *
 * Every file a reader may open while a trial runs (manifest, report) is written to a temporary file in
 * the same directory and renamed over the target, so a reader sees either the old or the new document,
 * never half of one (rename(2) is atomic within one file system).
 */
export { trialPaths, runPaths, newTrialId, type TrialPaths, type RunPaths } from './paths.js';
export {
  writeFileAtomic,
  writeFilesAtomic,
  writeJsonAtomic,
  writeJsonAtomicSync,
  writeLinesAtomic,
  removePendingTemps,
  onForcedExit,
  runForcedExitHooks,
  ensureDir,
} from './atomic.js';
export { readManifest, readFrozenPlan, validateManifest } from './manifest.js';
export { confinePath, pathFormProblem } from './confine.js';
