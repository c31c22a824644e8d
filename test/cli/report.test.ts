import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { findOpener, writeReports } from '../../src/cli/report.js';

const FIXTURE = new URL('../fixtures/report/golden/tiny-trial/report.json', import.meta.url).pathname;

describe('hotswap report', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotswap-report-cli-'));
    await copyFile(FIXTURE, join(dir, 'report.json'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('re-renders html and md next to report.json by default and prints the paths written', async () => {
    const io = memoryIo();
    assert.equal(await main(['report', dir], io), 0, io.err());
    const lines = io.out().trim().split('\n');
    assert.deepEqual(lines, [join(dir, 'report.html'), join(dir, 'report.md')]);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<svg[^>]*class="marks"/);
    const files = await readdir(dir);
    assert.ok(!files.some((f) => f.endsWith('.tmp')), `no temporary files left: ${files.join(', ')}`);
  });

  it('accepts a report.json path, several formats, --out and --json (one JSON document on stdout)', async () => {
    const out = join(dir, 'elsewhere');
    const io = memoryIo();
    const code = await main(
      ['report', join(dir, 'report.json'), '--format', 'text,markdown,json', '--out', out, '--json'],
      io,
    );
    assert.equal(code, 0, io.err());
    const doc = JSON.parse(io.out());
    assert.equal(doc.decision, 'inconclusive');
    assert.deepEqual(
      doc.written.map((w: { format: string }) => w.format),
      ['text', 'md', 'json'],
    );
    assert.equal(doc.opened, false);
    const text = await readFile(join(out, 'report.txt'), 'utf8');
    assert.match(text, /verdict: INCONCLUSIVE/);
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    assert.deepEqual(json, JSON.parse(await readFile(FIXTURE, 'utf8')), 'json export round-trips the model');
  });

  it('exits 2 naming the folder when it holds no report.json', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hotswap-report-empty-'));
    const io = memoryIo();
    assert.equal(await main(['report', empty], io), 2);
    assert.match(io.err(), new RegExp(`${empty}: no report.json.*hotswap analyze`));
    assert.doesNotMatch(io.err(), /\n\s+at /, 'no stack trace');
    await rm(empty, { recursive: true });
  });

  it('exits 2 naming the file on invalid JSON and on a file that is not a report', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"schemaVersion": 1,');
    let io = memoryIo();
    assert.equal(await main(['report', bad], io), 2);
    assert.match(io.err(), /bad\.json: not valid JSON/);
    await writeFile(bad, JSON.stringify({ schemaVersion: 99 }));
    io = memoryIo();
    assert.equal(await main(['report', bad], io), 2);
    assert.match(io.err(), /bad\.json: report schemaVersion 99 is not 1/);
    await writeFile(bad, JSON.stringify({ hello: 'world' }));
    io = memoryIo();
    assert.equal(await main(['report', bad], io), 2);
    assert.match(io.err(), /bad\.json: not a hotswap report\.json: "schemaVersion" is missing/);
  });

  it('exits 2 naming the flag on an unknown --format', async () => {
    const io = memoryIo();
    assert.equal(await main(['report', dir, '--format', 'html,pdf'], io), 2);
    assert.match(io.err(), /--format: unknown format "pdf"/);
  });

  it('does not try to open a browser without a display, and says why', async () => {
    assert.deepEqual(await findOpener({ PATH: '/usr/bin:/bin' }, 'linux'), {
      reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset)',
    });
    assert.deepEqual(await findOpener({ BROWSER: 'firefox --new-tab' }, 'linux'), {
      command: ['firefox', '--new-tab'],
    });
    const io = memoryIo({ env: { PATH: '/usr/bin:/bin' } });
    assert.equal(await main(['report', dir, '--format', 'html', '--open'], io), 0);
    assert.match(io.err(), /not opening a browser: no display.*file:\/\//);
  });

  it('writes all formats or none: a render that fails half-way leaves the old files and no temporary file', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-report-allornone-'));
    await writeFile(join(out, 'report.md'), 'old md\n');
    const model = JSON.parse(await readFile(FIXTURE, 'utf8'));
    // Markdown renders (it draws no chart); the HTML's chart builders throw on this ladder.
    model.ladders = [{ role: 'baseline', phase: 'ramp', endpoint: '*', quantile: 0.99, rungs: 7, points: 7 }];
    model.spectra = 7;
    await assert.rejects(writeReports(model, out, ['md', 'html']));
    assert.equal(
      await readFile(join(out, 'report.md'), 'utf8'),
      'old md\n',
      'the old report.md is untouched',
    );
    assert.deepEqual(await readdir(out), ['report.md'], 'no report.html, no temporary file');
    await rm(out, { recursive: true });
  });

  it('teaches usage with examples in --help', async () => {
    const io = memoryIo();
    assert.equal(await main(['report', '--help'], io), 0);
    assert.match(io.out(), /Examples:\n\s+hotswap report reports\//);
  });
});
