/**
 * docker-compose.yml and the Dockerfiles it builds. No Docker engine runs here, so the file is validated
 * by Compose itself (`docker-compose config`, Debian's docker-compose package) when it is installed, and
 * the structure every user relies on is checked from the parsed config either way: both arms, the same
 * limits, health checks, profiles, mounts, loopback-only ports, and Dockerfile stages that build what
 * the compose file asks for from paths that exist.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parsePlan } from '../../src/plan/index.js';
import {
  ROOT,
  asRecord,
  at,
  loadYaml,
  parseYaml,
  readText,
  runTool,
  serviceBinary,
  startService,
} from './helpers.js';

// HOTSWAP_TEST_NO_COMPOSE=1 exercises the fallback below on a machine that has docker-compose.
const compose = process.env.HOTSWAP_TEST_NO_COMPOSE === '1' ? null : runTool('docker-compose', ['version']);
const COMPOSE_MISSING = compose === null || compose.status !== 0;

/** Compose's `${VAR:-default}` / `${VAR}` interpolation, for the fallback that reads the YAML directly. */
const interpolate = (value: unknown): unknown => {
  if (typeof value === 'string')
    return value.replace(
      /\$\{(\w+)(?::-([^}]*))?\}/g,
      (_, name: string, def?: string) => process.env[name] || (def ?? ''),
    );
  if (Array.isArray(value)) return value.map(interpolate);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]));
  return value;
};
if (COMPOSE_MISSING) {
  console.log(
    '# docker-compose is not installed: `docker-compose config` checks are skipped (install: apt-get install docker-compose); structure is still checked from the YAML',
  );
}

/** The config Compose would run: its own normalised output when available, else the file with merges resolved. */
const configs = new Map<string, Record<string, unknown>>();
const loadConfig = (profiles: string[] = []): Record<string, unknown> => {
  if (COMPOSE_MISSING) return asRecord(interpolate(loadYaml('docker-compose.yml')));
  const key = profiles.join(',');
  const cached = configs.get(key);
  if (cached) return cached;
  const args = [...profiles.flatMap((p) => ['--profile', p]), 'config'];
  const r = runTool('docker-compose', args)!;
  assert.equal(r.status, 0, `docker-compose config failed: ${r.stderr}`);
  const config = asRecord(parseYaml(r.stdout, 'docker-compose config output'));
  configs.set(key, config);
  return config;
};

/** True when `path` exists; a trailing glob (`service/go.*`) must match at least one file. */
const existsInRepo = (path: string): boolean => {
  const star = path.indexOf('*');
  if (star < 0) return existsSync(join(ROOT, path));
  const dir = path.slice(0, path.lastIndexOf('/', star) + 1);
  const prefix = path.slice(dir.length, star);
  return existsSync(join(ROOT, dir)) && readdirSync(join(ROOT, dir)).some((f) => f.startsWith(prefix));
};

const services = (config: Record<string, unknown>): Record<string, Record<string, unknown>> =>
  asRecord(config.services) as Record<string, Record<string, unknown>>;

/** Dockerfile stages by name: `FROM image AS name` up to the next FROM. */
const stages = (dockerfile: string): Map<string, { image: string; body: string }> => {
  const out = new Map<string, { image: string; body: string }>();
  const parts = readText(dockerfile)
    .split(/^FROM\s+/m)
    .slice(1);
  for (const part of parts) {
    const [head = '', ...rest] = part.split('\n');
    const m = /^(\S+)\s+AS\s+(\S+)/i.exec(head.trim());
    if (m) out.set(m[2]!, { image: m[1]!, body: rest.join('\n') });
  }
  return out;
};

const ARMS = ['baseline', 'rust'] as const;

