import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { serviceArgs } from '../../src/cli/service.js';

describe('hotswap service', () => {
  it('maps the flags onto the service command line, on loopback only', () => {
    assert.deepEqual(
      serviceArgs({ config: 'rust', port: '9000', impl: 'go', rustShare: '25', adminToken: 't' }).args,
      ['-addr', '127.0.0.1:9000', '-impl', 'go', '-rust-share', '25', '-admin-token', 't'],
    );
  });

  it('maps the pprof, fault-injection and shadow flags, and passes flags after -- through', () => {
    assert.deepEqual(
      serviceArgs({
        config: 'rust',
        port: '0',
        pprofPort: '0',
        allowFaultInjection: true,
        shadowPercent: '10',
        serviceFlags: ['-breaker-open-for', '5s'],
      }).args,
      [
        '-addr',
        '127.0.0.1:0',
        '-pprof-addr',
        '127.0.0.1:0',
        '-allow-fault-injection',
        '-shadow-percent',
        '10',
        '-breaker-open-for',
        '5s',
      ],
    );
  });

  it('exits 2 naming the flag for a bad config, port or share', async () => {
    for (const [argv, flag] of [
      [['service', '--config', 'java'], '--config'],
      [['service', '--config', 'rust', '--port', '70000'], '--port'],
      [['service', '--config', 'rust', '--rust-share', '101'], '--rust-share'],
      [['service', '--config', 'baseline', '--impl', 'rust'], '--impl'],
      [['service', '--config', 'rust', '--pprof-port', 'x'], '--pprof-port'],
      [['service', '--config', 'rust', '--shadow-percent', '200'], '--shadow-percent'],
      [['service', '--config', 'baseline', '--shadow-percent', '5'], '--shadow-percent'],
    ] as const) {
      const io = memoryIo();
      assert.equal(await main([...argv], io), 2, argv.join(' '));
      assert.match(io.err(), new RegExp(`^hotswap: ${flag}`), argv.join(' '));
    }
  });

  it('exits 3 with "run npm run setup" when the binary is not built', async () => {
    const io = memoryIo({ env: { HOTSWAP_BIN_DIR: '/nonexistent/bin' } });
    assert.equal(await main(['service', '--config', 'baseline', '--port', '0'], io), 3);
    assert.match(io.err(), /hotswap-service-baseline is not built; run `npm run setup`/);
  });

  it('runs the real service in the foreground and stops cleanly (exit 0) when interrupted', async () => {
    const controller = new AbortController();
    const io = memoryIo({ signal: controller.signal });
    const done = main(['service', '--config', 'rust', '--port', '0'], io);
    let url = '';
    for (let i = 0; i < 200 && !url; i++) {
      await new Promise((r) => setTimeout(r, 50));
      url = /listening on (127\.0\.0\.1:\d+)/.exec(io.out())?.[1] ?? '';
    }
    assert.ok(url, `no port printed; stderr: ${io.err()}`);
    const res = await fetch(`http://${url}/healthz`);
    assert.equal(await res.text(), 'ok');
    controller.abort();
    assert.equal(await done, 0);
    assert.match(io.err(), /draining/);
  });
});
