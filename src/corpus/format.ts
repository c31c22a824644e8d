/**
 * The corpus format: NDJSON, one request per line, replayed in order by the k6 scenarios (request i of a
 * run is line i mod N, so both configurations see the same sequence). A capture of your own traffic in
 * this shape replays the same way:
 *
 *   {"method":"POST","path":"/v1/scan","headers":{"content-type":"application/x-ndjson"},"body":"…","endpoint":"scan"}
 *   {"method":"GET","path":"/v1/orders/4711","endpoint":"orders"}
 *   {"method":"POST","path":"/v1/scan","bodyBase64":"/+4=","endpoint":"scan","messy":"invalid-utf8"}
 *
 * - `method`, `path` (with query, no host): required. The target base URL comes from the run.
 * - `headers`: optional object of string values.
 * - `body`: optional UTF-8 text; `bodyBase64`: optional raw bytes (for bodies that are not valid UTF-8).
 * - `endpoint`: optional tag for the report; when absent every driver derives it from the path with
 *   `endpointOf` below (`/v1/orders/4711` → `orders`: the last segment that is not an id).
 * - `messy`: optional label of the kind of bad input the line carries (only informative).
 * - `atMs`: optional capture time in ms (any origin, never decreasing): a phase with `arrivals: replay`
 *   replays the gaps between lines, scaled to its rate. Such a phase needs it on every line.
 */
export interface CorpusRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  bodyBase64?: string;
  endpoint?: string;
  messy?: MessyKind;
  atMs?: number;
}

// This file has no imports and uses nothing beyond ES2020: the k6 scenarios import it directly
// (scenarios/lib/corpus.ts), so the corpus type and the endpoint rule exist once for every driver.

/** A path segment that is an id: a number, a hex/UUID-like string of 16+ characters, or a `{template}`. */
const ID_SEGMENT = /^(\d+|[0-9a-f-]{16,}|\{[^}]*\})$/i;

/**
 * The endpoint tag of a path, k6's `name`-tag convention (group URLs, never one series per id): the last
 * path segment that is not an id. `/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6?x=1` → `orders`;
 * `/` → `root`.
 */
export const endpointOf = (path: string): string => {
  const segments = (path.split('?')[0] ?? '').split('/').filter((s) => s !== '' && !ID_SEGMENT.test(s));
  return segments[segments.length - 1] ?? 'root';
};

/** The endpoint a corpus request is reported under: its own `endpoint`, else `endpointOf(path)`. */
export const requestEndpoint = (req: Pick<CorpusRequest, 'endpoint' | 'path'>): string =>
  req.endpoint ?? endpointOf(req.path);

/** Kinds of bad input a production service meets; each a `messy` label in the corpus. */
export const MESSY_KINDS = ['truncated-json', 'invalid-utf8', 'oversized', 'long-string', 'unicode'] as const;
export type MessyKind = (typeof MESSY_KINDS)[number];

/** Endpoint mix of the reference service when the plan gives none (by weight). */
export const DEFAULT_MIX: Readonly<Record<string, number>> = { scan: 60, fields: 30, orders: 10 };
export const DEFAULT_MESSY_SHARE = 0.02;
