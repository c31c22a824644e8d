import { InputError } from '../model/errors.js';
import type { CorpusRequest } from './format.js';

/**
 * Why a corpus path cannot be appended to the run's base URL, or undefined when it can. Drivers build the
 * target as `${baseUrl}${path}`, so a path that does not start with "/" ("@10.0.0.5/x" → userinfo, then
 * another host) or starts with "//" (a scheme-relative URL to clients that resolve it) could send load
 * somewhere other than 127.0.0.1. Only a plain absolute path is accepted.
 */
export const unsafePathReason = (path: unknown): string | undefined => {
  if (typeof path !== 'string') return 'path must be a string starting with "/"';
  if (!path.startsWith('/')) return `path ${JSON.stringify(path)} must start with "/" (no host, no "@")`;
  if (path.startsWith('//')) return `path ${JSON.stringify(path)} must not start with "//" (no host)`;
  return undefined;
};

/** Throws a one-line InputError naming `file` and the line when `path` is not a plain absolute path. */
export const assertSafePath = (path: unknown, file: string, line: number): void => {
  const why = unsafePathReason(path);
  if (why) throw new InputError(`${file}:${line}: ${why}`);
};

/**
 * Checks a whole NDJSON corpus before a trial starts: each non-empty line is a JSON object with a string
 * `method` and a safe `path`, and `atMs` (when present, or on every line with `needAtMs`) is a finite
 * number of ms that never decreases. The first bad line is reported as `file:line: reason` (bad input,
 * exit 2).
 */
export const validateCorpusText = (text: string, file: string, opts: { needAtMs?: boolean } = {}): void => {
  const lines = text.split('\n');
  let lastAt = -Infinity;
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    let req: Partial<CorpusRequest>;
    try {
      req = JSON.parse(raw) as Partial<CorpusRequest>;
    } catch {
      throw new InputError(`${file}:${i + 1}: not a JSON object (expected one request per line)`);
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req))
      throw new InputError(`${file}:${i + 1}: not a JSON object (expected one request per line)`);
    if (typeof req.method !== 'string') throw new InputError(`${file}:${i + 1}: method must be a string`);
    assertSafePath(req.path, file, i + 1);
    if (req.atMs === undefined) {
      if (opts.needAtMs)
        throw new InputError(
          `${file}:${i + 1}: atMs is missing; a phase with arrivals: replay needs it on every line`,
        );
      return;
    }
    if (typeof req.atMs !== 'number' || !Number.isFinite(req.atMs) || req.atMs < 0)
      throw new InputError(`${file}:${i + 1}: atMs must be a non-negative number of milliseconds`);
    if (req.atMs < lastAt)
      throw new InputError(
        `${file}:${i + 1}: atMs ${req.atMs} is before the previous line's ${lastAt}; lines must be in capture order`,
      );
    lastAt = req.atMs;
  });
};
