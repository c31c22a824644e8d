import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alive, killAll, startService, type Started } from './start.js';

/**
 * Both real binaries (build/bin, built by npm run setup) side by side on 127.0.0.1: the same requests
 * must get byte-identical bodies, with the headers, errors and admin guard of SERVICE-CONTRACT.md.
 */

const TOKEN = 'test-token-1234';

const post = (url: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers });

const scanBodies: (string | Uint8Array)[] = [
  '{"msg":"login ada.lovelace@example.org from 10.0.0.1"}\n{"msg":"card 4111 1111 1111 1111"}\n',
  '',
  'key AKIAIOSFODNN7EXAMPLE and fe80::1 and +1 415-555-0100 and 078-05-1120',
  'unicode: café 日本語 🙂 ＡＫＩＡ 1.2.3.4',
  new Uint8Array([0x61, 0x40, 0x62, 0x2e, 0x63, 0x6f, 0xff, 0xfe, 0x20, 0x31, 0x30, 0x2e, 0x30, 0x2e, 0x30, 0x2e, 0x31]),
  'a'.repeat(20_000) + '@' + 'b.'.repeat(5_000),
];

const fieldBodies = [
  '{"email":" Ada@Example.ORG ","phone":"+44 (20) 7946-0958","amount":"-12.50","note":"  a   b  "}',
  '{}',
  '{"x":"café  au  lait","y":"\\u0001","z":"   "}',
];

