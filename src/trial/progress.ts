import type { Block } from './schedule.js';
import { traitsOf, type PhaseSpec } from '../model/index.js';

/** Planned seconds of one phase (load only), as its scenario traits count them. */
export const phaseSeconds = (phase: PhaseSpec): number => traitsOf(phase).loadSeconds(phase);

/** Fixed costs per block and per run measured on the reference machine: start-up, k6 boot, scrapes. */
const BLOCK_OVERHEAD_S = 1.5;
const RUN_OVERHEAD_S = 1.5;

/** Estimated seconds of the blocks from `from` on: planned load + warm-up + overheads. */
export const estimateSeconds = (blocks: Block[], from: number, warmupSeconds: number): number =>
  blocks
    .slice(from)
    .reduce(
      (s, b) =>
        s +
        BLOCK_OVERHEAD_S +
        warmupSeconds +
        RUN_OVERHEAD_S +
        b.runs.reduce((t, r) => t + phaseSeconds(r.phase) + RUN_OVERHEAD_S, 0),
      0,
    );

export const formatDuration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};
