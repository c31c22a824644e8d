import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` through a temporary file in the same directory and a rename, so a reader (or a
 * crash, or Ctrl-C) never sees half a file. The directory is created when missing.
 */
export const writeFileAtomic = async (path: string, text: string | Uint8Array): Promise<void> => {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
};

/** JSON with two-space indentation and a final newline, written atomically. */
export const writeJsonAtomic = (path: string, value: unknown): Promise<void> =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);

/**
 * Streams `lines` (each without its newline) to `path` atomically: a corpus of a hundred megabytes never
 * sits in memory whole, and a reader never sees half of it. Returns the bytes written.
 */
export const writeLinesAtomic = async (path: string, lines: Iterable<string>): Promise<number> => {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const out = createWriteStream(tmp);
  let bytes = 0;
  try {
    for (const line of lines) {
      const chunk = `${line}\n`;
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await finished(out);
    await rename(tmp, path);
    return bytes;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
};
