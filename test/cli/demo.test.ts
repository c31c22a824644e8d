import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

// The demo itself takes minutes (its wall time is printed by the demo and quoted in the README); its parts are tested in
// test/trial (the same runTrial on the real service) and test/trial/schedule.test.ts (its time budget).
describe('hotswap demo', () => {
  it('explains what it runs, how long it takes and that it ends in report.html in --help', async () => {
    const io = memoryIo();
    assert.equal(await main(['demo', '--help'], io), 0);
    assert.match(io.out(), /plans\/reference-quick\.yaml/);
    assert.match(io.out(), /sequential interleaved repetitions/);
    assert.match(io.out(), /looks at 5 and 10 runs per arm/);
    assert.match(io.out(), /report\.html/, 'says where it ends');
  });

  it('lists run, demo and corpus in the top-level help', async () => {
    const io = memoryIo();
    assert.equal(await main(['--help'], io), 0);
    for (const cmd of ['run', 'demo', 'corpus']) assert.match(io.out(), new RegExp(`\\n  ${cmd} `));
  });
});
