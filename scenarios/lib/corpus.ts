// The frozen request corpus, loaded once per k6 process into a SharedArray (one copy shared by every VU),
// and replayed in order: iteration i of the scenario sends line i mod N, so both configurations of a trial
// see the same sequence of requests. Format: src/corpus/format.ts (NDJSON {method, path, headers, body,
// bodyBase64?, endpoint?, messy?}).
import { SharedArray } from 'k6/data';
import { corpusPath } from './config.ts';

export interface CorpusRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  bodyBase64?: string;
  endpoint?: string;
  messy?: string;
  /** Capture time of this request (ms, any origin), replayed by ARRIVALS=replay. */
  atMs?: number;
}

const ID_SEGMENT = /^(\d+|[0-9a-f-]{16,}|\{[^}]*\})$/i;

/** `/v1/orders/4711?x=1` → `orders`: the last path segment that is not an id, so tags stay few. */
export const endpointOf = (path: string): string => {
  const segments = (path.split('?')[0] ?? '').split('/').filter((s) => s !== '' && !ID_SEGMENT.test(s));
  return segments[segments.length - 1] ?? 'root';
};

export const corpus = new SharedArray<CorpusRequest>('corpus', () => {
  const lines = open(corpusPath()).split('\n');
  const out: CorpusRequest[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let req: CorpusRequest;
    try {
      req = JSON.parse(line) as CorpusRequest;
    } catch (e) {
      // k6's runtime (ES2020 lib here) has no Error cause option; the message carries the parser's text.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`${corpusPath()}:${i + 1}: not valid JSON: ${String(e)}`);
    }
    if (typeof req.method !== 'string' || typeof req.path !== 'string') {
      throw new Error(`${corpusPath()}:${i + 1}: needs "method" and "path" strings`);
    }
    // The path is appended to BASE_URL: anything but an absolute path ("@host/…", "//host/…") could point
    // the load at another host. Load goes to the target only.
    if (!req.path.startsWith('/') || req.path.startsWith('//')) {
      throw new Error(
        `${corpusPath()}:${i + 1}: "path" must start with a single "/" (got ${JSON.stringify(req.path)})`,
      );
    }
    out.push({ ...req, endpoint: req.endpoint ?? endpointOf(req.path) });
  });
  if (out.length === 0) throw new Error(`${corpusPath()}: the corpus is empty`);
  return out;
});
