import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { InputError, excerpt } from '../model/index.js';

/**
 * Paths inside trial-folder documents (manifest.json `raw.*`) are relative to the folder and must stay
 * in it: a manifest from elsewhere must not make `analyze` read `/etc/passwd` or `/proc/self/environ`
 * and quote it in an error. Checked by form (relative, no `..` segment, no NUL, no backslash) and, for
 * paths that exist, by where they resolve (no symlink leading out of the folder).
 */
export const pathFormProblem = (path: string): string | undefined => {
  if (path === '') return 'empty path';
  if (path.includes('\0')) return 'a NUL byte in the path';
  if (path.includes('\\')) return 'a backslash in the path (paths are relative, with /)';
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path))
    return 'an absolute path (expected relative to the trial folder)';
  if (path.split('/').includes('..')) return 'a ".." segment (the path must stay inside the trial folder)';
  return undefined;
};

/** One path of a document: its form, then (when it exists) where it really leads. Throws one line. */
export const confinePath = async (dir: string, path: string, field: string, file: string): Promise<void> => {
  const problem = pathFormProblem(path);
  if (problem) throw new InputError(`${file}: ${field}: ${problem}: ${excerpt(path)}`);
  let root: string;
  let real: string;
  try {
    root = await realpath(dir);
    real = await realpath(join(dir, path));
  } catch {
    return; // missing: the reader that needs it says "no such file"
  }
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
    throw new InputError(`${file}: ${field}: ${excerpt(path)} leads outside the trial folder (a symlink?)`);
};

/** Every path a checked manifest names, with its field path, for `confinePath`. */
export const manifestPaths = (runs: readonly { raw: Record<string, unknown> }[]): [string, string][] => {
  const out: [string, string][] = [];
  runs.forEach((run, i) => {
    const raw = run.raw;
    const at = (key: string) => `runs[${i}].raw.${key}`;
    for (const key of ['outputs', 'logs', 'metricsDuring'] as const) {
      const list = raw[key];
      if (Array.isArray(list)) list.forEach((p, j) => out.push([`${at(key)}[${j}]`, String(p)]));
    }
    for (const key of ['metricsBefore', 'metricsAfter', 'summary'] as const)
      if (typeof raw[key] === 'string') out.push([at(key), raw[key]]);
    const gathered = raw.gathered;
    if (Array.isArray(gathered))
      gathered.forEach((g: { path?: unknown }, j) =>
        out.push([`${at('gathered')}[${j}].path`, String(g.path)]),
      );
  });
  return out;
};
