import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnChild } from '../../src/drivers/index.js';
import { alive } from './stand-in.js';

describe('spawnChild', () => {
  it('stop() ends what a wrapper left in its group after the wrapper itself exited', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-proc-'));
    const pidFile = join(dir, 'pid');
    // Like `npm start` that backgrounds the real server and returns: the leader exits, the server lives on.
    const child = spawnChild({ command: ['sh', '-c', `sleep 300 & echo $! > ${pidFile}; exit 0`] });
    await child.exited;
    const server = Number((await readFile(pidFile, 'utf8')).trim());
    assert.ok(alive(server), 'server running after the wrapper exited');
    await child.stop(1000);
    const t0 = Date.now();
    while (alive(server) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(server), false, `pid ${server} survived stop()`);
  });

  it('stop() SIGKILLs a group member that ignores SIGTERM after the grace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-proc-'));
    const pidFile = join(dir, 'pid');
    const child = spawnChild({
      command: ['sh', '-c', `trap '' TERM; sleep 300 & echo $! > ${pidFile}; exit 0`],
    });
    await child.exited;
    const server = Number((await readFile(pidFile, 'utf8')).trim());
    const t0 = Date.now();
    await child.stop(500);
    while (alive(server) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(server), false, `pid ${server} survived stop()`);
  });
});
