import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertSafePath,
  endpointOf,
  requestEndpoint,
  unsafePathReason,
  type CorpusRequest,
} from '../corpus/index.js';
import { InputError, warning } from '../model/index.js';
import { autocannonPhaseSchema, type AutocannonPhaseSpec, type PhaseSpec } from '../model/index.js';
import { ensureDir, runPaths } from '../store/index.js';
import { assessGenerator } from './health.js';
import { INTERRUPTED_REASON, notStarted } from './result.js';
import { ABORT_GRACE_MS, spawnChild } from './process.js';
import type { Driver, DriverResult, DriverRunInput, RawFiles } from './types.js';

/**
 * autocannon, closed model: N connections, each sending its next request when the last answer came.
 * For saturation throughput only (a closed model hides queueing delay, so its latencies are not compared
 * against open-model runs). Every response's latency is recorded from the `response` event into raw
 * NDJSON by a child process (autocannon-child.ts), pinned and stoppable like k6.
 */

const version = async (): Promise<string> => {
  const pkg = createRequire(import.meta.url)('autocannon/package.json') as { version: string };
  return pkg.version;
};

/** Raw files of a run: one NDJSON line per response (src/ingest/autocannon.ts), and the child's log. */
const raw = (dir: string): RawFiles => ({
  output: join(dir, 'autocannon.ndjson'),
  log: join(dir, 'autocannon.log'),
});

const versionLabel = (v: string): string => `autocannon ${v}`;

const asAutocannon = (phase: PhaseSpec): AutocannonPhaseSpec => {
  if (phase.driver !== 'autocannon') throw new Error(`autocannon driver given a ${phase.driver} phase`);
  return phase;
};

/** The child script and how to start node on it (tsx when running from the TypeScript sources). */
const childCommand = (): string[] => {
  const self = fileURLToPath(import.meta.url);
  const fromSource = self.endsWith('.ts');
  const script = join(self, '..', `autocannon-child.${fromSource ? 'ts' : 'js'}`);
  return fromSource ? [process.execPath, '--import', 'tsx', script] : [process.execPath, script];
};

/** One request to repeat: the phase's path (GET), or the first /v1/scan line of the corpus. */
const target = async (
  phase: AutocannonPhaseSpec,
  corpusPath: string,
): Promise<{
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  endpoint: string;
}> => {
  if (phase.path) {
    const why = unsafePathReason(phase.path);
    if (why) throw new InputError(`phases.${phase.name}.path: ${why}`);
    return { method: 'GET', path: phase.path, endpoint: endpointOf(phase.path) };
  }
  const lines = (await readFile(corpusPath, 'utf8')).split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const req = JSON.parse(line) as CorpusRequest;
    if (req.messy || req.bodyBase64 !== undefined) continue;
    // The URL is `${baseUrl}${path}`: a path like "@10.0.0.5/x" would point at another host.
    assertSafePath(req.path, corpusPath, i + 1);
    return {
      method: req.method === 'POST' ? 'POST' : 'GET',
      path: req.path,
      body: req.body,
      headers: req.headers,
      endpoint: requestEndpoint(req),
    };
  }
  return { method: 'GET', path: '/', endpoint: 'root' };
};

/**
 * Responses in the raw NDJSON: `ok` are 2xx/3xx answers, `failed` are transport errors (status 0) and
 * 4xx/5xx. Only `ok` counts towards achieved throughput: a service that answers 503 fast is not faster.
 */
export const countResponses = (text: string): { ok: number; failed: number } => {
  let ok = 0;
  let failed = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as { status?: number; error?: string };
      if (r.error === undefined && typeof r.status === 'number' && r.status >= 200 && r.status < 400) ok += 1;
      else failed += 1;
    } catch {
      failed += 1;
    }
  }
  return { ok, failed };
};

const readResponses = async (path: string): Promise<{ ok: number; failed: number }> => {
  try {
    return countResponses(await readFile(path, 'utf8'));
  } catch {
    return { ok: 0, failed: 0 };
  }
};

const run = async (input: DriverRunInput): Promise<DriverResult> => {
  const phase = asAutocannon(input.phase);
  const dir = runPaths(input.runId).dir;
  const files = raw(dir);
  await ensureDir(join(input.trialDir, dir));
  const req = await target(phase, input.corpusPath);
  const out = join(input.trialDir, files.output);
  const settings = {
    url: `${input.baseUrl}${req.path}`,
    connections: phase.connections,
    durationSeconds: phase.durationSeconds,
    method: req.method,
    body: req.body,
    headers: req.headers,
    out,
    endpoint: req.endpoint,
  };
  if (input.signal.aborted) return notStarted(versionLabel(await version()), phase.durationSeconds);
  const child = spawnChild({
    command: childCommand(),
    env: { HOTSWAP_AUTOCANNON: JSON.stringify(settings) },
    logFile: join(input.trialDir, files.log),
    cpu: input.cpu,
  });
  const stop = (): void => void child.stop(ABORT_GRACE_MS);
  input.signal.addEventListener('abort', stop, { once: true });
  if (input.signal.aborted) stop();
  const started = Date.now();
  const exit = await child.exited;
  input.signal.removeEventListener('abort', stop);
  const wallSeconds = (Date.now() - started) / 1000;
  const responses = await readResponses(out);
  const { health, warnings } = assessGenerator({
    achievedRps: responses.ok / phase.durationSeconds,
    cpuSeconds: child.cpuSeconds(),
    wallSeconds,
    cpuSamples: [child.cpuSamples()],
    loadSeconds: phase.durationSeconds,
    processes: 1,
    expectsSaturation: true,
  });
  const result: DriverResult = {
    status: 'ok',
    exitCode: exit.code,
    thresholdsCrossed: false,
    driverVersion: versionLabel(await version()),
    outputs: [files.output],
    logs: [files.log],
    generator: health,
    warnings,
    loadSeconds: phase.durationSeconds,
    failedResponses: responses.failed,
  };
  if (responses.failed > 0)
    warnings.push(warning('failed-responses', { failed: responses.failed, ok: responses.ok }));
  if (input.signal.aborted)
    return {
      ...result,
      status: 'interrupted',
      failureReason: INTERRUPTED_REASON,
    };
  if (exit.code !== 0)
    return {
      ...result,
      status: 'failed',
      failureReason: `autocannon exited with code ${exit.code} (log: ${files.log})`,
    };
  return result;
};

export const autocannonDriver = {
  name: 'autocannon',
  description: 'autocannon, closed model: N connections back to back, for saturation throughput only',
  phaseSchema: autocannonPhaseSchema,
  raw,
  formats: ['autocannon'],
  environmentKey: 'autocannonVersion',
  version,
  versionLabel,
  run,
} satisfies Driver<AutocannonPhaseSpec>;
