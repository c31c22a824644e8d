/**
 * Shared by the deploy tests: the repository root, a runner for external tools that reports "missing"
 * instead of throwing, and YAML loading with merge keys (`<<:`), as Compose reads them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool from the repository root; `null` when the tool is not installed (ENOENT). */
export const runTool = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ToolResult | null => {
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null;
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

export const readText = (relPath: string): string => readFileSync(new URL(relPath, `file://${ROOT}`), 'utf8');

/** One YAML document, merge keys resolved; fails the test on any YAML error or warning. */
export const loadYaml = (relPath: string): unknown => parseYaml(readText(relPath), relPath);

export const parseYaml = (text: string, name: string): unknown => {
  try {
    return parse(text, { merge: true, strict: true, prettyErrors: true });
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`, { cause: err });
  }
};

/** Every document of a multi-document YAML file (`---`), each parsed strictly. */
export const loadYamlDocuments = (relPath: string): Record<string, unknown>[] => {
  const docs = parseAllDocuments(readText(relPath), { merge: true, strict: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${relPath} document ${i + 1}: ${doc.errors[0]!.message}`);
    return doc.toJS() as Record<string, unknown>;
  });
};

/** Narrowing accessor for parsed YAML: `at(obj, 'services', 'baseline')` or a test failure naming the path. */
export const at = (value: unknown, ...path: (string | number)[]): unknown => {
  let cur = value;
  for (const [i, key] of path.entries()) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as Record<string, unknown>))) {
      throw new Error(`missing ${path.slice(0, i + 1).join('.')}`);
    }
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
};

export const asRecord = (value: unknown): Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error('expected a mapping');
  return value as Record<string, unknown>;
};
