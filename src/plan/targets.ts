import { InputError, excerpt, printable, type ConfigurationSpec, type Plan } from '../model/index.js';
import { isLoopbackUrl } from './validation.js';

/**
 * Every URL a trial will request of a configuration, after joining, in one list: the one place the
 * loopback rule is checked (load goes to 127.0.0.1 only unless --allow-remote). Joining matters:
 * `new URL('//evil.invalid/healthz', 'http://127.0.0.1:8080')` is another host, so a path is checked
 * as the URL it becomes, never as the text the plan wrote.
 */
export interface Target {
  /** The plan field the URL comes from, e.g. `configurations.baseline.healthPath`. */
  field: string;
  url: string;
}

/** The health URL of a command or url configuration: `healthPath` joined onto `url`. */
export const healthUrlOf = (spec: { url: string; healthPath: string }): string =>
  new URL(spec.healthPath, spec.url).toString();

const trimmed = (url: string): string => url.replace(/\/+$/, '');

/** The URLs of one configuration: base, metrics, health, and the admin and profile URLs under the base. */
export const configurationTargets = (spec: ConfigurationSpec, prefix: string): Target[] => {
  if (spec.kind === 'reference') return []; // started by hotswap on 127.0.0.1:0, its own address
  const out: Target[] = [
    { field: `${prefix}.url`, url: spec.url },
    { field: `${prefix}.healthPath`, url: healthUrlOf(spec) },
    { field: `${prefix}.url (admin)`, url: `${trimmed(spec.url)}/admin/hotspot` },
    { field: `${prefix}.url (profile)`, url: `${trimmed(spec.url)}/debug/pprof/` },
  ];
  if (spec.metricsUrl) out.push({ field: `${prefix}.metricsUrl`, url: spec.metricsUrl });
  return out;
};

export const planTargets = (plan: Plan): Target[] =>
  (['baseline', 'candidate'] as const).flatMap((role) =>
    configurationTargets(plan.configurations[role], `configurations.${role}`),
  );

/**
 * Refuses any target that is not loopback (unless `allowRemote`), and any joined URL whose origin is
 * not its base's (a `healthPath` of `//host/…` or `http://…`), before any request is sent.
 */
export const checkTargets = (plan: Plan, planFile: string, allowRemote = false): void => {
  for (const role of ['baseline', 'candidate'] as const) {
    const spec = plan.configurations[role];
    if (spec.kind === 'reference') continue;
    let health: URL;
    try {
      health = new URL(healthUrlOf(spec));
    } catch {
      throw new InputError(
        `${planFile}: configurations.${role}.healthPath: not a path: ${excerpt(spec.healthPath)}`,
      );
    }
    if (health.origin !== new URL(spec.url).origin)
      throw new InputError(
        `${planFile}: configurations.${role}.healthPath: ${excerpt(spec.healthPath)} leads to ${excerpt(health.origin)}, not to the service's own ${excerpt(new URL(spec.url).origin)}; write a path such as /healthz`,
      );
  }
  if (allowRemote) return;
  for (const t of planTargets(plan))
    if (!isLoopbackUrl(t.url))
      throw new InputError(
        `${planFile}: ${t.field}: ${printable(t.url.slice(0, 200))} is not a loopback address; hotswap sends load to 127.0.0.1 only unless run with --allow-remote`,
      );
};
