/**
 * Same output (issue 11): whether the candidate answers each corpus line as the baseline does, and the
 * service's own shadow comparison. Types only; the analysis is src/analysis/correctness.ts.
 */

/** One distinct answer of a run to one corpus line: HTTP status and a digest of the response body. */
export interface LineAnswer {
  status: number;
  /** First 16 hex digits of sha256(body) as the k6 scenario records them; "-" for no body. */
  digest: string;
  /** Requests of the run that got this answer. */
  count: number;
}

/** Every answer one run got for one corpus line (k6 `response_digest`, DIGESTS=1), over the whole run. */
export interface LineAnswers {
  /** 0-based corpus line (request i is line i mod N). */
  line: number;
  endpoint: string;
  answers: LineAnswer[];
}

/** report.json `correctness`: a contract field of the report (it grows by additions only). */
export interface CorrectnessReport {
  /** Candidate requests on lines the baseline answered deterministically (the compared ones). */
  comparedRequests: number;
  /** Of those, requests whose status or body digest differs from the baseline's answer to the line. */
  mismatches: number;
  /** Lines left out because the baseline's own answers to them disagree (Diffy's noise floor). */
  noisyLines: number;
  byEndpoint: Record<string, { compared: number; mismatches: number }>;
  /** The first mismatching lines (by line number), at most MAX_EXAMPLES. */
  examples: CorrectnessExample[];
  /** mismatches / comparedRequests and its 95 % Wilson score interval (requests treated as independent). */
  mismatchShare?: number;
  mismatchShareCi95?: [number, number];
  /** Distinct lines compared, and lines skipped because their endpoint is in `ignoreEndpoints`. */
  comparedLines: number;
  ignoredLines: number;
  /** Candidate requests on noisy lines (not compared). */
  noisyRequests: number;
  /**
   * Candidate requests on lines no baseline run answered (a candidate run that got further through the
   * corpus than every baseline run): nothing to compare them with.
   */
  unpairedRequests: number;
}

export interface CorrectnessExample {
  line: number;
  endpoint: string;
  baselineStatus: number;
  candidateStatus: number;
  baselineDigest: string;
  candidateDigest: string;
  /** The request body's first bytes (or the request line when it has no body), for a reader to find it. */
  requestPrefix: string;
}

/** report.json `resources[].shadow`: the service's shadow mode over one run (GitHub Scientist). */
export interface ShadowFigures {
  /** Requests both implementations ran on (match + mismatch + rust_error). */
  compared: number;
  mismatches: number;
  rustErrors: number;
  /** Mean hotspot time of each implementation on the shadowed requests, milliseconds. */
  goMsMean?: number;
  rustMsMean?: number;
}
