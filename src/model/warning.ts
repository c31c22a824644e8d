import type { z } from 'zod';
import type { warningSchema } from './schema-kit.js';

/**
 * A caveat attached to the figure it qualifies, `{ code, message, hint? }`: derived from its schema
 * (schema-kit.ts `warningSchema`, where the fields are described), which manifest.json and report.json
 * both use. Every caveat is an entry of WARNINGS (warnings.ts) and is made by `warning(code, params)`.
 */
export type Warning = z.output<typeof warningSchema>;
