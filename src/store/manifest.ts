import { readFile } from 'node:fs/promises';
import { InputError, checkDocument, excerpt, type Manifest, type Plan } from '../model/index.js';
import { confinePath, manifestPaths } from './confine.js';
import { manifestSchema } from '../model/manifest-schema.js';
import { trialPaths } from './paths.js';

/** A document's text; a BOM is dropped, a read failure is one line naming the file. */
const readText = async (path: string, what: string): Promise<string> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${path}: no ${what} here (is this a trial folder?)`
        : `${path}: cannot read: ${code ?? 'error'}`,
    );
  }
  return text.replace(/^\uFEFF/, '');
};

const readJson = async (path: string, what: string): Promise<unknown> => {
  const text = await readText(path, what);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: not valid JSON: ${excerpt((err as Error).message, 80)}`);
  }
};

/**
 * Checks a parsed manifest against its schema (manifest-schema.ts): the first wrong field is one line
 * naming the file, the field path and the expected type. Unknown keys pass.
 */
export const validateManifest = (value: unknown, file: string): Manifest => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${file}: (top level): expected an object`);
  checkDocument(manifestSchema, value, file);
  return value as Manifest;
};

/**
 * Reads and checks `<dir>/manifest.json`; errors name the file and the field. Every path it names is
 * confined to the trial folder (confine.ts) before anything reads it.
 */
export const readManifest = async (dir: string): Promise<Manifest> => {
  const path = trialPaths(dir).manifest;
  const manifest = validateManifest(await readJson(path, 'manifest.json'), path);
  for (const [field, rel] of manifestPaths(manifest.runs)) await confinePath(dir, rel, field, path);
  return manifest;
};

/**
 * Reads `<dir>/plan.json`, the plan frozen when the trial started, through `parse` (the CLI passes
 * `parsePlan`, the same check a plan file gets: store may not import plan/).
 */
export const readFrozenPlan = async (
  dir: string,
  parse: (text: string, file: string) => Plan,
): Promise<Plan> => {
  const path = trialPaths(dir).plan;
  const text = await readText(path, 'plan.json');
  const plan = parse(text, path);
  // parse succeeded, so the text is JSON/YAML; keep the frozen key order (report.json shows the plan).
  let frozen: unknown;
  try {
    frozen = JSON.parse(text);
  } catch {
    return plan;
  }
  return inOrderOf(frozen, plan) as Plan;
};

/** `value` with its object keys in the order `like` has them (keys `like` lacks come after). */
const inOrderOf = (like: unknown, value: unknown): unknown => {
  if (Array.isArray(value))
    return value.map((v, i) => inOrderOf(Array.isArray(like) ? like[i] : undefined, v));
  if (typeof value !== 'object' || value === null) return value;
  const ref = typeof like === 'object' && like !== null && !Array.isArray(like) ? like : {};
  const obj = value as Record<string, unknown>;
  const keys = [...Object.keys(ref).filter((k) => k in obj), ...Object.keys(obj).filter((k) => !(k in ref))];
  return Object.fromEntries(keys.map((k) => [k, inOrderOf((ref as Record<string, unknown>)[k], obj[k])]));
};
