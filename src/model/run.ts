import type { z } from 'zod';
import type {
  buildInfoSchema,
  environmentSchema,
  gatheredFileSchema,
  generatorHealthSchema,
  manifestSchema,
  phaseOverridesSchema,
  probeNoteSchema,
  rawPathsSchema,
  runRecordSchema,
} from './manifest-schema.js';

/**
 * The types of manifest.json, derived from its schema (manifest-schema.ts, where each field's comment
 * is): the schema is the one definition, so the reader's check and the code cannot drift apart.
 */

/** One load run: one configuration, one phase, one repetition (see runRecordSchema). */
export type RunRecord = z.output<typeof runRecordSchema>;
/** How a capacity search judged one of its probes (on the probe's own run). */
export type ProbeNote = z.output<typeof probeNoteSchema>;
/** Per-run changes to a plan phase that a schedule strategy may ask for (src/trial/schedule.ts). */
export type PhaseOverrides = z.output<typeof phaseOverridesSchema>;
/** Was the load generator, not the service, the limit? */
export type GeneratorHealth = z.output<typeof generatorHealthSchema>;
/** Paths relative to the trial folder. */
export type RawPaths = z.output<typeof rawPathsSchema>;
/** One raw file a gatherer wrote around a run (src/trial/gatherer.ts). */
export type GatheredFile = z.output<typeof gatheredFileSchema>;
/** The trial folder's `manifest.json`: where everything is and in what order it ran. */
export type Manifest = z.output<typeof manifestSchema>;
/** Facts about where a trial ran, for the report's caveats. */
export type Environment = z.output<typeof environmentSchema>;
/** Build cost of one configuration (build/build-info.json). */
export type BuildInfo = z.output<typeof buildInfoSchema>;
