/**
 * A deliberately naive, independent reading of k6 output for the tests: whole file in memory, gunzipSync,
 * split on newlines and commas (the fixtures have no quoted fields), JSON.parse every line. The streaming
 * readers in src/ingest must agree with it on the real fixtures.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const fixture = (rel: string): string => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

export interface RefRequest {
  tsMs: number;
  latencyMs: number;
  status: number;
  failed: boolean;
  endpoint: string;
  rid: string;
}
export interface RefRun {
  requests: RefRequest[];
  dropped: { tsMs: number }[];
  /** rid → impl and hotspot from the custom metrics. */
  impl: Map<string, string>;
  hotspot: Map<string, number>;
  served: { endpoint: string; impl: string; tsMs: number }[];
}

const text = (path: string): string => {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};

const kv = (s: string): Record<string, string> =>
  Object.fromEntries(
    s
      .split('&')
      .filter(Boolean)
      .map((p) => p.split('=') as [string, string]),
  );

export const refCsv = (path: string): RefRun => {
  const lines = text(path).split('\n').filter(Boolean);
  const header = lines[0]!.split(',');
  const col = (name: string) => header.indexOf(name);
  const run: RefRun = { requests: [], dropped: [], impl: new Map(), hotspot: new Map(), served: [] };
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const tsMs = Number(f[col('timestamp')]) / 1000;
    const tags = kv(f[col('extra_tags')]!);
    const rid = kv(f[col('metadata')]!).rid ?? '';
    const value = Number(f[col('metric_value')]);
    switch (f[0]) {
      case 'http_req_duration':
        run.requests.push({
          tsMs,
          latencyMs: value,
          status: Number(f[col('status')]),
          failed: f[col('expected_response')] === 'false',
          endpoint: tags.endpoint!,
          rid,
        });
        break;
      case 'dropped_iterations':
        run.dropped.push({ tsMs });
        break;
      case 'impl_served':
        run.impl.set(rid, tags.impl!);
        run.served.push({ endpoint: tags.endpoint!, impl: tags.impl!, tsMs });
        break;
      case 'hotspot_ms':
        run.hotspot.set(rid, value);
        break;
    }
  }
  return run;
};

export const refJson = (path: string): RefRun => {
  const run: RefRun = { requests: [], dropped: [], impl: new Map(), hotspot: new Map(), served: [] };
  for (const line of text(path).split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    if (o.type !== 'Point') continue;
    // Go's RFC3339Nano drops trailing zeros of the fraction ("…:54.95046Z").
    const fraction = (o.data.time.split('.')[1] ?? '').replace('Z', '').padEnd(9, '0');
    const tsMs = new Date(o.data.time).getTime() + Number(`0.${fraction.slice(3, 9)}`);
    const tags = o.data.tags ?? {};
    const rid = o.data.metadata?.rid ?? '';
    if (o.metric === 'http_req_duration') {
      run.requests.push({
        tsMs,
        latencyMs: o.data.value,
        status: Number(tags.status),
        failed: tags.expected_response === 'false',
        endpoint: tags.endpoint,
        rid,
      });
    } else if (o.metric === 'dropped_iterations') run.dropped.push({ tsMs });
    else if (o.metric === 'impl_served') {
      run.impl.set(rid, tags.impl);
      run.served.push({ endpoint: tags.endpoint, impl: tags.impl, tsMs });
    } else if (o.metric === 'hotspot_ms') run.hotspot.set(rid, o.data.value);
  }
  return run;
};
