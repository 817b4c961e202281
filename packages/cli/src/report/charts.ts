/** Small dependency-free SVG charts for the static report. */

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const fmt = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3);

/** Horizontal bars, one per stage, widths relative to the largest. */
export function funnelSvg(stages: ReadonlyArray<{ label: string; value: number }>): string {
  const max = Math.max(1, ...stages.map((s) => s.value));
  const row = 28;
  const width = 640;
  const labelWidth = 150;
  const bars = stages
    .map((stage, i) => {
      const w = Math.max(2, ((width - labelWidth - 60) * stage.value) / max);
      const y = i * row;
      return `<g data-stage="${escapeHtml(stage.label)}"><text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escapeHtml(stage.label)}</text><rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}" rx="3" class="bar"/><text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 18}" class="value">${stage.value}</text></g>`;
    })
    .join('');
  return `<svg class="chart funnel" viewBox="0 0 ${width} ${stages.length * row}" role="img" aria-label="pipeline funnel">${bars}</svg>`;
}

export interface Series {
  name: string;
  values: ReadonlyArray<number>;
  className: string;
}

/** Overlaid histograms of several series on shared bins. */
export function histogramSvg(
  series: ReadonlyArray<Series>,
  options: { bins?: number; min?: number; max?: number; label: string },
): string {
  const all = series.flatMap((s) => [...s.values]);
  if (all.length === 0) return `<p class="empty">No data for ${escapeHtml(options.label)}.</p>`;
  const bins = options.bins ?? 20;
  const min = options.min ?? Math.min(...all);
  let max = options.max ?? Math.max(...all);
  if (max <= min) max = min + 1;
  const binWidth = (max - min) / bins;
  const counts = series.map((s) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of s.values)
      c[Math.min(bins - 1, Math.max(0, Math.floor((v - min) / binWidth)))]! += 1;
    return c;
  });
  // Densities, so series of different sizes compare by shape.
  const densities = counts.map((c, i) => c.map((n) => n / Math.max(1, series[i]!.values.length)));
  const top = Math.max(1e-9, ...densities.flat());
  const width = 640;
  const height = 200;
  const pad = 30;
  const barW = (width - 2 * pad) / bins;
  const rects = densities
    .map((d, s) =>
      d
        .map((v, b) => {
          const h = ((height - 2 * pad) * v) / top;
          return h <= 0
            ? ''
            : `<rect class="${series[s]!.className}" x="${(pad + b * barW).toFixed(1)}" y="${(height - pad - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}"/>`;
        })
        .join(''),
    )
    .join('');
  const axis = `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" class="axis"/><text x="${pad}" y="${height - 8}">${fmt(min)}</text><text x="${width - pad}" y="${height - 8}" text-anchor="end">${fmt(max)}</text><text x="${width / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(options.label)}</text>`;
  const legend = series
    .map(
      (s, i) =>
        `<g transform="translate(${pad + i * 200},8)"><rect class="${s.className}" width="12" height="12"/><text x="16" y="11">${escapeHtml(s.name)} (n=${s.values.length})</text></g>`,
    )
    .join('');
  return `<svg class="chart histogram" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.label)}">${legend}${rects}${axis}</svg>`;
}

/** Grouped horizontal bars: one group per category, one bar per series, values in [0, 1] shown as %. */
export function groupedBarsSvg(
  categories: ReadonlyArray<string>,
  series: ReadonlyArray<{ name: string; values: ReadonlyArray<number>; className: string }>,
  options: { label: string },
): string {
  if (categories.length === 0)
    return `<p class="empty">No data for ${escapeHtml(options.label)}.</p>`;
  const bar = 16;
  const groupGap = 10;
  const groupHeight = series.length * bar + groupGap;
  const width = 640;
  const labelWidth = 150;
  // One legend line per series: run labels are directory paths, often long.
  const legendHeight = 18 * series.length + 4;
  const span = width - labelWidth - 70;
  const groups = categories
    .map((category, c) => {
      const y0 = legendHeight + c * groupHeight;
      const bars = series
        .map((s, i) => {
          const v = s.values[c] ?? 0;
          const w = Math.max(1, span * Math.min(1, Math.max(0, v)));
          const y = y0 + i * bar;
          return `<rect class="${s.className}" data-series="${escapeHtml(s.name)}" data-value="${v.toFixed(4)}" x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${bar - 3}" rx="2"/><text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + bar - 5}" class="value">${(100 * v).toFixed(1)}%</text>`;
        })
        .join('');
      return `<g data-category="${escapeHtml(category)}"><text x="${labelWidth - 8}" y="${y0 + (series.length * bar) / 2 + 4}" text-anchor="end">${escapeHtml(category)}</text>${bars}</g>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<g transform="translate(${labelWidth},${2 + i * 18})"><rect class="${s.className}" width="12" height="12"/><text x="16" y="11">${escapeHtml(s.name)}</text></g>`,
    )
    .join('');
  return `<svg class="chart bars" viewBox="0 0 ${width} ${legendHeight + categories.length * groupHeight}" role="img" aria-label="${escapeHtml(options.label)}">${legend}${groups}</svg>`;
}

/** A line through (x, y) points, e.g. training loss by step, with the first and last values marked. */
export function lineSvg(
  points: ReadonlyArray<{ x: number; y: number }>,
  options: { label: string; xLabel: string },
): string {
  if (points.length === 0) return `<p class="empty">No data for ${escapeHtml(options.label)}.</p>`;
  const width = 640;
  const height = 200;
  const pad = 34;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 <= y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const px = (x: number) => pad + ((width - 2 * pad) * (x - x0)) / Math.max(1e-9, x1 - x0);
  const py = (y: number) => height - pad - ((height - 2 * pad) * (y - y0)) / (y1 - y0);
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`)
    .join(' ');
  const fmtX = (x: number) => (Number.isInteger(x) ? String(x) : fmt(x));
  const first = points[0]!;
  const last = points.at(-1)!;
  const axis = `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" class="axis"/><text x="${pad}" y="${height - 8}">${fmtX(x0)}</text><text x="${width - pad}" y="${height - 8}" text-anchor="end">${fmtX(x1)}</text><text x="${width / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(options.xLabel)}</text><text x="4" y="${pad}">${fmt(y1)}</text><text x="4" y="${height - pad}">${fmt(y0)}</text>`;
  const marks = [first, last]
    .map(
      (p) =>
        `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" class="mark"/><text x="${px(p.x).toFixed(1)}" y="${(py(p.y) - 6).toFixed(1)}" text-anchor="middle" class="value">${fmt(p.y)}</text>`,
    )
    .join('');
  return `<svg class="chart line" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.label)}"><path d="${path}" class="series"/>${marks}${axis}</svg>`;
}
