import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

/**
 * Parses a Linux CPU list ("0-3,8,10-11", as in /proc/self/status `Cpus_allowed_list` and cpuset files;
 * see cpuset(7), "List format") into sorted, distinct CPU numbers. Undefined when the text is not one.
 */
export const parseCpuList = (text: string): number[] | undefined => {
  const t = text.trim();
  if (!t) return undefined;
  const out = new Set<number>();
  for (const part of t.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    const stride = m[3] === undefined ? 1 : Number(m[3]);
    if (hi < lo || stride < 1) return undefined;
    for (let c = lo; c <= hi; c += stride) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
};

/** The `Cpus_allowed_list` line of a /proc/<pid>/status text, parsed. */
export const allowedFromStatus = (status: string): number[] | undefined => {
  const line = /^Cpus_allowed_list:\s*(.*)$/m.exec(status)?.[1];
  return line === undefined ? undefined : parseCpuList(line);
};

/**
 * The CPUs this process may run on (a container or taskset may allow e.g. only 2 and 3, where pinning to
 * 0 and 1 would make taskset fail). Falls back to 0..availableParallelism()-1 off Linux.
 */
export const allowedCpus = async (): Promise<number[]> => {
  try {
    const cpus = allowedFromStatus(await readFile('/proc/self/status', 'utf8'));
    if (cpus?.length) return cpus;
  } catch {
    // not Linux
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
};

/** Service on the first allowed CPU, generator on the second; no pinning with fewer than two. */
export const pinPlan = (allowed: number[]): { service?: number; generator?: number } => {
  const [service, generator] = allowed;
  return service !== undefined && generator !== undefined ? { service, generator } : {};
};
