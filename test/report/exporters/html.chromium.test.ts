/**
 * Opens report.html from a file:// URL in Debian's Chromium (playwright-core, never a downloaded
 * browser): no console errors, no network request but the file itself, every chart drawn as SVG with
 * marks, hostile strings inert. Leaves a screenshot in test-artifacts/report.png for a person to look at.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { memoryIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { CHARTS } from '../../../src/report/charts/index.js';
import { renderHtml } from '../../../src/report/exporters/html.js';
import { EVIL, fixtureModel, hostileModel, withProfiles } from '../helpers.js';

/** The page's globals, inside page.evaluate callbacks only (the project compiles without the DOM lib). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

const TINY_TRIAL = new URL('../../fixtures/trials/tiny/', import.meta.url).pathname;
const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url).pathname;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

interface Visit {
  page: Page;
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

describe('report.html in Chromium', () => {
  let dir: string;
  let context: BrowserContext;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hotswap-report-chromium-'));
    // A fresh profile: no cached state, no extensions, nothing from an earlier run.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
  });
  after(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const visit = async (name: string, html: string): Promise<Visit> => {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await context.newPage();
    const v: Visit = { page, requests: [], consoleErrors: [], dialogs: [] };
    page.on('request', (r) => v.requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') v.consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => v.consoleErrors.push(`pageerror: ${err.message}`));
    page.on('dialog', (d) => {
      v.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return v;
  };

  it('loads with no console errors and no request but the file itself; every chart is SVG with marks', async () => {
    const html = await renderHtml(withProfiles(fixtureModel()));
    const v = await visit('report.html', html);
    assert.deepEqual(v.consoleErrors, []);
    assert.deepEqual(v.requests, [pathToFileURL(join(dir, 'report.html')).href]);
    const charts = await v.page.evaluate(() =>
      [...document.querySelectorAll('figure')].map((f) => ({
        id: f.id,
        svg: f.querySelectorAll('.chart > svg').length,
        marks: f.querySelectorAll(
          'svg g[class*="mark-"] > path, svg g[class*="mark-"] > line, svg g[class*="mark-"] > rect, svg g[class*="mark-"] > text',
        ).length,
        width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
      })),
    );
    assert.deepEqual(
      charts.map((c) => c.id),
      CHARTS.filter((c) => c.section !== 'canary')
        .map((c) => `chart-${c.id}`)
        .sort((a, b) => html.indexOf(`id="${a}"`) - html.indexOf(`id="${b}"`)),
    );
    for (const c of charts) {
      assert.equal(c.svg, 1, `${c.id} has one inline SVG`);
      assert.ok(c.marks > 20, `${c.id} draws marks (${c.marks})`);
      assert.ok(c.width > 200, `${c.id} is laid out (${c.width}px wide)`);
    }
    const scripts = await v.page.evaluate(
      () => [...document.scripts].filter((s) => s.type !== 'application/json').length,
    );
    assert.equal(scripts, 0, 'no executable script in the page');
    const spec = await v.page.evaluate(
      () =>
        JSON.parse(document.getElementById('chart-spec-ladder')!.textContent!) as {
          data: { values: unknown[] };
        },
    );
    assert.ok(spec.data.values.length > 0, 'the embedded spec parses in the browser, with its data');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'report.html'), html);
    await v.page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await v.page.close();
  });

  it('renders hostile names, tags and error messages as inert text', async () => {
    const v = await visit('evil.html', await renderHtml(hostileModel()));
    assert.deepEqual(v.dialogs, [], 'no alert() ran');
    assert.deepEqual(v.consoleErrors, []);
    const facts = await v.page.evaluate(() => ({
      title: document.title,
      scripts: [...document.scripts].filter((s) => s.type !== 'application/json').length,
      imgs: document.images.length,
      onload: document.querySelectorAll('[onload],[onerror]').length,
      text: document.body.innerText,
    }));
    assert.equal(facts.scripts, 0);
    assert.equal(facts.imgs, 0);
    assert.equal(facts.onload, 0);
    assert.ok(facts.title.includes(EVIL.planName), 'the plan name is shown as written, in the title');
    assert.ok(facts.text.includes(EVIL.baseline), 'the baseline name is shown as written');
    assert.ok(facts.text.includes(EVIL.endpoint), 'the endpoint tag is shown as written');
    await v.page.close();
  });

  it('opens the report of a real trial (k6 output of test/fixtures/trials/tiny, analysed, then re-rendered)', async () => {
    const trial = join(dir, 'tiny');
    cpSync(TINY_TRIAL, trial, { recursive: true });
    const analyze = memoryIo();
    const code = await main(['analyze', trial], analyze);
    assert.ok([0, 1, 4].includes(code), `analyze exits with a verdict code, got ${code}: ${analyze.err()}`);
    const io = memoryIo();
    assert.equal(await main(['report', trial, '--format', 'html,md'], io), 0, io.err());
    const v = await visit('tiny/report.html', readFileSync(join(trial, 'report.html'), 'utf8'));
    assert.deepEqual(v.consoleErrors, []);
    assert.equal(v.requests.length, 1, `only the file itself: ${v.requests.join(', ')}`);
    const drawn = await v.page.evaluate(
      () =>
        [...document.querySelectorAll('figure .chart > svg')].filter((svg) =>
          svg.querySelector('g[class*="mark-"] > *'),
        ).length,
    );
    assert.ok(drawn >= 6, `${drawn} charts drawn from the real trial`);
    await v.page.screenshot({ path: join(ARTIFACTS, 'report-tiny-trial.png'), fullPage: true });
    await v.page.close();
  });
});
