import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { HotswapError, InputError, excerpt, type ReportModel } from '../model/index.js';
// Light imports only: the renderers (vega, vega-lite) load in writeReports(), so other commands start fast.
import { FORMATS, formatFor, type FormatInfo } from '../report/exporters/formats.js';
import { validateReportModel } from '../report/validate.js';
import { trialPaths, writeFilesAtomic } from '../store/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';

const HELP = `
Re-renders a trial's report from its report.json without running or analysing anything: after a
report-only upgrade, to get another format, or on results copied from another machine. Files are
written next to report.json (or into --out), each atomically; their paths are printed on stdout.

Formats: html (offline page with charts as inline SVG, no network needed), md (for a PR comment or
a CI job summary), text (benchstat-like tables), json (the ReportModel itself).

Examples:
  hotswap report reports/20261121-2210-rust-scan-hotspot
  hotswap report reports/latest/report.json --format md,text
  hotswap report reports/my-trial --format html --open
  hotswap report reports/my-trial --format md --out /tmp/summary --json`;

interface ReportFlags {
  format: FormatInfo[];
  out?: string;
  open?: boolean;
  json?: boolean;
}

/** `html,md` → the exporters, in the order given, without duplicates. */
export const parseFormats = (value: string): FormatInfo[] => {
  const out: FormatInfo[] = [];
  for (const name of value.split(',').map((s) => s.trim().toLowerCase())) {
    const ex = formatFor(name);
    if (!ex)
      throw new InputError(
        `--format: unknown format "${name}"; expected a comma-separated list of ${FORMATS.map((x) => x.format).join(', ')}`,
      );
    if (!out.includes(ex)) out.push(ex);
  }
  return out;
};

/** The report.json a path names: the file itself, or report.json inside a trial folder. */
const locate = async (input: string): Promise<string> => {
  const info = await stat(input).catch(() => {
    throw new InputError(`${input}: no such file or directory`);
  });
  if (!info.isDirectory()) return input;
  const file = trialPaths(input).reportJson;
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists)
    throw new InputError(`${input}: no report.json in this folder; run \`hotswap analyze ${input}\` first`);
  return file;
};

const readModel = async (file: string) => {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: cannot read: ${err.code ?? err.message}`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${excerpt((err as Error).message, 80)}`);
  }
  return validateReportModel(value, file);
};

const isExecutable = (path: string): Promise<boolean> =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * The command that opens a file in a browser here, or a reason there is none: `$BROWSER` when set,
 * `open` on macOS, `xdg-open` on Linux only with a display (a CI runner or SSH session has none).
 */
export const findOpener = async (
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): Promise<{ command: string[] } | { reason: string }> => {
  if (env.BROWSER) return { command: env.BROWSER.split(' ').filter(Boolean) };
  if (platform === 'darwin') return { command: ['open'] };
  if (platform === 'win32') return { command: ['cmd', '/c', 'start', '""'] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    if (await isExecutable(join(dir, 'xdg-open'))) return { command: [join(dir, 'xdg-open')] };
  return { reason: 'xdg-open not found on PATH' };
};

export const openInBrowser = async (file: string, io: Io): Promise<boolean> => {
  const opener = await findOpener(io.env);
  if ('reason' in opener) {
    io.stderr(`hotswap: not opening a browser: ${opener.reason}; open ${pathToFileURL(file).href}\n`);
    return false;
  }
  const [cmd, ...args] = opener.command;
  // Detached and unref'd: the browser outlives hotswap, and hotswap does not wait for it.
  const child = spawn(cmd!, [...args, file], { detached: true, stdio: 'ignore' });
  child.on('error', (err) => io.stderr(`hotswap: could not open a browser (${cmd}): ${err.message}\n`));
  child.unref();
  return true;
};

/**
 * Renders every format in memory first, then writes them all or none (writeFilesAtomic): a render that
 * fails half-way leaves the old files as they were, never a new report.html beside a stale report.md.
 * The report stage (and vega) is loaded here, not at start-up, so every other command starts without it.
 */
export const writeReports = async (
  model: ReportModel,
  outDir: string,
  formats: readonly string[],
  onFormat?: (format: string) => void,
  source = 'report.json',
): Promise<{ format: string; path: string; bytes: number }[]> => {
  const { exporterFor } = await import('../report/exporters/index.js');
  const rendered: { format: string; path: string; text: string }[] = [];
  for (const format of formats) {
    const ex = exporterFor(format)!;
    onFormat?.(ex.format);
    let text: string;
    try {
      text = await ex.render(model);
    } catch (err) {
      // The schema (model/report-schema.ts) should have caught a bad field; if one slips through, it is
      // still one line about the input, not an internal error.
      if (err instanceof HotswapError) throw err;
      throw new InputError(
        `${source}: cannot render ${ex.format}: a field has a value the report cannot show (${excerpt(err instanceof Error ? err.message : String(err), 80)})`,
      );
    }
    rendered.push({ format: ex.format, path: join(outDir, ex.file), text });
  }
  // Safe even when json rewrites its own input: the model is already in memory, and each rename is atomic.
  await writeFilesAtomic(rendered);
  return rendered.map((r) => ({ format: r.format, path: r.path, bytes: Buffer.byteLength(r.text) }));
};

const run = async (input: string, flags: ReportFlags, io: Io): Promise<void> => {
  const file = await locate(resolve(io.cwd, input));
  const model = await readModel(file);
  const outDir = flags.out ? resolve(io.cwd, flags.out) : dirname(file);
  const written = await writeReports(
    model,
    outDir,
    flags.format.map((f) => f.format),
    flags.json ? undefined : (format) => io.stderr(`hotswap: rendering ${format}…\n`),
    file,
  );
  const html = written.find((w) => w.format === 'html');
  let opened = false;
  if (flags.open) {
    if (html) opened = await openInBrowser(html.path, io);
    else io.stderr('hotswap: --open needs the html format; nothing opened\n');
  }
  if (flags.json)
    io.stdout(`${JSON.stringify({ input: file, decision: model.verdict.decision, written, opened })}\n`);
  else for (const w of written) io.stdout(`${w.path}\n`);
};

export const reportCommand: CommandModule = {
  register: (program: Command, io: Io) => {
    program
      .command('report')
      .description('re-render a trial report (html, md, text, json) from its report.json; runs nothing')
      .argument('<trial-dir|report.json>', 'a trial folder, or a report.json file')
      .option(
        '--format <list>',
        'comma-separated: html, md, text, json',
        parseFormats,
        parseFormats('html,md'),
      )
      .option('--out <dir>', 'write into this folder instead of next to report.json')
      .option('--open', 'open report.html in a browser, where one exists')
      .option('--json', 'print {input, decision, written: [{format, path, bytes}], opened} on stdout')
      .addHelpText('after', HELP)
      .action((input: string, flags: ReportFlags) => run(input, flags, io));
  },
};
