import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HotswapError, InfrastructureError, InputError } from '../model/index.js';

/**
 * `mkdir -p` that always ends: Node's `mkdir(dir, { recursive: true })` never returns for a path under
 * /proc (mkdir gives ENOENT though the parent exists, and it retries for ever: observed on Node 20). Each
 * level is created once; ENOENT with an existing parent is an error, not a retry.
 */
export const ensureDir = async (dir: string, depth = 0): Promise<void> => {
  try {
    await mkdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw err;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 256) throw err;
    await ensureDir(parent, depth + 1);
    await mkdir(dir).catch(async (again: NodeJS.ErrnoException) => {
      if (again.code === 'EEXIST' && (await stat(dir)).isDirectory()) return;
      throw again;
    });
  }
};

/**
 * Temporary files being written right now. A process that must exit at once (a second Ctrl-C, or the
 * interrupt deadline of src/cli/index.ts) removes them with `removePendingTemps`, so no hidden .tmp of
 * hundreds of megabytes stays behind.
 */
const pendingTemps = new Set<string>();
const tempFor = (path: string): string => {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pendingTemps.add(tmp);
  return tmp;
};
const settled = (tmp: string): void => void pendingTemps.delete(tmp);

/** Removes every temporary file still being written (synchronous: safe in an `exit` handler). */
export const removePendingTemps = (): void => {
  for (const tmp of pendingTemps) rmSync(tmp, { force: true });
  pendingTemps.clear();
};

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
const writeFileAtomicRaw = async (path: string, text: string | Uint8Array): Promise<void> => {
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = tempFor(path);
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
  } finally {
    settled(tmp);
  }
};

/**
 * Writes several files as one step: every text goes to its own fsynced temporary file first, and only
 * when all of them are on disk is each renamed over its final name. A failure before the renames
 * (a full disk, an unwritable folder) leaves every old file as it was and no temporary file behind.
 */
const writeFilesAtomicRaw = async (
  files: readonly { path: string; text: string | Uint8Array }[],
): Promise<void> => {
  const staged: { tmp: string; path: string }[] = [];
  try {
    for (const { path, text } of files) {
      const dir = dirname(path);
      await ensureDir(dir);
      const tmp = tempFor(path);
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
    staged.forEach((s) => settled(s.tmp));
    throw err;
  }
  for (const s of staged) {
    await rename(s.tmp, s.path);
    settled(s.tmp);
  }
  for (const dir of new Set(staged.map((s) => dirname(s.path)))) await syncDir(dir);
};

/** JSON with two-space indentation and a final newline, written atomically. */
export const writeJsonAtomic = (path: string, value: unknown): Promise<void> =>
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);

/**
 * The same, synchronously: for the last words of a process that must exit now (a forced exit runs in
 * one tick, so an asynchronous write would never finish). Temp file, fsync, rename, as above.
 */
export const writeJsonAtomicSync = (path: string, value: unknown): void => {
  const tmp = tempFor(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
    settled(tmp);
  }
};

/**
 * Last words before a forced exit (the interrupt deadline or a second Ctrl-C of src/cli/index.ts): e.g.
 * the trial marks its manifest interrupted. Each hook is synchronous; `onForcedExit` returns its removal.
 */
const lastWords = new Set<() => void>();
export const onForcedExit = (hook: () => void): (() => void) => {
  lastWords.add(hook);
  return () => void lastWords.delete(hook);
};
/** Runs every registered hook once (a failing hook does not stop the others: the process is exiting). */
export const runForcedExitHooks = (): void => {
  for (const hook of [...lastWords]) {
    lastWords.delete(hook);
    try {
      hook();
    } catch {
      // exiting anyway; the manifest keeps its last atomic write
    }
  }
};

/**
 * Streams `lines` (each without its newline) to `path` atomically: a corpus of a hundred megabytes never
 * sits in memory whole, and a reader never sees half of it. Returns the bytes written.
 */
const writeLinesAtomicRaw = async (
  path: string,
  lines: Iterable<string>,
  signal?: AbortSignal,
): Promise<number> => {
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = tempFor(path);
  const out = createWriteStream(tmp);
  let bytes = 0;
  let n = 0;
  try {
    for (const line of lines) {
      if (++n % 1024 === 0) {
        // A generator that never waits would hold the event loop, and Ctrl-C would never be seen.
        await new Promise((r) => setImmediate(r));
        if (signal?.aborted) throw new InfrastructureError(`${path}: interrupted; nothing written`);
      }
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
    out.on('error', () => {}); // writes still queued fail on destroy; the cause is `err`
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  } finally {
    settled(tmp);
  }
};

const REASONS: Record<string, string> = {
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file is in the way',
  ENOENT: 'no such directory',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'name too long',
};

/** A file-system error while writing → one line naming the file (exit 2); anything else unchanged. */
const cannotWrite =
  (path: string) =>
  (err: unknown): never => {
    if (err instanceof HotswapError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !code.startsWith('E')) throw err;
    throw Object.assign(new InputError(`${path}: cannot write: ${REASONS[code] ?? code} (${code})`), {
      code,
    });
  };

/**
 * Writes `text` to `path` through a temporary file in the same directory, fsynced, and a rename, so a
 * reader (or a crash, or Ctrl-C) never sees half a file. The directory is created when missing. A
 * file-system failure (a directory in the way, /proc, a full disk) is an InputError naming the path.
 */
export const writeFileAtomic = (path: string, text: string | Uint8Array): Promise<void> =>
  writeFileAtomicRaw(path, text).catch(cannotWrite(path));

/** All-or-none writes of several files (see writeFilesAtomicRaw); errors name the first path. */
export const writeFilesAtomic = (
  files: readonly { path: string; text: string | Uint8Array }[],
): Promise<void> => writeFilesAtomicRaw(files).catch(cannotWrite(files[0]?.path ?? '(no file)'));

/**
 * Streams `lines` to `path` atomically (see writeLinesAtomicRaw). With `signal`, an abort stops between
 * lines and removes the temporary file: Ctrl-C on a huge corpus leaves nothing behind.
 */
export const writeLinesAtomic = (
  path: string,
  lines: Iterable<string>,
  signal?: AbortSignal,
): Promise<number> => writeLinesAtomicRaw(path, lines, signal).catch(cannotWrite(path));
