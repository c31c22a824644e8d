import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, atLine } from '../model/index.js';

/**
 * Line-by-line reading of plain or gzip files without holding the file in memory.
 *
 * Why not node:readline: readline decodes every line into a string. A k6 run writes 13 lines per request
 * and the ingest needs one of them (http_req_duration), so the hot path looks at raw bytes and decodes
 * only the lines it keeps. On 1 M requests (bench/ingest.ts) readline merely iterating the lines took
 * about as long as this whole ingest (8.3 s vs 10.8 s CSV, 25.6 s vs 18.3 s JSON, on a loaded machine),
 * before any parsing (`npm run bench:ingest` prints both). Line splitting is `Buffer.indexOf(10)`
 * (memchr); chunks are 1 MiB from disk and 256 KiB out of zlib. gzip is detected by its magic bytes
 * (1f 8b), not by the file name, and multi-member files (what `cat a.gz b.gz` gives) are read whole, as
 * zlib does by default.
 */

/**
 * Called for each line; the line is `buf[start, end)` without the newline (and without a CR before it).
 * `unterminated` is true only for a last line with no newline after it.
 */
export type LineHandler = (
  buf: Buffer,
  start: number,
  end: number,
  lineNo: number,
  unterminated: boolean,
) => void;

export interface LineStats {
  /** Lines seen, including the unterminated last one. */
  lines: number;
  /** True when the file did not end with a newline (an interrupted writer, or a hand-written file). */
  lastLineUnterminated: boolean;
}

/** Thrown by a handler to stop reading early (detectFormat reads only the head). */
export class StopReading extends Error {
  constructor() {
    super('stop reading');
  }
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** True when the file starts with the gzip magic bytes. Throws InputError when it cannot be read. */
export const isGzipFile = async (path: string): Promise<boolean> => {
  await assertReadable(path);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
};

const assertReadable = async (path: string): Promise<void> => {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError(`${path}: not a regular file`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw cannotRead(path, err);
  }
};

/**
 * An unreadable file as an InputError that keeps the errno `code` (ENOENT, EACCES…), so a caller that
 * tolerates a missing optional file (e.g. a scrape the trial could not take) can still tell.
 */
export const cannotRead = (path: string, err: unknown): InputError => {
  const code = (err as NodeJS.ErrnoException).code;
  const error = new InputError(
    `${path}: cannot read (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`,
  );
  return Object.assign(error, { code });
};

/**
 * Reads `path` line by line, calling `onLine` for each. The last line is passed even without a final
 * newline; `lastLineUnterminated` in the result says so, and the caller decides whether that line is a
 * truncated record. A damaged gzip stream becomes an InputError naming the file and the last line read.
 */
export const forEachLine = async (path: string, onLine: LineHandler): Promise<LineStats> => {
  const gz = await isGzipFile(path);
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  let stream: Readable = input;
  if (gz) {
    const gunzip = createGunzip({ chunkSize: 1 << 18 });
    input.on('error', (err) => gunzip.destroy(err));
    stream = input.pipe(gunzip);
  }
  let lineNo = 0;
  let carry: Buffer | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let pos = 0;
      if (carry !== null) {
        const nl = chunk.indexOf(10);
        if (nl === -1) {
          carry = Buffer.concat([carry, chunk]);
          continue;
        }
        const line = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = null;
        emit(onLine, line, 0, line.length, ++lineNo);
        pos = nl + 1;
      }
      let nl = chunk.indexOf(10, pos);
      while (nl !== -1) {
        emit(onLine, chunk, pos, nl, ++lineNo);
        pos = nl + 1;
        nl = chunk.indexOf(10, pos);
      }
      if (pos < chunk.length) carry = chunk.subarray(pos);
    }
    // The last line without a newline: inside the try, so a handler's StopReading ends here too.
    if (carry !== null && carry.length > 0) {
      emit(onLine, carry, 0, carry.length, ++lineNo, true);
      return { lines: lineNo, lastLineUnterminated: true };
    }
  } catch (err) {
    stream.destroy();
    input.destroy();
    if (err instanceof StopReading) return { lines: lineNo, lastLineUnterminated: false };
    throw translateStreamError(err, path, lineNo);
  }
  return { lines: lineNo, lastLineUnterminated: false };
};

/** A UTF-8 byte order mark at the start of line 1 (Excel and Windows editors write one): skipped. */
const BOM = [0xef, 0xbb, 0xbf] as const;
const bomLength = (buf: Buffer, start: number, end: number): number =>
  end - start >= 3 && buf[start] === BOM[0] && buf[start + 1] === BOM[1] && buf[start + 2] === BOM[2] ? 3 : 0;

const emit = (
  onLine: LineHandler,
  buf: Buffer,
  start: number,
  end: number,
  lineNo: number,
  unterminated = false,
): void => {
  const from = lineNo === 1 ? start + bomLength(buf, start, end) : start;
  onLine(buf, from, end > from && buf[end - 1] === 13 ? end - 1 : end, lineNo, unterminated);
};

/** zlib and fs errors → one InputError line; errors thrown by handlers pass through unchanged. */
const translateStreamError = (err: unknown, path: string, lineNo: number): unknown => {
  if (err instanceof InputError || !(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const where = lineNo + 1;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/.test(err.message)) {
    return new InputError(atLine(path, where, 'truncated gzip stream (unexpected end of file)'));
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new InputError(atLine(path, where, `corrupt gzip stream (${err.message})`));
  }
  if (typeof code === 'string' && code.startsWith('E')) {
    return new InputError(`${path}: cannot read (${code})`);
  }
  return err;
};
