/**
 * A light structural check of a parsed report.json before rendering: a wrong file or a report from a
 * newer hotswap becomes one clear InputError naming the file and the field, instead of a TypeError
 * deep inside an exporter. It checks shape, not figures (those are analysis's business).
 */
import {
  InputError,
  REPORT_SCHEMA_VERSION,
  checkDocument,
  isDecision,
  reportSchema,
  type ReportModel,
} from '../model/index.js';

const ARRAYS = [
  'runs',
  'summaries',
  'comparisons',
  'resources',
  'ladders',
  'spectra',
  'timeseries',
  'errors',
  'checks',
  'warnings',
] as const;
const OBJECTS = ['generator', 'trial', 'plan', 'verdict', 'capacity', 'environment', 'builds'] as const;

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export const validateReportModel = (value: unknown, file: string): ReportModel => {
  const bad = (what: string) => new InputError(`${file}: not a hotswap report.json: ${what}`);
  if (!isObject(value)) throw bad('expected a JSON object');
  const v = value.schemaVersion;
  if (v === undefined) throw bad('"schemaVersion" is missing');
  if (v !== REPORT_SCHEMA_VERSION)
    throw new InputError(
      `${file}: report schemaVersion ${JSON.stringify(v)} is not ${REPORT_SCHEMA_VERSION}, the version this hotswap renders; re-run \`hotswap analyze\` on the trial folder`,
    );
  for (const key of OBJECTS) if (!isObject(value[key])) throw bad(`"${key}" must be an object`);
  for (const key of ARRAYS) if (!Array.isArray(value[key])) throw bad(`"${key}" must be an array`);
  checkDocument(reportSchema, value, file);
  const verdict = value.verdict as Record<string, unknown>;
  if (!isDecision(verdict.decision)) throw bad('"verdict.decision" must be keep, drop or inconclusive');
  for (const key of ['reasons', 'checks', 'stopRules'])
    if (!Array.isArray(verdict[key])) throw bad(`"verdict.${key}" must be an array`);
  const capacity = value.capacity as Record<string, unknown>;
  for (const role of ['baseline', 'candidate'])
    if (!isObject(capacity[role]) || !Array.isArray((capacity[role] as Record<string, unknown>).steps))
      throw bad(`"capacity.${role}.steps" must be an array`);
  const plan = value.plan as Record<string, unknown>;
  if (!isObject(plan.configurations) || !isObject(plan.slo) || !isObject(plan.capacity))
    throw bad('"plan" needs configurations, slo and capacity');
  // The document as read, not the schema's parsed copy: that would reorder keys (a json re-render must
  // give back the same bytes) and turn the nulls JSON.stringify wrote for NaN into NaN; exporters show both
  // as "—".
  return value as unknown as ReportModel;
};
