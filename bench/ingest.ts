/**
 * Ingest benchmark (a script that prints figures, not a timed test): `npm run bench:ingest`.
 *
 * 1. Generates k6-shaped output for REQUESTS requests (default 1 000 000) into a temp dir: CSV.gz and
 *    JSON.gz with the 13 lines per request k6 v2.2.0 writes (http_reqs, http_req_duration, _blocked,
 *    _connecting, _tls_handshaking, _sending, _waiting, _receiving, _failed, data_sent, data_received,
 *    iteration_duration, iterations), the columns and tag layout of the real fixtures
 *    (test/fixtures/k6), the `rid` metadata the scenarios set, gzip level 6 (what k6's Go gzip writer uses).
 * 2. For each file, in the same run and alternating: the floor `zcat FILE | wc -l`, then
 *    `readSampleFiles([FILE])` in a child process (fresh heap) reporting its own time and peak RSS
 *    (process.resourceUsage().maxRSS), then node:readline merely iterating the gunzipped lines (why the
 *    readers split bytes themselves), then Node's zlib alone (gzip's zcat inflates more slowly than the
 *    zlib inside Node, so ingest/zcat can fall below 1; ingest/gunzip shows the parsing cost on top).
 *    Each is run REPS times (default 2) and the fastest kept.
 * 3. Prints times, ratios to the floor and peak RSS against the targets (CSV ≤ 2×, JSON ≤ 4×, ≤ 500 MB).
 *
 * `--paced` adds the `start_lateness_ms` sample a paced iteration writes (scenarios/lib/paced.ts: Poisson
 * and replay arrivals), one more line per request, whole milliseconds as k6's Date.now() gives them.
 *
 * Usage: node --import tsx bench/ingest.ts [--requests N] [--reps N] [--paced] [--keep] [--generate DIR (files only)]
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import { readSampleFiles } from '../src/ingest/index.js';

const SELF = fileURLToPath(import.meta.url);
const ENDPOINTS = ['scan', 'scan', 'fields', 'orders'] as const;
const BASE = 'http://127.0.0.1:8080';

/** Seeded LCG (Numerical Recipes constants): the files are the same on every run. */
const lcg = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
};

const CSV_HEADER =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
const HTTP_METRICS = [
  'http_reqs',
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'http_req_failed',
] as const;

interface Req {
  tsUs: number;
  endpoint: string;
  url: string;
  status: number;
  ok: boolean;
  durationMs: number;
  rid: string;
}

const makeRequest = (i: number, rnd: () => number): Req => {
  const endpoint = ENDPOINTS[i % ENDPOINTS.length]!;
  const ok = rnd() > 0.01;
  return {
    tsUs: 1795300000000000 + i * 1000 + Math.floor(rnd() * 1000),
    endpoint,
    url: endpoint === 'orders' ? `${BASE}/v1/orders/${i % 5000}` : `${BASE}/v1/${endpoint}`,
    status: ok ? 200 : 500,
    ok,
    durationMs: Math.exp(Math.log(2) + 0.5 * (rnd() + rnd() + rnd() - 1.5)),
    rid: `${(i % 50) + 1}-${Math.floor(i / 50)}`,
  };
};

const httpValue = (metric: string, r: Req, rnd: () => number): number => {
  switch (metric) {
    case 'http_reqs':
      return 1;
    case 'http_req_duration':
      return r.durationMs;
    case 'http_req_failed':
      return r.ok ? 0 : 1;
    case 'http_req_waiting':
      return r.durationMs * 0.9;
    default:
      return rnd() * 0.1;
  }
};

/** Set by `--paced`: each request also gets its iteration's `start_lateness_ms` sample. */
let paced = false;
const latenessOf = (r: Req): number => (r.tsUs % 7 === 0 ? 1 : 0) + (r.tsUs % 997 === 0 ? 5 : 0);