describe('docker-compose.yml', () => {
  it(
    'is accepted by docker-compose config, with the profiles load and metrics',
    { skip: COMPOSE_MISSING ? 'docker-compose is not installed (apt-get install docker-compose)' : false },
    () => {
      const r = runTool('docker-compose', ['config', '--quiet'])!;
      assert.equal(r.status, 0, r.stderr);
      const profiles = runTool('docker-compose', ['config', '--profiles'])!;
      assert.deepEqual(profiles.stdout.trim().split('\n').sort(), ['load', 'metrics']);
    },
  );

  it('starts only the two service arms by default; the runner and Prometheus need their profile', () => {
    const all = services(loadConfig(['load', 'metrics']));
    assert.deepEqual(Object.keys(all).sort(), ['baseline', 'prometheus', 'runner', 'rust']);
    const byDefault = Object.entries(all)
      .filter(([, s]) => s.profiles === undefined)
      .map(([n]) => n);
    assert.deepEqual(byDefault.sort(), ['baseline', 'rust']);
    assert.deepEqual(all.runner!.profiles, ['load']);
    assert.deepEqual(all.prometheus!.profiles, ['metrics']);
  });

  it('builds each arm from the multi-stage service Dockerfile, target baseline and target rust', () => {
    const s = services(loadConfig(['load', 'metrics']));
    for (const arm of ARMS) {
      const build = asRecord(s[arm]!.build);
      assert.match(String(build.dockerfile), /deploy\/docker\/service\.Dockerfile$/);
      assert.equal(build.target, arm);
      assert.equal(s[arm]!.image, `hotswap-service:${arm}`);
    }
    assert.equal(at(s.baseline, 'environment', 'HOTSWAP_IMPL'), 'go');
    assert.equal(at(s.rust, 'environment', 'HOTSWAP_IMPL'), 'rust');
  });

  it('gives both arms the same CPU and memory limits (and one core each), so they are comparable', () => {
    const s = services(loadConfig(['load', 'metrics']));
    const limits = ARMS.map((arm) => asRecord(at(s[arm], 'deploy', 'resources', 'limits')));
    assert.ok(Number(limits[0]!.cpus) > 0, 'a CPU limit');
    assert.match(String(limits[0]!.memory), /^\d+[MG]$/, 'a memory limit');
    assert.deepEqual(limits[0], limits[1]);
    for (const arm of ARMS) assert.equal(String(at(s[arm], 'environment', 'GOMAXPROCS')), '1');
  });

  it('health-checks both arms on /healthz with the probe binary the images carry', () => {
    const s = services(loadConfig(['load', 'metrics']));
    const st = stages('deploy/docker/service.Dockerfile');
    for (const arm of ARMS) {
      const test = at(s[arm], 'healthcheck', 'test') as string[];
      assert.equal(test[0], 'CMD');
      assert.match(test.join(' '), /\/usr\/local\/bin\/healthcheck http:\/\/127\.0\.0\.1:8080\/healthz/);
      assert.match(
        st.get(arm)!.body,
        /COPY --from=healthcheck \/out\/healthcheck \/usr\/local\/bin\/healthcheck/,
      );
    }
  });

  it('publishes the arms on loopback only (127.0.0.1:8081 and :8082)', () => {
    const s = services(loadConfig(['load', 'metrics']));
    const published = Object.values(s).flatMap((svc) => (svc.ports as unknown[] | undefined) ?? []);
    assert.ok(published.length >= 2);
    for (const p of published)
      assert.match(String(p), /^127\.0\.0\.1:\d+:\d+/, `port ${String(p)} is loopback-bound`);
    assert.match(String((s.baseline!.ports as unknown[])[0]), /^127\.0\.0\.1:8081:8080/);
    assert.match(String((s.rust!.ports as unknown[])[0]), /^127\.0\.0\.1:8082:8080/);
  });

  it('runs the load runner after both arms are healthy, with scenarios mounted read-only and the trial folder writable', () => {
    const runner = services(loadConfig(['load', 'metrics'])).runner!;
    for (const arm of ARMS) assert.equal(at(runner, 'depends_on', arm, 'condition'), 'service_healthy');
    const volumes = (runner.volumes as string[]).map(String);
    const mount = (target: string): string | undefined => volumes.find((v) => v.split(':')[1] === target);
    assert.match(mount('/app/scenarios') ?? '', /scenarios:\/app\/scenarios:ro$/);
    assert.match(mount('/app/reports') ?? '', /reports:\/app\/reports(:rw)?$/);
    assert.match(mount('/app/deploy/compose') ?? '', /:ro$/);
    const command = (runner.command as string[]).join(' ');
    assert.match(command, /^trial --plan \S+ --allow-remote$/);
    assert.match(String(at(runner, 'build', 'dockerfile')), /deploy\/docker\/runner\.Dockerfile$/);
  });

  it('runs a hotswap command that accepts every flag the runner passes', async (t) => {
    const runner = services(loadConfig(['load', 'metrics'])).runner!;
    const [command = '', ...args] = (runner.command as string[]).map(String);
    const io = memoryIo();
    const code = await main([command, '--help'], io);
    // An unregistered command falls through to the top-level help (commander), which starts differently.
    if (!io.out().startsWith(`Usage: hotswap ${command} `)) {
      t.skip(`hotswap ${command} is not registered yet (src/cli/commands.ts)`);
      return;
    }
    assert.equal(code, 0, io.err());
    for (const flag of args.filter((a) => a.startsWith('--')))
      assert.match(io.out(), new RegExp(`${flag}\\b`), `${command} --help lists ${flag}`);
  });

  it('points Prometheus at both arms through a mounted config', () => {
    const prom = services(loadConfig(['load', 'metrics'])).prometheus!;
    const volumes = (prom.volumes as string[]).map(String);
    assert.ok(
      volumes.some((v) =>
        /deploy\/prometheus\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml:ro$/.test(v),
      ),
    );
    const cfg = loadYaml('deploy/prometheus/prometheus.yml');
    const targets = (at(cfg, 'scrape_configs', 0, 'static_configs') as { targets: string[] }[]).flatMap(
      (c) => c.targets,
    );
    assert.deepEqual(targets.sort(), ['baseline:8080', 'rust:8080']);
    assert.equal(at(cfg, 'scrape_configs', 0, 'metrics_path'), '/metrics');
  });

  it('ships a compose plan that validates and targets the compose services by name', () => {
    const s = services(loadConfig(['load', 'metrics']));
    const plan = parsePlan(readText('deploy/compose/plan.yaml'), 'deploy/compose/plan.yaml');
    const hosts = [plan.configurations.baseline, plan.configurations.candidate].map((c) => {
      assert.equal(c.kind, 'url');
      return 'url' in c ? new URL(c.url).host : '';
    });
    assert.deepEqual(hosts, ['baseline:8080', 'rust:8080']);
    for (const h of hosts) assert.ok(h.split(':')[0]! in s, `${h} is a compose service`);
    assert.equal(plan.pinCpus, false, 'containers are limited by cgroups, not pinned with taskset');
  });
});

