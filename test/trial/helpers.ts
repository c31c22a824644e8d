import type { Plan } from '../../src/model/index.js';
import { testPlan } from '../helpers/plan.js';

/** A free-ish loopback port for a stand-in with a fixed URL (plan kind: command). */
export const randomPort = (): number => 20000 + Math.floor(Math.random() * 20000);

/** A small plan whose two configurations are the node stand-in service (test/fixtures/load). */
export const standInPlan = (
  port: number,
  extra: { baselineArgs?: string[]; candidateArgs?: string[]; tag?: string } = {},
): Plan => {
  const cmd = (args: string[]) => [
    process.execPath,
    'test/fixtures/load/stand-in-service.mjs',
    '-addr',
    `127.0.0.1:${port}`,
    ...args,
    ...(extra.tag ? ['-tag', extra.tag] : []),
  ];
  return testPlan({
    name: 'stand-in',
    seed: 3,
    configurations: {
      baseline: {
        kind: 'command',
        name: 'go',
        command: cmd(['-impl', 'go', ...(extra.baselineArgs ?? [])]),
        url: `http://127.0.0.1:${port}`,
        metricsUrl: `http://127.0.0.1:${port}/metrics`,
      },
      candidate: {
        kind: 'command',
        name: 'rust',
        command: cmd(['-impl', 'rust', ...(extra.candidateArgs ?? [])]),
        url: `http://127.0.0.1:${port}`,
        metricsUrl: `http://127.0.0.1:${port}/metrics`,
      },
    },
    phases: [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 30, durationSeconds: 2 }],
    repetitions: 2,
    warmupSeconds: 1,
    corpus: { count: 100 },
    slo: { quantile: 0.99, latencyMs: 200, maxErrorRate: 0.01 },
    capacity: { peakRps: 100 },
  });
};
