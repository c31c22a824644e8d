/**
 * Runs autocannon in its own process (so it can be pinned to a core and stopped as a process group) and
 * writes one NDJSON line per response, the raw format the ingest reads (src/ingest/autocannon.ts):
 *   {"t": epochMs, "latencyMs": number, "status": number, "endpoint": string}
 * Latency comes from autocannon's `response` event (its own histogram has 1 ms resolution and a wrong
 * coordinated-omission correction when a rate is set; those numbers are not used). Transport errors
 * (`reqError`) are written with status 0 and the error text.
 * Settings arrive as JSON in HOTSWAP_AUTOCANNON; a summary line goes to stdout (the run's log).
 */
import { createWriteStream } from 'node:fs';
import autocannon from 'autocannon';

interface Settings {
  url: string;
  connections: number;
  durationSeconds: number;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  out: string;
  endpoint: string;
}

const settings = JSON.parse(process.env.HOTSWAP_AUTOCANNON ?? '{}') as Settings;
const out = createWriteStream(settings.out);
const endpoint = settings.endpoint;

// With a callback autocannon returns its Instance (an EventEmitter) instead of a promise.
const instance = autocannon(
  {
    url: settings.url,
    connections: settings.connections,
    duration: settings.durationSeconds,
    method: settings.method,
    body: settings.body,
    headers: settings.headers,
  },
  (err, result) => {
    if (err) {
      process.stdout.write(`autocannon failed: ${err.message}\n`);
      process.exit(3);
    }
    process.stdout.write(
      `${JSON.stringify({ requests: result.requests.total, errors: result.errors, non2xx: result.non2xx })}\n`,
    );
    out.end(() => process.exit(0));
  },
);

instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  out.write(`${JSON.stringify({ t: Date.now(), latencyMs: responseTime, status: statusCode, endpoint })}\n`);
});
instance.on('reqError', (err: Error) => {
  out.write(
    `${JSON.stringify({ t: Date.now(), latencyMs: 0, status: 0, endpoint, error: String(err.message).slice(0, 200) })}\n`,
  );
});

const stop = (): void => {
  instance.stop();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
