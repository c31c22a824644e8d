import { z } from 'zod';
import { InputError } from '../model/index.js';

/**
 * The raw file the OS sampler writes per run (`raw/<run-id>/os.json`) and its reader. CPU seconds are
 * counted from the sampler's "before" reading to its "after" reading; memory is the whole service
 * (process tree or cgroup). Written by src/trial/os, read here so analysis works from the trial folder alone.
 */
export const OS_RAW_SCHEMA = 'hotswap.os/1';

export const CPU_METHODS = ['cgroup-cpuacct', 'cgroup-cpu.stat', 'proc-schedstat', 'proc-stat'] as const;
export const PEAK_METHODS = ['watermark-run', 'watermark-start', 'samples'] as const;

const osSample = z.object({ tMs: z.number(), cpuSeconds: z.number(), rssBytes: z.number() });

export const osRawSchema = z.object({
  schema: z.literal(OS_RAW_SCHEMA),
  pid: z.number().int(),
  /** Where each figure came from: a cgroup hotswap created for the service, or /proc of its process tree. */
  sources: z.object({ cpu: z.enum(['cgroup', 'proc']), memory: z.enum(['cgroup', 'proc']) }),
  cpuMethod: z.enum(CPU_METHODS),
  /** Seconds per unit of the CPU counter used (1e-9 ns, 1e-6 µs, 0.01 ticks). */
  resolutionSeconds: z.number(),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  /** CPU (user + system) of the whole service between the before and after readings. */
  cpuSeconds: z.number(),
  /** Median memory of the samples during the run (bytes); cgroup memory includes the group's page cache. */
  rssBytesSteady: z.number().optional(),
  /** Largest memory during the run (bytes), see peakMethod. */
  rssBytesPeak: z.number().optional(),
  /** watermark-run: the kernel's high-water mark reset at the before reading; -start: since the service started. */
  peakMethod: z.enum(PEAK_METHODS),
  /** With /proc: both CPU figures, so a reader can see what the choice was between. */
  proc: z.object({ schedstatSeconds: z.number(), ticksSeconds: z.number() }).optional(),
  /** The group's own (charged) memory when memory came from /proc although the group counts it too. */
  cgroupMemory: z.object({ steadyBytes: z.number(), peakBytes: z.number().optional() }).optional(),
  samples: z.array(osSample),
  notes: z.array(z.string()),
});

export type OsRaw = z.infer<typeof osRawSchema>;
export type OsSampleRecord = z.infer<typeof osSample>;

/** Parses one os.json text; throws an InputError (exit 2) naming the file and the first bad field. */
export const parseOsRaw = (text: string, file: string): OsRaw => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not JSON (${(err as Error).message})`);
  }
  const r = osRawSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
};
