import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessSnapshot, TreeSnapshot } from './account.js';
import { parseChildren, parseProcStat, parseSchedstatNs, parseStatusMemory } from './parse.js';

/**
 * The thin I/O layer over /proc: reads one snapshot of a process and all its descendants. A process or
 * thread that exits while it is being read is skipped (its files vanish mid-read); that is the normal
 * race of reading /proc, not an error. `procRoot` is /proc, or a recorded copy in the tests.
 */

const readOr = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
};

const listOr = async (dir: string): Promise<string[]> => {
  try {
    return (await readdir(dir)).filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
};

/** Direct children of a process: the union of its threads' `children` files (needs CONFIG_PROC_CHILDREN). */
const childrenOf = async (procRoot: string, pid: number, tids: string[]): Promise<number[]> => {
  const out = new Set<number>();
  for (const tid of tids) {
    const text = await readOr(join(procRoot, String(pid), 'task', tid, 'children'));
    for (const c of parseChildren(text ?? '')) out.add(c);
  }
  return [...out];
};

const readProcess = async (
  procRoot: string,
  pid: number,
): Promise<{ snap: ProcessSnapshot; tids: string[] } | undefined> => {
  const dir = join(procRoot, String(pid));
  const stat = parseProcStat((await readOr(join(dir, 'stat'))) ?? '');
  if (!stat) return undefined;
  const memory = parseStatusMemory((await readOr(join(dir, 'status'))) ?? '');
  const tids = await listOr(join(dir, 'task'));
  const threadNs: Record<number, number> = {};
  for (const tid of tids) {
    const ns = parseSchedstatNs((await readOr(join(dir, 'task', tid, 'schedstat'))) ?? '');
    if (ns !== undefined) threadNs[Number(tid)] = ns;
  }
  return {
    tids,
    snap: {
      pid,
      startTicks: stat.startTicks,
      ownTicks: stat.utimeTicks + stat.stimeTicks,
      childTicks: stat.cutimeTicks + stat.cstimeTicks,
      ...(memory ? { rssBytes: memory.rssBytes, hwmBytes: memory.hwmBytes } : {}),
      threadNs,
    },
  };
};

/** One snapshot of `rootPid` and every descendant, breadth first. `nowMs` stamps it (Date.now by default). */
export const readProcTree = async (
  rootPid: number,
  opts: { procRoot?: string; nowMs?: () => number } = {},
): Promise<TreeSnapshot> => {
  const procRoot = opts.procRoot ?? '/proc';
  const tMs = (opts.nowMs ?? Date.now)();
  const processes: ProcessSnapshot[] = [];
  const seen = new Set<number>();
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const read = await readProcess(procRoot, pid);
    if (!read) continue;
    processes.push(read.snap);
    queue.push(...(await childrenOf(procRoot, pid, read.tids)));
  }
  return { tMs, processes };
};

/**
 * Resets the peak RSS (VmHWM) of each process to its current RSS (`echo 5 > /proc/<pid>/clear_refs`,
 * proc(5), Linux 4.0+), so the peak read after the run is the run's own. False when any reset failed
 * (not our process, or not permitted): the peak then reaches back to the process's start.
 */
export const resetPeakRss = async (pids: number[], procRoot = '/proc'): Promise<boolean> => {
  let ok = true;
  for (const pid of pids) {
    try {
      await writeFile(join(procRoot, String(pid), 'clear_refs'), '5');
    } catch {
      ok = false;
    }
  }
  return ok;
};