describe('deploy/docker/service.Dockerfile', () => {
  const st = stages('deploy/docker/service.Dockerfile');

  it('builds the Rust crate first, then the Go binaries: baseline with CGO_ENABLED=0, rust with cgo and the crate', () => {
    assert.match(st.get('hotspot')!.image, /^rust:/);
    assert.match(
      st.get('hotspot')!.body,
      /cargo rustc --release --lib --locked -- --print native-static-libs/,
    );
    const baseline = st.get('build-baseline')!.body;
    assert.match(baseline, /CGO_ENABLED=0 go build/);
    assert.doesNotMatch(baseline, /rusthotspot/);
    const rust = st.get('build-rust')!.body;
    assert.match(rust, /COPY --from=hotspot /);
    assert.match(rust, /CGO_ENABLED=1/);
    assert.match(rust, /-tags rusthotspot/);
    assert.match(rust, /libhotspot\.a/);
  });

  it('ends in minimal runtime images that run as a non-root user', () => {
    for (const arm of ARMS) {
      const stage = st.get(arm)!;
      assert.match(stage.image, /^gcr\.io\/distroless\//);
      const user = /^USER\s+(\S+)/m.exec(stage.body)?.[1] ?? '';
      assert.ok(user && !/^(0|root)(:|$)/.test(user), `${arm} runs as ${user || 'root (no USER)'}`);
      assert.match(stage.body, /^ENTRYPOINT \["\/usr\/local\/bin\/hotswap-service"\]/m);
    }
    assert.match(st.get('baseline')!.image, /static/, 'the pure-Go binary needs no libc');
  });

  it('copies only paths that exist in the repository', () => {
    const text = readText('deploy/docker/service.Dockerfile');
    const sources = [...text.matchAll(/^COPY (?!--from)(\S+)/gm)].map((m) => m[1]!);
    assert.ok(sources.length >= 3);
    for (const src of sources) assert.ok(existsInRepo(src), `${src} exists`);
    assert.ok(existsSync(join(ROOT, 'service/cmd/hotswap-service')), 'the Go main package the build names');
  });

  it('copies into the crate stage every file the crate includes from outside its folder', () => {
    const stage = st.get('hotspot')!.body;
    const srcDir = join(ROOT, 'service/hotspot/src');
    const included = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.rs'))
      .flatMap((f) => {
        const text = readFileSync(join(srcDir, f), 'utf8');
        return [...text.matchAll(/include_(?:str|bytes)!\("([^"]+)"\)/g)].map((m) =>
          relative(ROOT, resolve(dirname(join(srcDir, f)), m[1]!)),
        );
      })
      .filter((p) => !p.startsWith('service/hotspot/'));
    for (const p of included)
      assert.match(
        stage,
        new RegExp(`^COPY ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'),
        `${p} is copied`,
      );
  });

  it('names the build tag the service uses for its Rust hotspot', () => {
    const goFiles = readdirSync(join(ROOT, 'service'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.go'),
    );
    const tagged = goFiles.filter((f) =>
      /^\/\/go:build .*\brusthotspot\b/m.test(readFileSync(join(ROOT, 'service', f), 'utf8')),
    );
    assert.ok(tagged.length > 0, 'some service Go file is built only with -tags rusthotspot');
  });
});

describe('deploy/docker/runner.Dockerfile', () => {
  it('builds the pinned k6 from tools/k6 and runs hotswap as the non-root node user', () => {
    const st = stages('deploy/docker/runner.Dockerfile');
    assert.match(st.get('k6')!.body, /COPY tools\/k6\//);
    assert.match(st.get('k6')!.body, /go build .*go\.k6\.io\/k6\/v2/);
    const runner = st.get('runner')!.body;
    assert.match(runner, /COPY --from=k6 \/out\/k6 /);
    assert.match(runner, /^USER node$/m);
    assert.match(runner, /^ENTRYPOINT \["node", "\/app\/bin\/hotswap\.js"\]/m);
  });
});

describe('the compose service definitions against the real service binaries', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hotswap-hc-'));
  const probe = join(tmp, 'healthcheck');
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('keeps the health probe gofmt-clean and go vet-clean', () => {
    const cwd = join(ROOT, 'deploy/docker/healthcheck');
    const fmt = spawnSync('gofmt', ['-l', '.'], { cwd, encoding: 'utf8' });
    assert.equal(fmt.status, 0, fmt.stderr);
    assert.equal(fmt.stdout, '', `gofmt would change: ${fmt.stdout}`);
    const vet = spawnSync('go', ['vet', './...'], { cwd, encoding: 'utf8' });
    assert.equal(vet.status, 0, vet.stderr);
  });

  it('builds the health probe as a static Go binary', () => {
    const r = spawnSync('go', ['build', '-trimpath', '-o', probe, '.'], {
      cwd: join(ROOT, 'deploy/docker/healthcheck'),
      env: { ...process.env, CGO_ENABLED: '0' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    // distroless/static has no libc: the probe must not ask for a dynamic loader.
    const ldd = runTool('ldd', [probe]);
    if (ldd) assert.match(ldd.stdout + ldd.stderr, /not a dynamic executable|statically linked/);
  });

  for (const arm of ARMS) {
    const bin = serviceBinary(arm);
    it(
      `${arm}: starts with the compose environment and command, and the probe passes on /healthz and fails elsewhere`,
      { skip: bin.skip },
      async () => {
        const svc = services(loadConfig(['load', 'metrics']))[arm]!;
        const env = Object.fromEntries(
          Object.entries(asRecord(svc.environment)).map(([k, v]) => [k, String(v)]),
        );
        env.HOTSWAP_ADDR = '127.0.0.1:0'; // the container listens on 0.0.0.0:8080; here loopback only
        const args = (svc.command as unknown[]).map(String);
        const service = await startService(bin.path, args, env);
        try {
          const ok = spawnSync(probe, [`${service.url}/healthz`], { encoding: 'utf8' });
          assert.equal(ok.status, 0, ok.stderr);
          assert.match(ok.stdout, /HTTP 200/);
          const missing = spawnSync(probe, [`${service.url}/no-such-path`], { encoding: 'utf8' });
          assert.equal(missing.status, 1);
          assert.match(missing.stderr, /HTTP 404/);
          const res = await fetch(`${service.url}/v1/orders/7`);
          assert.equal(res.status, 200);
          assert.equal(
            res.headers.get('x-hotspot-impl'),
            env.HOTSWAP_IMPL,
            'the arm serves with the configured implementation',
          );
        } finally {
          assert.equal(await service.stop(), 0, 'SIGTERM (docker stop) drains and exits 0');
        }
        const closed = spawnSync(probe, [`${service.url}/healthz`], { encoding: 'utf8' });
        assert.equal(closed.status, 1, 'the probe fails once the service is gone');
      },
    );
  }
});

describe('the compose runner’s command, end to end against the two real arms on 127.0.0.1', () => {
  const bins = ARMS.map((arm) => serviceBinary(arm));
  const skip = bins.find((b) => b.skip)?.skip ?? false;
  const tmp = mkdtempSync(join(tmpdir(), 'hotswap-compose-run-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it(
    'gathers, analyses and reports a trial from deploy/compose/plan.yaml (hosts → loopback, load shortened)',
    { skip },
    async () => {
      const stops: (() => Promise<number | null>)[] = [];
      try {
        const urls: string[] = [];
        for (const b of bins) {
          const svc = await startService(b.path, ['-downstream-ms', '20'], { HOTSWAP_ADDR: '127.0.0.1:0' });
          stops.push(svc.stop);
          urls.push(svc.url);
        }
        // The compose plan as the runner reads it, but with the compose host names replaced by the local
        // arms and a short load, so the runner's exact command line runs here.
        const plan = asRecord(loadYaml('deploy/compose/plan.yaml'));
        const configs = asRecord(plan.configurations);
        for (const [i, role] of (['baseline', 'candidate'] as const).entries()) {
          const c = asRecord(configs[role]);
          const host = new URL(String(c.url)).origin;
          c.url = String(c.url).replace(host, urls[i]!);
          c.metricsUrl = String(c.metricsUrl).replace(host, urls[i]!);
        }
        plan.phases = [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 3 }];
        plan.repetitions = 1;
        plan.warmupSeconds = 1;
        plan.corpus = { count: 200, mix: { scan: 30, fields: 40, orders: 30 }, messyShare: 0 };
        const planFile = join(tmp, 'plan.json');
        writeFileSync(planFile, JSON.stringify(plan));
        const runner = services(loadConfig(['load', 'metrics'])).runner!;
        const argv = (runner.command as string[]).map((a) =>
          a.endsWith('plan.yaml') ? planFile : String(a),
        );
        const io = memoryIo();
        const code = await main([...argv, '--out', join(tmp, 'reports')], io);
        assert.ok([0, 1, 4].includes(code), `exit ${code}: ${io.err().slice(-800)}`);
        const [trial] = readdirSync(join(tmp, 'reports'));
        const files = readdirSync(join(tmp, 'reports', trial!));
        for (const f of ['plan.json', 'manifest.json', 'report.json', 'report.html', 'report.md'])
          assert.ok(files.includes(f), `${f} written`);
        const manifest = JSON.parse(readFileSync(join(tmp, 'reports', trial!, 'manifest.json'), 'utf8')) as {
          runs: { role: string; status: string }[];
        };
        assert.deepEqual(
          manifest.runs.map((r) => [r.role, r.status]),
          [
            ['baseline', 'ok'],
            ['candidate', 'ok'],
          ],
        );
      } finally {
        for (const stop of stops) await stop();
      }
    },
  );
});
