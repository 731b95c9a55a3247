/**
 * Renders one vega-lite chart headless: vega-lite → vega → `vega.View` with `renderer: 'none'`
 * → SVG, then SVG → PNG with @resvg/resvg-js using the system fonts (DejaVu Sans).
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { ToolError } from '../errors.ts';

export interface RenderChartParameters {
  /** A vega-lite specification (the `$schema` may be left out). */
  spec: Record<string, unknown>;
  /** For error messages: which chart. */
  name: string;
  /** PNG pixel density relative to the SVG size (default 2, for crisp text). */
  pngScale?: number;
}

export interface RenderChartResult {
  svg: string;
  png: Uint8Array;
}

export const CHART_FONT = 'DejaVu Sans';

export async function renderChart({ spec, name, pngScale = 2 }: RenderChartParameters): Promise<RenderChartResult> {
  let view: vega.View | undefined;
  try {
    const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
    view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    await view.runAsync();
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT },
      fitTo: { mode: 'zoom', value: pngScale },
      background: 'white',
    })
      .render()
      .asPng();
    return { svg, png: new Uint8Array(png) };
  } catch (error) {
    throw new ToolError(`chart '${name}': vega/resvg could not render it`, {
      hint: 'check the chart data for NaN or non-positive values on a log scale',
      details: { chart: name },
      cause: error,
    });
  } finally {
    view?.finalize();
  }
}
