/**
 * Server-side chart rendering: vega-lite compiles the spec to vega, vega renders it headless to an
 * SVG string (renderer 'none', no DOM, no canvas), so the report shows charts without running any
 * script in the reader's browser.
 */
import { View, parse } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';

export const renderSvg = async (spec: TopLevelSpec): Promise<string> => {
  const vgSpec = compile(spec).spec;
  const view = new View(parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};
