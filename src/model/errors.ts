import { EXIT, type ExitCode } from './constants.js';

/**
 * An error meant for the user: one line that names the file, line, field or flag at fault, and the
 * exit code it maps to. The CLI prints `hotswap: <message>` and exits with `exitCode`, no stack trace.
 * Anything else that escapes is a bug and is reported as such.
 */
export class HotswapError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'HotswapError';
  }
}

/** Bad input: a malformed file, a bad plan, a wrong flag (exit 2). */
export class InputError extends HotswapError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'InputError';
  }
}

/** The service or a driver died, a port was taken, a build failed (exit 3). */
export class InfrastructureError extends HotswapError {
  constructor(message: string) {
    super(message, EXIT.infrastructure);
    this.name = 'InfrastructureError';
  }
}

/** `file:line: message`, the shape every parser error takes. */
export const atLine = (file: string, line: number, message: string): string => `${file}:${line}: ${message}`;

/**
 * A short, printable quote of a bad value for an error message: JSON for strings and numbers, at most
 * `max` characters with an ellipsis, control characters shown as \xNN. Never more of a file than that.
 */
export const excerpt = (value: unknown, max = 40): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return printable(short);
};

/** `text` with every control character (C0, DEL, C1) shown as \xNN: safe inside a one-line message. */
export const printable = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
