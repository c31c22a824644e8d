import { readFile } from 'node:fs/promises';
import {
  CANARY_QUERIES,
  InputError,
  type CanaryData,
  type CanaryQueryName,
  type MatrixSeries,
} from '../model/index.js';

/**
 * The canary folder's `raw/queries.json` and `--from-file`'s input: every query as rendered and the
 * matrix Prometheus returned for it (`result` is `data.result` of `/api/v1/query_range`; a whole
 * Prometheus response `{status, data: {resultType: "matrix", result}}` is accepted in its place, so a
 * saved `curl` answer can be pasted in).
 */
export const DATA_FORMAT = 'hotswap-canary-data';

export interface CanaryDataFile extends CanaryData {
  format: typeof DATA_FORMAT;
  version: 1;
}

export const toDataFile = (data: CanaryData): CanaryDataFile => ({
  format: DATA_FORMAT,
  version: 1,
  ...data,
});

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const matrixOf = (file: string, name: string, entry: Record<string, unknown>): MatrixSeries[] => {
  const at = `${file}: queries.${name}`;
  let result = entry.result;
  if (result === undefined && isObj(entry.data)) {
    if (entry.data.resultType !== 'matrix') throw new InputError(`${at}.data.resultType: expected "matrix"`);
    result = entry.data.result;
  }
  if (!Array.isArray(result))
    throw new InputError(`${at}.result: expected a list of series (a Prometheus matrix)`);
  result.forEach((s: unknown, i) => {
    if (!isObj(s) || !isObj(s.metric) || !Array.isArray(s.values))
      throw new InputError(`${at}.result[${i}]: expected {metric: {...}, values: [[t, "v"], ...]}`);
    s.values.forEach((p: unknown, j) => {
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string')
        throw new InputError(`${at}.result[${i}].values[${j}]: expected [unix seconds, "value"]`);
    });
  });
  return result as MatrixSeries[];
};

/** Reads and checks a canary data file; every error names the file and the field. */
export const readDataFile = async (file: string): Promise<CanaryData> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(
      `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (!isObj(v)) throw new InputError(`${file}: expected a JSON object`);
  if (v.format !== DATA_FORMAT)
    throw new InputError(`${file}: format: expected "${DATA_FORMAT}" (a canary folder's raw/queries.json)`);
  for (const k of ['start', 'end', 'stepSeconds'] as const)
    if (typeof v[k] !== 'number' || !Number.isFinite(v[k]))
      throw new InputError(`${file}: ${k}: expected a number (unix seconds)`);
  if (!isObj(v.queries)) throw new InputError(`${file}: queries: expected an object`);
  const queries: CanaryData['queries'] = {};
  for (const [name, entry] of Object.entries(v.queries)) {
    if (!CANARY_QUERIES.includes(name as CanaryQueryName))
      throw new InputError(
        `${file}: queries.${name}: unknown query (expected one of ${CANARY_QUERIES.join(', ')})`,
      );
    if (!isObj(entry)) throw new InputError(`${file}: queries.${name}: expected an object`);
    queries[name as CanaryQueryName] = {
      query: typeof entry.query === 'string' ? entry.query : '',
      result: matrixOf(file, name, entry),
    };
  }
  const source = isObj(v.source) ? (v.source as CanaryData['source']) : { kind: 'file' as const };
  return {
    source: { ...source, kind: 'file', file },
    start: v.start as number,
    end: v.end as number,
    stepSeconds: v.stepSeconds as number,
    queries,
  };
};
