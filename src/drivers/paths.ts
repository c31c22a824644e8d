import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root: src/drivers and dist/drivers both sit two levels below it. */
export const packageRoot = (): string => fileURLToPath(new URL('../../', import.meta.url));

/** The k6 scenarios folder shipped with hotswap. */
export const scenariosDir = (): string => fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** k6: $HOTSWAP_K6, else the pinned build from `npm run setup` (.tools/bin/k6), else k6 on the PATH. */
export const k6Binary = (env: Record<string, string | undefined> = process.env): string => {
  if (env.HOTSWAP_K6) return env.HOTSWAP_K6;
  const local = fileURLToPath(new URL('../../.tools/bin/k6', import.meta.url));
  return existsSync(local) ? local : 'k6';
};
