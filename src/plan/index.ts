/** Reading and validating plan files (pure: the caller reads the text). */
export { parsePlan, formatPath, describeIssue, isLoopbackUrl } from './validation.js';
export { planSchema } from './schema.js';
export { checkTargets, planTargets, healthUrlOf, type Target } from './targets.js';
