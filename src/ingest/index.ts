import { stat } from 'node:fs/promises';
import { InputError } from '../model/index.js';
import type { SampleSet } from '../model/index.js';
import { SampleBuilder } from './builder.js';
import { detectFormat } from './detect.js';
import { READERS } from './readers.js';

/**
 * Ingest: driver output and metric scrapes → typed arrays and samples, streaming (never the whole file
 * in memory). The only stage besides drivers/store/trial that touches the file system; analysis gets
 * what these functions return. Every bad input is an InputError `file:line: message` (exit 2).
 */

export { detectFormat, INGEST_FORMATS, type IngestFormat } from './detect.js';
export { readNumberFile } from './numbers.js';
export {
  readPrometheusText,
  parsePrometheusFile,
  sumMetric,
  histogramQuantile,
  type PromSample,
} from './prometheus.js';
export type { AutocannonRecord } from './autocannon.js';
export { NO_IMPL } from './builder.js';
export { READERS, type IngestReader, type ReaderFormat } from './readers.js';
export { decodeCpuProfile, readCpuProfile, readGatheredProfile, type GatheredProfile } from './pprof.js';

export interface ReadSampleOptions {
  /** Seconds from the earliest request of the run (over all files) to leave out. Default 0. */
  warmupSeconds?: number;
  /** Stored in SampleSet.runId; default: the first file's name. */
  runId?: string;
}

/**
 * Reads the driver output of ONE run, possibly split over several files (k6 execution segments,
 * several pods, or CSV next to JSON), into one SampleSet ordered by time, with the warm-up cut from the
 * earliest request. Formats are detected per file by content: k6 CSV or JSON (plain or gzip), or
 * autocannon NDJSON (autocannon.ts). A truncated last line is a warning in the SampleSet; anything
 * else malformed, an unknown format or a run with no requests is an InputError.
 */
export const readSampleFiles = async (paths: string[], opts: ReadSampleOptions = {}): Promise<SampleSet> => {
  if (paths.length === 0) throw new InputError('no driver output files given');
  const warmupSeconds = opts.warmupSeconds ?? 0;
  if (!Number.isFinite(warmupSeconds) || warmupSeconds < 0) {
    throw new InputError(`warm-up must be a number of seconds ≥ 0, got ${warmupSeconds}`);
  }
  const builder = new SampleBuilder();
  for (const path of paths) {
    const format = await detectFormat(path);
    if (format === 'numbers') {
      throw new InputError(
        `${path}:1: a file of numbers, not driver output (k6 CSV/JSON or autocannon NDJSON)`,
      );
    }
    if (format === 'unknown') {
      if ((await stat(path)).size === 0) throw new InputError(`${path}: empty file (no driver output)`);
      throw new InputError(
        `${path}:1: unknown format (expected k6 CSV with a metric_name header, k6 JSON, or autocannon NDJSON)`,
      );
    }
    await READERS.find((r) => r.format === format)!.read(path, builder);
  }
  return builder.finish(opts.runId ?? paths[0]!, warmupSeconds, paths.join(', '));
};