const csvLines = (r: Req, rnd: () => number): string => {
  const name = r.endpoint === 'orders' ? 'orders' : r.url;
  const tail = `,,,,${r.ok},,${r.endpoint === 'orders' ? 'GET' : 'POST'},${name},HTTP/1.1,steady,,${r.status},,,${r.url},endpoint=${r.endpoint},rid=${r.rid}\n`;
  let out = paced
    ? `start_lateness_ms,${r.tsUs - 2000},${latenessOf(r).toFixed(6)},,,,,,,,,steady,,,,,,,\n`
    : '';
  for (const m of HTTP_METRICS) out += `${m},${r.tsUs},${httpValue(m, r, rnd).toFixed(6)}${tail}`;
  const t = r.tsUs + 150;
  out += `data_sent,${t},78.000000,,,,,,,,,steady,,,,,,,\n`;
  out += `data_received,${t},180.000000,,,,,,,,,steady,,,,,,,\n`;
  out += `iteration_duration,${t},${(r.durationMs + 0.3).toFixed(6)},,,,,,,,,steady,,,,,,,\n`;
  out += `iterations,${t},1.000000,,,,,,,,,steady,,,,,,,\n`;
  return out;
};

const isoMicros = (us: number): string => {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, '0')}123Z`;
};

const jsonLines = (r: Req, rnd: () => number): string => {
  const name = r.endpoint === 'orders' ? 'orders' : r.url;
  const time = isoMicros(r.tsUs);
  const tags = `{"endpoint":"${r.endpoint}","expected_response":"${r.ok}","group":"","method":"${r.endpoint === 'orders' ? 'GET' : 'POST'}","name":"${name}","proto":"HTTP/1.1","scenario":"steady","status":"${r.status}","url":"${r.url}"}`;
  let out = paced
    ? `{"metric":"start_lateness_ms","type":"Point","data":{"time":"${isoMicros(r.tsUs - 2000)}","value":${latenessOf(r)},"tags":{"group":"","scenario":"steady"}}}\n`
    : '';
  for (const m of HTTP_METRICS) {
    out += `{"metric":"${m}","type":"Point","data":{"time":"${time}","value":${httpValue(m, r, rnd)},"tags":${tags},"metadata":{"rid":"${r.rid}"}}}\n`;
  }
  const t = isoMicros(r.tsUs + 150);
  const plain = `"tags":{"group":"","scenario":"steady"}}}\n`;
  out += `{"metric":"data_sent","type":"Point","data":{"time":"${t}","value":78,${plain}`;
  out += `{"metric":"data_received","type":"Point","data":{"time":"${t}","value":180,${plain}`;
  out += `{"metric":"iteration_duration","type":"Point","data":{"time":"${t}","value":${r.durationMs + 0.3},${plain}`;
  out += `{"metric":"iterations","type":"Point","data":{"time":"${t}","value":1,${plain}`;
  return out;
};

const JSON_HEADER = [...HTTP_METRICS, 'data_sent', 'data_received', 'iteration_duration', 'iterations']
  .map(
    (m) =>
      `{"type":"Metric","data":{"name":"${m}","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"${m}"}\n`,
  )
  .join('');

const generate = async (path: string, requests: number, kind: 'csv' | 'json'): Promise<void> => {
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(path);
  gzip.pipe(out);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  const rnd = lcg(kind === 'csv' ? 1 : 2);
  const write = (text: string) =>
    gzip.write(text) ? Promise.resolve() : new Promise<void>((r) => gzip.once('drain', () => r()));
  await write(kind === 'csv' ? `${CSV_HEADER}\n` : JSON_HEADER);
  const lines = kind === 'csv' ? csvLines : jsonLines;
  for (let i = 0; i < requests;) {
    let chunk = '';
    for (const end = Math.min(requests, i + 2000); i < end; i++) chunk += lines(makeRequest(i, rnd), rnd);
    await write(chunk);
  }
  gzip.end();
  await done;
};

const run = (cmd: string, args: string[]): Promise<{ stdout: string; ms: number }> =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ stdout, ms: performance.now() - start })
        : reject(new Error(`${cmd} exited ${code}`)),
    );
  });

interface ChildResult {
  n: number;
  ms: number;
  /** CPU time (user + system, all threads incl. zlib's) of the measured part: steadier than wall time on a busy machine. */
  cpuMs: number;
  maxRssMB: number;
}

const child = async (mode: string, file: string): Promise<void> => {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let n = 0;
  if (mode === '--child-ingest') n = (await readSampleFiles([file])).n;
  else if (mode === '--child-gunzip') {
    // Node's own zlib with nothing else: what any reader in Node pays before looking at a byte.
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
      createGunzip({ chunkSize: 1 << 18 }),
    ) as AsyncIterable<Buffer>)
      n += chunk.length;
  } else {
    const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const _line of rl) n++;
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const result: ChildResult = { n, ms, cpuMs, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
};

const inChild = async (mode: string, file: string): Promise<ChildResult> => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', SELF, mode, file]);
  return JSON.parse(stdout) as ChildResult;
};

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** "0m1.234s 0m0.100s" (bash `times`, children's line) → user + system milliseconds. */
const bashTimesMs = (line: string): number =>
  line
    .trim()
    .split(/\s+/)
    .map((part) => /^(\d+)m([\d.]+)s$/.exec(part))
    .reduce((sum, m) => sum + (m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN), 0);

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  if (args[0]?.startsWith('--child')) return child(args[0], args[1]!);
  const opt = (name: string, dflt: number) => {
    const i = args.indexOf(name);
    return i === -1 ? dflt : Number(args[i + 1]);
  };
  const requests = opt('--requests', 1_000_000);
  paced = args.includes('--paced');
  const genDir = args.indexOf('--generate');
  if (genDir !== -1) {
    // Only write the files (for profiling): --generate DIR.
    for (const kind of ['csv', 'json'] as const)
      await generate(join(args[genDir + 1]!, `k6.${kind}.gz`), requests, kind);
    return;
  }
  const reps = opt('--reps', 2);
  const dir = mkdtempSync(join(tmpdir(), 'hotswap-bench-ingest-'));
  const targets = { csv: 2, json: 4 } as const;
  const rows: string[] = [];
  try {
    for (const kind of ['csv', 'json'] as const) {
      const file = join(dir, `k6.${kind}.gz`);
      let t = performance.now();
      await generate(file, requests, kind);
      console.error(
        `bench: generated ${file} (${requests} requests, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB gz) in ${fmt(performance.now() - t)}`,
      );
      let floor = Infinity;
      let floorCpu = Infinity;
      let ingestCpu = Infinity;
      let ingest: ChildResult = { n: 0, ms: Infinity, cpuMs: Infinity, maxRssMB: 0 };
      let readline = Infinity;
      let gunzip = Infinity;
      let lines = '';
      for (let rep = 0; rep < reps; rep++) {
        // bash's `times` prints the children's user and system CPU on its second line.
        const z = await run('bash', ['-c', `zcat '${file}' | wc -l; times`]);
        floor = Math.min(floor, z.ms);
        const out = z.stdout.trim().split('\n');
        lines = out[0]!.trim();
        floorCpu = Math.min(floorCpu, bashTimesMs(out[2] ?? ''));
        const r = await inChild('--child-ingest', file);
        ingestCpu = Math.min(ingestCpu, r.cpuMs);
        if (r.ms < ingest.ms) ingest = r;
        ingest.maxRssMB = Math.max(ingest.maxRssMB, r.maxRssMB);
        readline = Math.min(readline, (await inChild('--child-readline', file)).ms);
        gunzip = Math.min(gunzip, (await inChild('--child-gunzip', file)).ms);
        console.error(
          `bench: ${kind} rep ${rep + 1}: floor ${fmt(z.ms)}, ingest ${fmt(r.ms)} (${r.maxRssMB.toFixed(0)} MB)`,
        );
      }
      if (ingest.n !== requests) throw new Error(`ingest read ${ingest.n} requests, expected ${requests}`);
      t = ingest.ms / floor;
      rows.push(
        `${kind.toUpperCase().padEnd(5)} lines ${lines}  zcat|wc -l ${fmt(floor)}  ingest ${fmt(ingest.ms)}  ratio ${t.toFixed(2)}× (target ≤ ${targets[kind]}×: ${t <= targets[kind] ? 'met' : 'MISSED'})  peak RSS ${ingest.maxRssMB.toFixed(0)} MB (target ≤ 500: ${ingest.maxRssMB <= 500 ? 'met' : 'MISSED'})  readline-only ${fmt(readline)} (${(readline / floor).toFixed(2)}×)  node-gunzip-only ${fmt(gunzip)} (ingest/gunzip ${(ingest.ms / gunzip).toFixed(2)}×)  CPU time: zcat|wc ${fmt(floorCpu)}, ingest ${fmt(ingestCpu)} (${(ingestCpu / floorCpu).toFixed(2)}×)`,
      );
    }
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `ingest benchmark: ${requests} requests × ${paced ? '14 lines (paced: + start_lateness_ms)' : '13 lines'}, best of ${reps}, node ${process.version}`,
  );
  for (const row of rows) console.log(row);
};

await main();
