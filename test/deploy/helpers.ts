/**
 * Shared by the deploy tests: the repository root, a runner for external tools that reports "missing"
 * instead of throwing, and YAML loading with merge keys (`<<:`), as Compose reads them.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A reference-service binary built by `npm run setup` (service/build.sh → build/bin/), or the one named
 * by HOTSWAP_SERVICE_BIN_DIR. `skip` says why a test cannot run: only while the service build script
 * itself is absent; once it exists a missing binary is a failure, not a skip.
 */
export const serviceBinary = (build: 'baseline' | 'rust'): { path: string; skip: string | false } => {
  const dir = process.env.HOTSWAP_SERVICE_BIN_DIR ?? join(ROOT, 'build/bin');
  const path = join(dir, `hotswap-service-${build}`);
  if (existsSync(path)) return { path, skip: false };
  if (!existsSync(join(ROOT, 'service/build.sh')))
    return { path, skip: `${path} is not built and service/build.sh does not exist yet` };
  return { path, skip: false };
};

/** Starts a service binary on 127.0.0.1:0 and resolves with its base URL (first stdout line). */
export const startService = async (
  path: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<number | null> }> => {
  assert.ok(existsSync(path), `${path} is missing: run npm run setup`);
  const child = spawn(path, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" line within 10 s; stderr: ${stderr}`)),
      10_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(`http://${m[1]}`);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited ${code} before listening: ${stderr}`));
    });
  });
  const stop = (): Promise<number | null> =>
    new Promise((res) => {
      if (child.exitCode !== null) return res(child.exitCode);
      child.once('exit', (code) => res(code));
      child.kill('SIGTERM');
    });
  return { url, child, stop };
};
