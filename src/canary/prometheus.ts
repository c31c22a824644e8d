import { InfrastructureError, InputError, type MatrixSeries } from '../model/index.js';

/**
 * A minimal client of Prometheus's HTTP API: `POST /api/v1/query_range` (form-encoded, so a long
 * PromQL query is not cut by a URL length limit). See https://prometheus.io/docs/prometheus/latest/querying/api/.
 * A server that cannot be reached or answers 5xx is an infrastructure failure (exit 3); a query it
 * rejects (400/422: bad PromQL, too many points) is bad input (exit 2), with Prometheus's own message.
 */
export interface RangeQuery {
  name: string;
  query: string;
  start: number;
  end: number;
  stepSeconds: number;
}

/** Prometheus refuses more than 11,000 points per series in one range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

interface PromResponse {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

const baseUrl = (url: string): string => url.replace(/\/+$/, '');

export const queryRange = async (
  url: string,
  q: RangeQuery,
  signal?: AbortSignal,
  timeoutMs = 120_000,
): Promise<MatrixSeries[]> => {
  const points = Math.floor((q.end - q.start) / q.stepSeconds) + 1;
  if (points > MAX_POINTS_PER_SERIES)
    throw new InputError(
      `--step: ${points} points per series over the window (Prometheus allows ${MAX_POINTS_PER_SERIES}); use a coarser --step or a shorter --window`,
    );
  const body = new URLSearchParams({
    query: q.query,
    start: String(q.start),
    end: String(q.end),
    step: String(q.stepSeconds),
  });
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(`${baseUrl(url)}/api/v1/query_range`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = timeout.aborted
      ? `no answer within ${timeoutMs / 1000} s`
      : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new InfrastructureError(`cannot reach Prometheus at ${url}: ${why}`);
  }
  let parsed: PromResponse;
  try {
    parsed = (await res.json()) as PromResponse;
  } catch {
    throw new InfrastructureError(
      `Prometheus at ${url} answered ${res.status} without JSON to query ${q.name} (is it a Prometheus server?)`,
    );
  }
  if (res.status === 400 || res.status === 422)
    throw new InputError(
      `canary.queries.${q.name}: Prometheus rejected the query (${parsed.errorType ?? res.status}: ${parsed.error ?? 'no message'}): ${q.query}`,
    );
  if (!res.ok || parsed.status !== 'success')
    throw new InfrastructureError(
      `Prometheus at ${url} failed query ${q.name}: ${res.status} ${parsed.error ?? parsed.status ?? ''}`.trim(),
    );
  if (parsed.data?.resultType !== 'matrix' || !Array.isArray(parsed.data.result))
    throw new InputError(
      `canary.queries.${q.name}: expected a range vector result (matrix), got ${parsed.data?.resultType ?? 'nothing'}`,
    );
  return parsed.data.result as MatrixSeries[];
};
