import { StopReading, forEachLine } from './lines.js';
import { isNumberLine } from './numbers.js';

export const INGEST_FORMATS = ['k6-csv', 'k6-json', 'autocannon', 'numbers', 'unknown'] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/** Decides the format from the first meaningful line (text, not the name: `.gz` or not, any suffix). */
export const classifyFirstLine = (line: string): IngestFormat => {
  const text = line.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('metric_name,')) return 'k6-csv';
  if (text.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return 'unknown';
    }
    if (typeof obj !== 'object' || obj === null) return 'unknown';
    const o = obj as Record<string, unknown>;
    if ((o.type === 'Metric' || o.type === 'Point') && typeof o.metric === 'string') return 'k6-json';
    if (typeof o.latencyMs === 'number') return 'autocannon';
    return 'unknown';
  }
  if (isNumberLine(text)) return 'numbers';
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
