import { InputError } from '../model/index.js';
import { DURATION_RE } from '../plan/canary-schema.js';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "14d" → 1209600 (Prometheus's duration syntax, one unit); InputError naming `what` otherwise. */
export const parseDuration = (text: string, what: string): number => {
  const m = DURATION_RE.exec(text.trim());
  if (!m) throw new InputError(`${what}: expected a duration such as 1h, 5m, 30s or 14d, got "${text}"`);
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  if (!(seconds > 0)) throw new InputError(`${what}: must be longer than zero, got "${text}"`);
  return seconds;
};

/** Seconds → the shortest PromQL duration that says it exactly ("300" → "5m", "90" → "90s"). */
export const promDuration = (seconds: number): string => {
  for (const [unit, size] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const)
    if (seconds >= size && Number.isInteger(seconds / size)) return `${seconds / size}${unit}`;
  return `${Math.round(seconds * 1000)}ms`;
};

/** `--end`: "now", unix seconds, or an ISO-8601 time → unix seconds. */
export const parseEnd = (text: string | undefined, now: Date): number => {
  if (text === undefined || text === 'now') return Math.floor(now.getTime() / 1000);
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new InputError(`--end: expected "now", unix seconds or an ISO-8601 time, got "${text}"`);
  return ms / 1000;
};
