/**
 * Number formatting and escaping shared by every exporter, so the HTML, Markdown and text reports
 * print a figure the same way. Pure: no locale lookups (Intl is given a fixed locale), no clock.
 */
import type { MetricName, ReportModel, Role, SequentialVerdict } from '../model/index.js';

/** U+2212, the minus sign typographers use; a hyphen reads as a dash in tables. */
export const MINUS = '\u2212';

const signed = (x: number, text: string): string => (x < 0 ? `${MINUS}${text}` : x > 0 ? `+${text}` : text);

/**
 * Up to `digits` significant digits without exponent notation: 0.612, 6.12, 61.2, 612, 6120. Large
 * values keep their integer digits (a latency of 1234 ms is not "1.23e+3").
 */
export const sig = (x: number, digits = 3): string => {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'n/a' : x > 0 ? '∞' : `${MINUS}∞`;
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return (x < 0 ? MINUS : '') + Math.round(abs).toLocaleString('en-US');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return (x < 0 ? MINUS : '') + abs.toFixed(Math.min(decimals, 6));
};

export const fmtMs = (ms: number | null | undefined): string => (ms == null ? '—' : `${sig(ms)} ms`);

/** A ratio as a relative change: 0.72 → "−28%", 1.051 → "+5.1%". One decimal below 10 %. */
export const fmtChange = (ratio: number): string => {
  const pct = (ratio - 1) * 100;
  const abs = Math.abs(pct);
  const text = abs >= 9.95 ? abs.toFixed(0) : abs.toFixed(1);
  return Number(text) === 0 ? '0%' : signed(pct, `${text}%`);
};

/** A ratio CI as changes; a null (unbounded) side prints as "unbounded". */
export const fmtChangeCI = (ci: readonly [number | null, number | null]): string =>
  ci[0] === null && ci[1] === null
    ? 'unbounded'
    : `[${ci[0] === null ? 'unbounded' : fmtChange(ci[0])}, ${ci[1] === null ? 'unbounded' : fmtChange(ci[1])}]`;

export const fmtP = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

export const fmtBytes = (bytes: number | null | undefined): string => {
  if (bytes == null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${sig(v)} ${units[u]}`;
};

export const fmtShare = (share: number | null | undefined): string => {
  if (share == null) return '—';
  const pct = share * 100;
  return `${pct >= 10 ? pct.toFixed(0) : pct >= 1 ? pct.toFixed(1) : sig(pct, 2)}%`;
};

export const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');

export const fmtMoney = (x: number, currency: string): string =>
  `${x < 0 ? MINUS : ''}${Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 0 })} ${currency}`;

export const fmtSeconds = (s: number): string => `${sig(s)} s`;

/** A value in a comparison's unit, readable: CPU seconds become ms, bytes become KiB, shares percent. */
export const fmtValue = (value: number, unit: string): string => {
  switch (unit) {
    case 'ms':
      return fmtMs(value);
    case 's':
      return value < 0.1 ? `${sig(value * 1000)} ms` : fmtSeconds(value);
    case 'B':
      return fmtBytes(value);
    case 'share':
      return fmtShare(value);
    case 'rps':
      return `${sig(value)} rps`;
    default:
      return `${sig(value)} ${unit}`.trim();
  }
};

/** "p99", "p99.9", "p50". */
export const pLabel = (q: number): string => `p${Number((q * 100).toFixed(3))}`;

const METRIC_LABELS: Record<MetricName, string> = {
  latencyMs: 'latency',
  errorRate: 'error rate',
  throughputRps: 'throughput',
  cpuSecondsPerRequest: 'CPU per request',
  allocBytesPerRequest: 'allocations per request',
  rssBytesSteady: 'RSS at steady load',
  rssBytesPeak: 'RSS at peak',
  gcPauseP99Ms: 'GC pause p99',
};

export const metricLabel = (metric: MetricName, quantile?: number): string =>
  metric === 'latencyMs' && quantile !== undefined ? `${pLabel(quantile)} latency` : METRIC_LABELS[metric];

/** "*" is every request of the run. */
export const endpointLabel = (endpoint: string): string => (endpoint === '*' ? 'all endpoints' : endpoint);

/** "pure Go (baseline)": the display name with its role, the same string in every chart legend. */
export const configLabel = (model: ReportModel, role: Role): string => {
  const config = Object.hasOwn(model.plan.configurations, role) ? model.plan.configurations[role] : undefined;
  return config ? `${config.name} (${role})` : String(role);
};

/** ISO time as "2026-11-21 22:10 UTC" (the model's strings are ISO-8601, written in UTC). */
export const fmtDate = (iso: string | undefined): string => {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

// ---- escaping ----

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value for HTML: every model string goes through this. */
export const escapeHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * JSON that is safe inside `<script type="application/json">`: `<` (so no `</script>` or `<!--`),
 * `>`, `&` and the JavaScript line separators become \u escapes; JSON.parse gives back the same value.
 */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * Text for a Markdown table cell or paragraph: HTML-significant characters become entities (GitHub
 * renders inline HTML), Markdown punctuation is backslash-escaped, newlines become spaces.
 */
export const escapeMd = (s: unknown): string =>
  escapeTerminal(String(s).replace(/[\r\n]+/g, ' '))
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!)
    .replace(/[\\`*_[\]|#~!]/g, (c) => `\\${c}`);

/**
 * Text for a terminal: control characters (escape sequences could rewrite the screen) are shown as
 * \xNN instead of being sent to the terminal.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
export const escapeTerminal = (s: unknown): string =>
  String(s).replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/**
 * Where a look schedule stood: "stopped at look 1 of 4 (5 runs per arm): every pass line and stop rule
 * settled", or "at look 1 of 4 … the trial continues" for an analysis made between looks.
 */
export const sequentialText = (s: SequentialVerdict): string => {
  const where = `look ${s.look} of ${s.looks} (${s.runsPerArm} runs per arm)`;
  const why: Record<SequentialVerdict['reason'], string> = {
    'settled-pass': 'every pass line and stop rule settled',
    'settled-fail': 'a pass line failed or a stop rule fired',
    curtailed: 'no remaining look could change the outcome',
    max: 'the last look',
    open: 'not settled yet',
  };
  return s.action === 'stop'
    ? `stopped at ${where}: ${why[s.reason]}`
    : `at ${where}: ${why[s.reason]}; the trial continues`;
};

/** The levels a look used, for the reader who checks the arithmetic. */
export const sequentialLevelsText = (s: SequentialVerdict): string =>
  `Sequential design (${s.spending}-type spending of α ${s.alpha}): each pass line judged one-sided at p ≤ ${sig(s.boundary)} at this look, no Holm among pass lines (keep needs all of them); the ${s.dropTests} test(s) that can cause a drop at p ≤ ${sig(s.dropBoundary)} each (α/${s.dropTests}); boundaries ${s.method === 'exact' ? 'exact by enumeration' : `by seeded Monte Carlo (SE ${sig(s.standardError ?? 0, 2)})`}.`;

/** "3 repetitions", or "5–20 repetitions (a look every 5)" for a look schedule. */
export const repetitionsText = (r: ReportModel['plan']['repetitions']): string =>
  typeof r === 'number'
    ? `${r} repetitions`
    : `${r.min}–${r.max} repetitions (sequential: a look at ${r.min}, then every ${r.every})`;
