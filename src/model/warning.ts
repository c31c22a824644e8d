import type { WarningCode } from './warnings.js';

/**
 * A caveat attached to the figure it qualifies (benchmath's habit): the report prints it beside that
 * figure, not in a pile at the end. `code` is stable for machines; `message` says what is wrong;
 * `hint` says what to do about it. Every caveat is an entry of WARNINGS (warnings.ts) and is made by
 * `warning(code, params)`.
 */
export interface Warning {
  /** Stable kebab-case identifier, e.g. `few-runs`, `generator-limited`, `truncated-line`. */
  code: WarningCode;
  message: string;
  hint?: string;
}
