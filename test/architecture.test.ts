import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// ARCHITECTURE.md describes the code as it is: a path it names in backticks must exist in the repository.
const doc = readFileSync('ARCHITECTURE.md', 'utf8');
const named = [...doc.matchAll(/`([A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]*)`/g)]
  .map((m) => m[1]!)
  .filter((p) => !p.includes('<'));

describe('ARCHITECTURE.md', () => {
  it('names at least the pipeline folders', () => {
    for (const folder of ['src/cli/', 'src/trial/', 'src/analysis/', 'src/report/'])
      assert.ok(named.includes(folder), folder);
  });

  it('names only paths that exist in the repository', () => {
    const missing = [...new Set(named)].filter((p) => !existsSync(p.replace(/\/$/, '')));
    assert.deepEqual(missing, []);
  });

  it('keeps the section titles the code comments cite', () => {
    for (const title of [
      '## Measurement method',
      '**contract: CLI.**',
      '**contract: the trial folder**',
      '## Extension points',
    ])
      assert.ok(doc.includes(title), title);
  });
});
