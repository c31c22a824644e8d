import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Flushes a file's data to disk. Without it a rename can reach the disk before the data does, and a power
 * loss leaves an empty or partial file under the final name (the ext4 "zero-length file" problem; see
 * rename(2) and the LWN article "ext4 and data loss", 2009).
 */
const syncFile = async (path: string): Promise<void> => {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
};

/** Best effort: fsync the directory so the rename itself is durable (not supported everywhere). */
const syncDir = async (dir: string): Promise<void> => {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // some file systems refuse fsync on a directory; the rename is still atomic
  }
};

/**
 * Writes `text` to `path` through a temporary file in the same directory, fsynced, and a rename, so a
 * reader (or a crash, or Ctrl-C) never sees half a file. The directory is created when missing.
 */
export const writeFileAtomic = async (path: string, text: string | Uint8Array): Promise<void> => {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await syncDir(dir);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
};

/**
 * Writes several files as one step: every text goes to its own fsynced temporary file first, and only
 * when all of them are on disk is each renamed over its final name. A failure before the renames
 * (a full disk, an unwritable folder) leaves every old file as it was and no temporary file behind.
 */
export const writeFilesAtomic = async (
  files: readonly { path: string; text: string | Uint8Array }[],
): Promise<void> => {
  const staged: { tmp: string; path: string }[] = [];
  try {
    for (const { path, text } of files) {
      const dir = dirname(path);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      staged.push({ tmp, path });
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw err;
  }
  for (const s of staged) await rename(s.tmp, s.path);
  for (const dir of new Set(staged.map((s) => dirname(s.path)))) await syncDir(dir);
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
    await syncFile(tmp);
    await rename(tmp, path);
    await syncDir(dir);
    return bytes;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
};
