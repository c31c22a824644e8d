import { StopReading, forEachLine } from './lines.js';
import { isNumberLine } from './numbers.js';
import { READERS, type ReaderFormat } from './readers.js';

/** What a file can be: a driver output format (a reader in readers.ts), a file of numbers, or neither. */
export type IngestFormat = ReaderFormat | 'numbers' | 'unknown';
export const INGEST_FORMATS: readonly IngestFormat[] = [
  ...READERS.map((r) => r.format),
  'numbers',
  'unknown',
];

/** Decides the format from the first meaningful line (text, not the name: `.gz` or not, any suffix). */
export const classifyFirstLine = (line: string): IngestFormat => {
  const text = line.replace(/^\uFEFF/, '').trim();
  let json: Record<string, unknown> | undefined;
  if (text.startsWith('{')) {
    try {
      const obj: unknown = JSON.parse(text);
      if (typeof obj === 'object' && obj !== null) json = obj as Record<string, unknown>;
    } catch {
      return 'unknown';
    }
    if (json === undefined) return 'unknown';
  }
  const reader = READERS.find((r) => r.matches(text, json));
  if (reader) return reader.format;
  if (json === undefined && isNumberLine(text)) return 'numbers';
  return 'unknown';
};

/**
 * The format of a results file, from its first non-blank line (after gunzip when it is gzip); for
 * numbers, `#` comment lines are skipped first. An empty file is 'unknown'. Throws InputError when the
 * file cannot be read or its gzip stream is damaged before the first line.
 */
export const detectFormat = async (path: string): Promise<IngestFormat> => {
  let format: IngestFormat = 'unknown';
  await forEachLine(path, (buf, start, end) => {
    const text = buf.toString('utf8', start, Math.min(end, start + (1 << 20))).trim();
    if (text === '' || text.startsWith('#')) return;
    format = classifyFirstLine(text);
    throw new StopReading();
  });
  return format;
};
