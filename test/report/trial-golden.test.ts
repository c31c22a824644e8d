import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeTrial } from '../../src/analysis/analyze.js';
import { loadTrial } from '../../src/cli/analyze.js';
import { memoryIo } from '../../src/cli/io.js';
import { renderMarkdown, renderText } from '../../src/report/index.js';
import { assertGolden } from './golden.js';

/**
 * Whole outputs of the pipeline on a fixed trial (test/fixtures/trials/tiny: real k6 output of 2 runs per
 * arm): report.json, report.md and report.txt must not change unless someone means them to (UPDATE_GOLDEN=1).
 * The analysis is pure and seeded, so the same folder gives the same bytes.
 */
describe('golden report of the tiny fixture trial', () => {
  it('analyze gives the same report.json, report.md and report.txt as the committed golden files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotswap-golden-'));
    cpSync('test/fixtures/trials/tiny', dir, { recursive: true });
    const model = analyzeTrial(await loadTrial(dir, memoryIo()));
    assertGolden('tiny-trial/report.json', `${JSON.stringify(model, null, 2)}\n`);
    assertGolden('tiny-trial/report.md', renderMarkdown(model));
    assertGolden('tiny-trial/report.txt', renderText(model));
  });
});
