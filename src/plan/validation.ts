import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError, describeZodIssue, excerpt, printable, safeKey, type Plan } from '../model/index.js';
import { planSchema } from './schema.js';

/**
 * Plan text (YAML or JSON: YAML 1.2 is a superset of JSON, so one parser reads both) → a validated `Plan`
 * with defaults filled in. Pure: the caller reads the file. Every error is one line that names the file,
 * the field as a path (`passLines[2].maxChange`) and, for YAML/JSON with a known position, the line:
 * `plans/x.yaml: passLines[2].maxChange: expected a number, got "ten" (line 14)`.
 */
export const parsePlan = (text: string, file: string): Plan => {
  const lines = new LineCounter();
  // logLevel 'error': yaml's own warnings (a collection used as a key…) would reach stderr as Node process
  // warnings; the schema check below names such a key as the unknown field it is.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
    logLevel: 'error',
  });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    const where = at ? `:${at.line}` : '';
    const msg = (syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(`${file}${where}: not valid YAML/JSON: ${printable(msg)}`);
  }
  let value: unknown;
  try {
    // yaml bounds alias expansion (maxAliasCount) and throws when a document exceeds it.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new InputError(
      /alias/i.test(msg)
        ? `${file}: too many YAML alias expansions (more than 100; an alias bomb?)`
        : `${file}: not valid YAML/JSON: ${excerpt(msg, 80)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}: expected a plan object at the top level (see plans/ for examples)`);
  }
  const result = planSchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  // A misspelt field also makes the right one "missing": name the misspelling first, it is the cause.
  const issues = [...result.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const first = issues[0] as z.core.$ZodIssue;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const line = lineOf(
    doc,
    lines,
    first.code === 'unrecognized_keys' ? [...first.path, first.keys[0] ?? ''] : first.path,
  );
  throw new InputError(`${file}: ${printable(describeIssue(first))}${line ? ` (line ${line})` : ''}${more}`);
};

/** `['passLines', 2, 'maxChange']` → `passLines[2].maxChange`. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, key) =>
      typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${safeKey(key)}` : safeKey(key),
    '',
  );

const ARTICLE: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  object: 'an object (a mapping)',
  array: 'a list',
  boolean: 'true or false',
  record: 'a mapping',
};

const show = (x: unknown): string => {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'an object';
  const s = excerpt(x, Infinity);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

/** One issue → `field: what was expected, what was found`, in words a plan author uses. */
export const describeIssue = (issue: z.core.$ZodIssue): string => {
  const field = formatPath(issue.path) || '(top level)';
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      return input === undefined
        ? `${field}: missing; expected ${expected}`
        : `${field}: expected ${expected}, got ${show(input)}`;
    }
    case 'invalid_value':
      return `${field}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(input)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) {
        const got = (input as Record<string, unknown> | undefined)?.[String(issue.path.at(-1))];
        return `${field}: expected one of ${options.map((v) => JSON.stringify(v)).join(', ')}, got ${show(got)}`;
      }
      return unionIssue(issue, field, input);
    }
    case 'unrecognized_keys':
      return `${formatPath([...issue.path, issue.keys[0] ?? ''])}: unknown field (check the spelling; allowed fields are in plans/README.md)`;
    case 'too_small':
      return `${field}: ${issue.origin === 'array' ? `expected at least ${issue.minimum} item(s)` : issue.origin === 'string' ? 'must not be empty' : `expected a value ${issue.inclusive ? '≥' : '>'} ${issue.minimum}, got ${show(input)}`}`;
    case 'too_big':
      return `${field}: expected a value ${issue.inclusive ? '≤' : '<'} ${issue.maximum}, got ${show(input)}`;
    case 'invalid_format':
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
      return describeZodIssue(issue);
    default:
      return `${field}: ${issue.message}`;
  }
};

/**
 * A value that fits none of a union's forms (e.g. `repetitions`: a number or a look schedule): the
 * issue of the form whose type matched (`-1` → "expected a value > 0"), else every form's expected type.
 */
const unionIssue = (issue: z.core.$ZodIssue, field: string, input: unknown): string => {
  const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
  const typed = branches.find((b) => b[0] && !(b[0].code === 'invalid_type' && b[0].path.length === 0));
  if (typed?.[0]) return describeIssue({ ...typed[0], path: [...issue.path, ...typed[0].path] });
  const expected = branches
    .map((b) => (b[0]?.code === 'invalid_type' ? (ARTICLE[b[0].expected] ?? b[0].expected) : undefined))
    .filter((x): x is string => x !== undefined);
  if (expected.length === 0) return `${field}: does not match any allowed form`;
  const list = expected.join(' or ');
  return input === undefined
    ? `${field}: missing; expected ${list}`
    : `${field}: expected ${list}, got ${show(input)}`;
};

/** Line of the deepest node on `path` that exists in the document, for pointing an editor at it. */
const lineOf = (doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined => {
  for (let n = path.length; n >= 1; n -= 1) {
    const node: unknown = doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
};

/** True for 127.0.0.0/8, ::1 and localhost: the only targets hotswap loads without an explicit flag. */
export const isLoopbackUrl = (url: string): boolean => {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
};
