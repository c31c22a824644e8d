import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { VERSION } from '../../src/cli/version.js';

describe('cli main', () => {
  it('prints the package version for --version and exits 0', async () => {
    const io = memoryIo();
    assert.equal(await main(['--version'], io), 0);
    assert.equal(io.out().trim(), VERSION);
  });

  it('teaches the exit codes in --help', async () => {
    const io = memoryIo();
    assert.equal(await main(['--help'], io), 0);
    assert.match(io.out(), /Exit codes: 0 ok\/keep, 1 drop, 2 usage/);
  });

  it('exits 2 with a one-line hint on an unknown command', async () => {
    const io = memoryIo();
    assert.equal(await main(['no-such-command'], io), 2);
    assert.match(io.err(), /--help/);
    assert.doesNotMatch(io.err(), /at .*\.ts:\d+/, 'no stack trace');
  });
});
