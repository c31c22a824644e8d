/**
 * Escaping by construction, proved on a real report: every string and every number of the tiny fixture
 * trial's report.json (the analysis of real k6 output) is replaced by markup, fields typed as numbers
 * included (plan.repetitions, warmupSeconds, capacity.redundancy, a check's status, a run's order: a
 * hostile report.json can hold a string anywhere). report.html opened in Debian's Chromium must show no
 * injected element, navigate nowhere and raise no dialog; report.md, rendered by markdown-it with raw
 * HTML allowed (as GitHub renders inline HTML) and opened the same way, must not either.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { chromium, type BrowserContext } from 'playwright-core';
import type { ReportModel } from '../../../src/model/index.js';
import { renderHtml } from '../../../src/report/exporters/html.js';
import { renderMarkdown } from '../../../src/report/exporters/markdown.js';
import { renderText } from '../../../src/report/exporters/text.js';
import { validateReportModel } from '../../../src/report/validate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

const REAL_REPORT = new URL('../../fixtures/report/golden/tiny-trial/report.json', import.meta.url).pathname;

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<meta http-equiv=refresh content=0;url=http://evil.invalid>',
  '"><svg onload=alert(2)><a href="http://evil.invalid">x</a>',
  '</script><script>alert(3)</script><!--',
  "' onmouseover='alert(4)' x='",
  '<iframe src=http://evil.invalid></iframe>',
];

/** The leaves the validator must see as they are, or it refuses the file before rendering anything. */
const KEEP = new Set(['schemaVersion', 'verdict.decision']);

/**
 * Replaces every string and number leaf (object keys stay: they are the schema) with a payload, in
 * turn; returns how many leaves were replaced.
 */
const poison = (value: unknown, payload: (i: number) => string): { value: unknown; count: number } => {
  let count = 0;
  const walk = (x: unknown, path: string): unknown => {
    if (KEEP.has(path)) return x;
    if (typeof x === 'string' || typeof x === 'number') return payload(count++);
    if (Array.isArray(x)) return x.map((y) => walk(y, path));
    if (x && typeof x === 'object')
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]));
    return x;
  };
  return { value: walk(value, ''), count };
};

/**
 * The poisoned model as the exporters get it. The report.json schema refuses such a file on read (a
 * string where a number belongs: see the test at the end), so the model is handed to the exporters
 * directly: escaping must hold by construction even for a model that never met the schema.
 */
const hostile = (payload: (i: number) => string): { model: ReportModel; count: number } => {
  const { value, count } = poison(JSON.parse(readFileSync(REAL_REPORT, 'utf8')), payload);
  return { model: value as ReportModel, count };
};

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

describe('a report.json with markup in every string and number field', () => {
  let dir: string;
  let context: BrowserContext;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hotswap-hostile-'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ARGS,
    });
  });
  after(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page and reports what the markup could have done: elements, navigations, dialogs, requests. */
  const open = async (name: string, html: string) => {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await context.newPage();
    const dialogs: string[] = [];
    const requests: string[] = [];
    const navigations: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    page.on('framenavigated', (f) => navigations.push(f.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // A <meta refresh content=0> fires right after load; give it time to try.
    await page.waitForTimeout(600);
    const dom = await page.evaluate(() => ({
      url: document.location.href,
      injected: document.querySelectorAll(
        'img, iframe, object, embed, base, form, input, link, body script:not([type="application/json"]), head script, [onerror], [onload], [onmouseover], a[href]:not([href^="#"])',
      ).length,
      metas: [...document.querySelectorAll('meta')].map(
        (m) => m.getAttribute('http-equiv') ?? m.getAttribute('name') ?? m.getAttribute('charset'),
      ),
      svgOutsideCharts: [...document.querySelectorAll('svg')].filter((s) => !s.closest('.chart')).length,
      text: document.body.innerText as string,
    }));
    await page.close();
    return { dialogs, requests, navigations, ...dom, href: pathToFileURL(file).href };
  };

  for (const [i, payload] of PAYLOADS.entries()) {
    it(`report.html stays inert with payload ${i + 1}: ${payload}`, async () => {
      const { model, count } = hostile(() => payload);
      assert.ok(count > 1000, `${count} leaves replaced`);
      const v = await open(`evil-${i}.html`, await renderHtml(model));
      assert.deepEqual(v.dialogs, [], 'no dialog');
      assert.equal(v.url, v.href, 'no navigation');
      assert.deepEqual(v.navigations, [v.href], 'no navigation');
      assert.deepEqual(v.requests, [v.href], 'no request but the file itself');
      assert.equal(v.injected, 0, 'no injected element');
      assert.equal(v.svgOutsideCharts, 0, 'no svg from model text');
      assert.deepEqual(v.metas.sort(), ['Content-Security-Policy', 'generator', 'utf-8', 'viewport']);
      assert.ok(v.text.includes(payload), 'the markup is shown as text');
    });
  }

  it('report.html stays inert with the payloads mixed field by field', async () => {
    const { model } = hostile((n) => PAYLOADS[n % PAYLOADS.length]!);
    const v = await open('evil-mixed.html', await renderHtml(model));
    assert.deepEqual(v.dialogs, []);
    assert.equal(v.url, v.href);
    assert.equal(v.injected, 0);
    assert.deepEqual(v.requests, [v.href]);
  });

  it('report.md lets no raw HTML through, even to a renderer that passes inline HTML', async () => {
    const mdit = new MarkdownIt({ html: true });
    for (const [i, payload] of PAYLOADS.entries()) {
      const { model } = hostile(() => payload);
      const md = renderMarkdown(model);
      const tags = [...md.matchAll(/<\/?[a-z!][^>]*>?/gi)].map((m) => m[0]);
      assert.deepEqual([...new Set(tags)], ['<sub>', '</sub>'], 'only the footer tag is markup');
      const body = mdit.render(md);
      const v = await open(`evil-${i}.md.html`, `<!doctype html><meta charset="utf-8"><body>${body}</body>`);
      assert.deepEqual(v.dialogs, []);
      assert.equal(v.url, v.href);
      assert.equal(v.injected, 0, `no injected element from payload ${i + 1}`);
      assert.deepEqual(v.metas, ['utf-8']);
      assert.ok(
        v.text.includes(payload.replace(/\s+/g, ' ').trim().slice(0, 12)),
        'the markup is shown as text',
      );
    }
  });

  it('report.txt sends no control character to the terminal', () => {
    const { model } = hostile((n) => (n % 2 ? '\u001b]0;owned\u0007\u001b[2J' : PAYLOADS[0]!));
    const text = renderText(model);
    assert.deepEqual(
      [...text].filter((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)),
      [],
    );
  });

  it('is refused on read by the report.json schema, in one line naming the file and the first field', () => {
    const { value } = poison(JSON.parse(readFileSync(REAL_REPORT, 'utf8')), () => PAYLOADS[0]!);
    assert.throws(
      () => validateReportModel(value, REAL_REPORT),
      (e: Error) => /report\.json: [a-zA-Z.[\]0-9]+: expected /.test(e.message) && !e.message.includes('\n'),
    );
  });
});
