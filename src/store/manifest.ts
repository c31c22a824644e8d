import { readFile } from 'node:fs/promises';
import { InputError, type Manifest, type Plan } from '../model/index.js';
import { trialPaths } from './paths.js';

const readJson = async (path: string, what: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${path}: no ${what} here (is this a trial folder?)`
        : `${path}: cannot read: ${code}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: not valid JSON: ${(err as Error).message}`);
  }
};

/**
 * Checks the shape a reader relies on (schema version, a runs array whose entries have id, role, phase and
 * status) and names the first field that is wrong. Deeper checks belong to whoever uses the field.
 */
export const validateManifest = (value: unknown, file: string): Manifest => {
  const fail = (field: string, msg: string): never => {
    throw new InputError(`${file}: ${field}: ${msg}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('(root)', 'expected an object');
  const m = value as Record<string, unknown>;
  if (m.schemaVersion !== 1) fail('schemaVersion', `expected 1, got ${JSON.stringify(m.schemaVersion)}`);
  if (typeof m.trialId !== 'string') fail('trialId', 'expected a string');
  if (!Array.isArray(m.runs)) return fail('runs', 'expected an array');
  m.runs.forEach((run: unknown, i: number) => {
    if (typeof run !== 'object' || run === null) fail(`runs[${i}]`, 'expected an object');
    const r = run as Record<string, unknown>;
    for (const key of ['id', 'role', 'phase', 'status'] as const) {
      if (typeof r[key] !== 'string') fail(`runs[${i}].${key}`, 'expected a string');
    }
    if (typeof r.raw !== 'object' || r.raw === null) fail(`runs[${i}].raw`, 'expected an object');
  });
  return value as Manifest;
};

/** Reads and checks `<dir>/manifest.json`; errors name the file and the field. */
export const readManifest = async (dir: string): Promise<Manifest> => {
  const path = trialPaths(dir).manifest;
  return validateManifest(await readJson(path, 'manifest.json'), path);
};

/** Reads `<dir>/plan.json`, the plan frozen when the trial started (already validated then). */
export const readFrozenPlan = async (dir: string): Promise<Plan> => {
  const path = trialPaths(dir).plan;
  const value = await readJson(path, 'plan.json');
  if (typeof value !== 'object' || value === null) throw new InputError(`${path}: expected an object`);
  return value as Plan;
};
