import { autocannonReader } from './autocannon.js';
import type { SampleBuilder } from './builder.js';
import { k6CsvReader } from './k6-csv.js';
import { k6JsonReader } from './k6-json.js';

/**
 * One reader per driver output format, listed once: how to recognise the format from a file's first
 * meaningful line, and how to stream the file into a SampleBuilder. A driver names the formats its raw
 * output is read as (Driver.formats); a new format is one reader file plus one line here.
 */
export interface IngestReader {
  format: string;
  /** Whether a file whose first line is `text` (`json` when that line is a JSON object) is this format. */
  matches: (text: string, json: Record<string, unknown> | undefined) => boolean;
  read: (file: string, builder: SampleBuilder) => Promise<void>;
}

export const READERS = [k6CsvReader, k6JsonReader, autocannonReader] as const;

/** A format some reader reads. */
export type ReaderFormat = (typeof READERS)[number]['format'];
