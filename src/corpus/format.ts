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
 * - `endpoint`: optional tag for the report; when absent the scenario derives it from the path
 *   (`/v1/orders/4711` → `orders`: the last segment that is not an id).
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

/** Kinds of bad input a production service meets; each a `messy` label in the corpus. */
export const MESSY_KINDS = ['truncated-json', 'invalid-utf8', 'oversized', 'long-string', 'unicode'] as const;
export type MessyKind = (typeof MESSY_KINDS)[number];

/** Endpoint mix of the reference service when the plan gives none (by weight). */
export const DEFAULT_MIX: Readonly<Record<string, number>> = { scan: 60, fields: 30, orders: 10 };
export const DEFAULT_MESSY_SHARE = 0.02;
