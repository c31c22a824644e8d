/**
 * The output formats and their file names, without the renderers: the CLI validates --format with
 * this at start-up and loads the renderers (vega and vega-lite, about half a second of CPU to import)
 * only when it actually renders, so every other hotswap command starts without them.
 */
export const FORMATS = [
  { format: 'html', aliases: [], file: 'report.html' },
  { format: 'md', aliases: ['markdown'], file: 'report.md' },
  { format: 'text', aliases: ['txt'], file: 'report.txt' },
  { format: 'json', aliases: [], file: 'report.json' },
] as const;

export type ExportFormat = (typeof FORMATS)[number]['format'];
export type FormatInfo = (typeof FORMATS)[number];

/** The format a --format name (or alias) means, undefined when unknown. */
export const formatFor = (name: string): FormatInfo | undefined =>
  FORMATS.find((x) => x.format === name || (x.aliases as readonly string[]).includes(name));
