import { InputError, atLine, excerpt } from '../model/index.js';
import { forEachLine } from './lines.js';

/** A decimal or scientific number, as benchstat and hyperfine users write them (no units). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface NumberFileOptions {
  /**
   * Values may be negative (e.g. differences, a candidate minus a baseline). Off by default: a file of
   * numbers usually holds durations or counts, where a negative value is a broken file, not data.
   */
  signed?: boolean;
}

/**
 * A file of numbers, one per line (plain or gzip): blank lines and lines starting with `#` are skipped,
 * anything else must be a finite decimal number, and not negative unless `signed`. Returns the values in
 * file order; a bad line is one InputError naming file:line and an excerpt of the line.
 */
export const readNumberFile = async (
  path: string,
  options: NumberFileOptions = {},
): Promise<Float64Array> => {
  let values = new Float64Array(1024);
  let n = 0;
  await forEachLine(path, (buf, start, end, lineNo) => {
    const text = buf.toString('utf8', start, end).trim();
    if (text === '' || text.startsWith('#')) return;
    if (!NUMBER.test(text)) {
      throw new InputError(atLine(path, lineNo, `not a number: ${excerpt(text)}`));
    }
    const value = Number(text);
    if (!Number.isFinite(value))
      throw new InputError(atLine(path, lineNo, `number out of range: ${excerpt(text)} (not finite)`));
    if (value < 0 && !options.signed)
      throw new InputError(
        atLine(
          path,
          lineNo,
          `negative value ${excerpt(text)}: a file of numbers holds durations or counts; pass --signed if values may be negative (e.g. differences)`,
        ),
      );
    if (n === values.length) {
      const next = new Float64Array(values.length * 2);
      next.set(values);
      values = next;
    }
    values[n++] = value;
  });
  if (n === 0) throw new InputError(`${path}: no numbers in the file (empty)`);
  return values.slice(0, n);
};

/** True when a line could start a file of numbers (used by detectFormat). */
export const isNumberLine = (text: string): boolean => NUMBER.test(text.trim());