describe('reference service binaries (baseline and rust)', () => {
  let base: Started;
  let rust: Started;

  before(async () => {
    [base, rust] = await Promise.all([
      startService('baseline', ['-admin-token', TOKEN, '-downstream-ms', '5']),
      startService('rust', ['-admin-token', TOKEN, '-downstream-ms', '5']),
    ]);
  });
  after(killAll);

  it('answers byte-identical bodies from both builds for every endpoint', async () => {
    const requests: [string, (u: string) => Promise<Response>][] = [
      ...scanBodies.map((b, i): [string, (u: string) => Promise<Response>] => [`scan #${i}`, (u) => post(`${u}/v1/scan`, b)]),
      ...fieldBodies.flatMap((b, i): [string, (u: string) => Promise<Response>][] => [
        [`fields #${i}`, (u) => post(`${u}/v1/fields`, b)],
        [`fields batch #${i}`, (u) => post(`${u}/v1/fields?batch=1`, b)],
      ]),
      ...['1', 'order-42', 'x%20y'].map((id): [string, (u: string) => Promise<Response>] => [
        `orders ${id}`,
        (u) => fetch(`${u}/v1/orders/${id}`),
      ]),
    ];
    for (const [name, send] of requests) {
      const [a, b] = await Promise.all([send(base.url), send(rust.url)]);
      assert.equal(a.status, 200, name);
      assert.equal(b.status, 200, name);
      assert.equal(a.headers.get('x-hotspot-impl'), 'go', name);
      assert.equal(b.headers.get('x-hotspot-impl'), 'rust', name);
      const timing = name.startsWith('orders')
        ? /^hotspot;dur=\d+\.\d{3}, downstream;dur=\d+\.\d{3}$/
        : /^hotspot;dur=\d+\.\d{3}$/;
      for (const r of [a, b]) assert.match(r.headers.get('server-timing') ?? '', timing, name);
      assert.deepEqual(Buffer.from(await b.arrayBuffer()), Buffer.from(await a.arrayBuffer()), name);
    }
  });

  it('redacts what the rules find', async () => {
    const res = await post(`${rust.url}/v1/scan`, 'mail ada@example.org card 4111 1111 1111 1111');
    const body = (await res.json()) as { counts: Record<string, number>; redacted: string };
    assert.equal(body.redacted, 'mail [email] card [card_number]');
    assert.equal(body.counts.email, 1);
    assert.equal(Object.keys(body.counts).length, 20);
  });

  it('answers 413 over the 1 MB body limit and 400 with a JSON error on malformed JSON', async () => {
    for (const s of [base, rust]) {
      const big = await post(`${s.url}/v1/scan`, 'x'.repeat((1 << 20) + 1));
      assert.equal(big.status, 413);
      assert.ok(((await big.json()) as { error: string }).error);
      const bad = await post(`${s.url}/v1/fields`, '{"a":');
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: string }).error, /malformed JSON/);
    }
  });

  it('guards the admin endpoint: 401 without or with a wrong token, 403 when no token is configured', async () => {
    const body = JSON.stringify({ rustSharePercent: 50 });
    assert.equal((await post(`${rust.url}/admin/hotspot`, body)).status, 401);
    assert.equal((await post(`${rust.url}/admin/hotspot`, body, { Authorization: 'Bearer wrong' })).status, 401);
    const open = await startService('baseline');
    assert.equal((await post(`${open.url}/admin/hotspot`, body, { Authorization: `Bearer ${TOKEN}` })).status, 403);
    open.proc.kill('SIGTERM');
    assert.equal((await open.exited).code, 0);
  });

  it('switches the rust build to Go live through the admin endpoint', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const res = await post(`${rust.url}/admin/hotspot`, JSON.stringify({ impl: 'go' }), auth);
    assert.equal(res.status, 200);
    const state = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(
      { impl: state.impl, rustSharePercent: state.rustSharePercent, rustAvailable: state.rustAvailable },
      { impl: 'go', rustSharePercent: 100, rustAvailable: true },
    );
    const scan = await post(`${rust.url}/v1/scan`, 'x');
    assert.equal(scan.headers.get('x-hotspot-impl'), 'go');
    await post(`${rust.url}/admin/hotspot`, JSON.stringify({ impl: 'rust' }), auth);
    const again = await post(`${rust.url}/v1/scan`, 'x');
    assert.equal(again.headers.get('x-hotspot-impl'), 'rust');
  });

  it('exposes the contract metrics', async () => {
    const text = await (await fetch(`${rust.url}/metrics`)).text();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'go_memstats_alloc_bytes_total',
      'go_gc_pauses_seconds_bucket',
      'hotswap_requests_total{endpoint="scan",impl="rust",outcome="ok"}',
      'hotswap_hotspot_duration_seconds_bucket',
      'hotswap_fallbacks_total',
      'hotswap_rust_alloc_bytes_total',
      'hotswap_cgo_calls_total{endpoint="fields"}',
      'hotswap_rust_share',
      'hotswap_impl_info{impl="rust"} 1',
      'http_request_duration_seconds_bucket{endpoint="scan",impl="rust",le="0.05"}',
      'hotswap_breaker_state 0',
      'hotswap_breaker_transitions_total{to="open"} 0',
      'hotswap_shadow_total{endpoint="scan",outcome="mismatch"} 0',
      'hotswap_fault_rate 0',
    ])
      assert.ok(text.includes(name), `metrics lack ${name}`);
  });

  it('falls back to Go on an injected Rust panic and still answers 200 with the same bytes', async () => {
    const faulty = await startService('rust', [], { HOTSWAP_TEST_FAULTS: '1' });
    const body = 'HOTSWAP-TEST-PANIC mail ada@example.org';
    const [a, b] = await Promise.all([post(`${faulty.url}/v1/scan`, body), post(`${base.url}/v1/scan`, body)]);
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('x-hotspot-impl'), 'go-fallback');
    assert.equal(await a.text(), await b.text());
    const metrics = await (await fetch(`${faulty.url}/metrics`)).text();
    assert.match(metrics, /hotswap_fallbacks_total\{endpoint="scan",reason="panic"\} 1/);
    faulty.proc.kill('SIGTERM');
    assert.equal((await faulty.exited).code, 0);
  });

  it('refuses fault injection with 403 and a JSON error unless started with -allow-fault-injection', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const res = await post(`${rust.url}/admin/hotspot`, JSON.stringify({ faultRate: 0.5 }), auth);
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /-allow-fault-injection/);
    const state = (await (await fetch(`${rust.url}/admin/hotspot`, { headers: auth })).json()) as {
      faultRate: number;
      breaker: { state: string };
    };
    assert.equal(state.faultRate, 0);
    assert.equal(state.breaker.state, 'closed');
  });

  it('trips the breaker under 50 % injected Rust errors with no failed request, then recovers on Rust', async () => {
    const drill = await startService('rust', [
      '-admin-token',
      TOKEN,
      '-allow-fault-injection',
      '-breaker-open-for',
      '1s',
      '-downstream-ms',
      '1',
    ]);
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const served = new Map<string, number>();
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = await post(`${drill.url}/v1/scan`, `event ${i} ada@example.org`);
        assert.equal(r.status, 200);
        const impl = r.headers.get('x-hotspot-impl') ?? '';
        served.set(impl, (served.get(impl) ?? 0) + 1);
        await r.arrayBuffer();
      }
    };
    assert.equal((await post(`${drill.url}/admin/hotspot`, JSON.stringify({ faultRate: 0.5 }), auth)).status, 200);
    await send(40);
    assert.equal(served.get('go-fallback'), 10, 'half of the 20 calls before the trip fell back');
    assert.equal(served.get('go-breaker'), 20, 'the 20 after the trip went to Go');
    let metrics = await (await fetch(`${drill.url}/metrics`)).text();
    assert.match(metrics, /^hotswap_breaker_state 1$/m);
    assert.match(metrics, /^hotswap_breaker_transitions_total\{to="open"\} 1$/m);
    await post(`${drill.url}/admin/hotspot`, JSON.stringify({ faultRate: 0 }), auth);
    await new Promise((r) => setTimeout(r, 1100));
    served.clear();
    await send(10);
    assert.deepEqual([...served], [['rust', 10]]);
    metrics = await (await fetch(`${drill.url}/metrics`)).text();
    assert.match(metrics, /^hotswap_breaker_state 0$/m);
    assert.match(metrics, /^hotswap_breaker_transitions_total\{to="closed"\} 1$/m);
    drill.proc.kill('SIGTERM');
    assert.equal((await drill.exited).code, 0);
  });

  it('shadows a share of Go-served requests on the rust build: Go answers, outputs match', async () => {
    const shadow = await startService('rust', ['-impl', 'go', '-shadow-percent', '50', '-downstream-ms', '1']);
    for (const [i, body] of scanBodies.entries()) {
      for (const _ of [0, 1]) {
        const [a, b] = await Promise.all([post(`${shadow.url}/v1/scan`, body), post(`${base.url}/v1/scan`, body)]);
        assert.equal(a.headers.get('x-hotspot-impl'), 'go', `scan #${i}`);
        assert.deepEqual(Buffer.from(await a.arrayBuffer()), Buffer.from(await b.arrayBuffer()), `scan #${i}`);
      }
    }
    const metrics = await (await fetch(`${shadow.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`^hotswap_shadow_total\\{endpoint="scan",outcome="match"\\} ${scanBodies.length}$`, 'm'));
    assert.match(metrics, /^hotswap_shadow_total\{endpoint="scan",outcome="mismatch"\} 0$/m);
    assert.match(metrics, /^hotswap_shadow_seconds_count\{endpoint="scan",impl="rust"\} \d+$/m);
    shadow.proc.kill('SIGTERM');
    assert.equal((await shadow.exited).code, 0);
  });

  it('serves pprof on its own loopback listener, never on the public port', async () => {
    const prof = await startService('baseline', ['-pprof-addr', '127.0.0.1:0']);
    let line = '';
    for (let i = 0; i < 100 && !line; i++) {
      line = /pprof on (http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/)/.exec(prof.stdout())?.[1] ?? '';
      if (!line) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(line, 'no "pprof on" line');
    assert.equal((await fetch(line)).status, 200);
    assert.equal((await fetch(`${prof.url}/debug/pprof/`)).status, 404);
    prof.proc.kill('SIGTERM');
    assert.equal((await prof.exited).code, 0);
  });

  it('exits 0 on SIGTERM, finishing an in-flight request, and leaves no process behind', async () => {
    const slow = await startService('rust', ['-downstream-ms', '400']);
    const pending = fetch(`${slow.url}/v1/orders/7`);
    await new Promise((r) => setTimeout(r, 150));
    slow.proc.kill('SIGTERM');
    assert.equal((await pending).status, 200);
    assert.deepEqual(await slow.exited, { code: 0, signal: null });
    assert.equal(alive(slow.proc.pid ?? -1), false);
  });
});
