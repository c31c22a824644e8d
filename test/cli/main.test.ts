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

describe('a closed stdout', () => {
  it('stops quietly with 141 (as SIGPIPE would), no EPIPE stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['bin/hotswap.js', 'analyze', '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read nothing and close the pipe at once, as `| head -0` would.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.ok(code === 141 || code === 0, `exit ${code}`);
    assert.doesNotMatch(stderr, /EPIPE|at .*\.js/);
  });
});
