/**
 * k6 timestamps → milliseconds since the Unix epoch, keeping sub-millisecond digits.
 *
 * The CSV output writes the format chosen by K6_CSV_TIME_FORMAT: `unix` (seconds, the default),
 * `unix_milli`, `unix_micro`, `unix_nano` or `rfc3339_nano`. The integer formats are told apart by their
 * number of digits (10, 13, 16, 19 for dates between 2001 and 2286), so a file needs no side channel.
 * The JSON output always writes RFC 3339 with nanoseconds ("2026-11-21T23:02:54.531591593Z").
 */

const INTEGER = /^\d+$/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses one k6 timestamp; NaN when it is none of the known formats. */
export const parseK6Time = (text: string): number => {
  if (INTEGER.test(text)) {
    const v = Number(text);
    switch (text.length) {
      case 10:
        return v * 1000;
      case 13:
        return v;
      case 16:
        return v / 1000;
      case 19:
        return v / 1e6;
      default:
        return Number.NaN;
    }
  }
  return parseRfc3339(text);
};

let cachedPrefix = '';
let cachedBaseMs = Number.NaN;

/**
 * RFC 3339 with an optional fraction of any length. Date.parse keeps only milliseconds, so the whole
 * seconds go through Date.parse (cached: consecutive samples share their second) and the fraction is
 * added separately.
 */
export const parseRfc3339 = (text: string): number => {
  const m = RFC3339.exec(text);
  if (!m) return Number.NaN;
  const prefix = `${m[1]}${m[3]}`;
  if (prefix !== cachedPrefix) {
    cachedBaseMs = Date.parse(prefix);
    cachedPrefix = prefix;
  }
  const fraction = m[2] ? Number(`0${m[2]}`) * 1000 : 0;
  return cachedBaseMs + fraction;
};
