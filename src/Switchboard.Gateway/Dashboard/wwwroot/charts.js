// Charts as inline SVG, drawn here: bars over time and shares of a whole. Colours come from classes in app.css
// (no inline styles: the page's Content-Security-Policy allows none).

const svgNs = 'http://www.w3.org/2000/svg';

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

function title(text) {
  const element = svg('title');
  element.textContent = text;
  return element;
}

function text(x, y, content, attributes) {
  const element = svg('text', { x, y, ...attributes });
  element.textContent = content;
  return element;
}

/**
 * Vertical bars, one per point ({ label, value }), with the largest value and the labels marked.
 * format turns a value into the text shown on hover and above the tallest bar.
 */
export function barChart(points, { caption, format = String, kind = 'series-0' } = {}) {
  const width = 600;
  const height = 220;
  const left = 8;
  const bottom = 28;
  const top = 22;
  const max = Math.max(0, ...points.map((p) => p.value));
  const slot = points.length ? (width - left * 2) / points.length : 0;
  const bar = Math.max(2, Math.min(60, slot * 0.7));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart bar-chart', role: 'img', 'aria-label': caption });
  chart.append(title(caption));
  chart.append(svg('line', { x1: left, x2: width - left, y1: height - bottom, y2: height - bottom, class: 'axis' }));
  if (points.length === 0 || max === 0) {
    chart.append(text(width / 2, height / 2, 'No data in this range', { class: 'chart-empty', 'text-anchor': 'middle' }));
    return chart;
  }
  chart.append(text(left, 14, `max ${format(max)}`, { class: 'chart-label' }));
  const every = Math.ceil(points.length / 12);
  points.forEach((point, index) => {
    const x = left + index * slot + (slot - bar) / 2;
    const barHeight = ((height - bottom - top) * point.value) / max;
    const y = height - bottom - barHeight;
    chart.append(svg('rect', { x, y, width: bar, height: Math.max(barHeight, point.value > 0 ? 1 : 0), class: `bar ${kind}`, 'data-label': point.label, 'data-value': point.value },
      title(`${point.label}: ${format(point.value)}`)));
    if (index % every === 0) chart.append(text(x + bar / 2, height - 10, point.label, { class: 'chart-label', 'text-anchor': 'middle' }));
  });
  return chart;
}

/** Horizontal bars for the shares of a whole ({ label, value }), largest first, each with its value and percentage. */
export function shareChart(items, { caption, format = String } = {}) {
  const sorted = items.filter((item) => item.value > 0).sort((a, b) => b.value - a.value);
  const shown = sorted.slice(0, 8);
  const rest = sorted.slice(8).reduce((sum, item) => sum + item.value, 0);
  if (rest > 0) shown.push({ label: 'other', value: rest });
  const total = shown.reduce((sum, item) => sum + item.value, 0);
  const row = 26;
  const width = 600;
  const height = Math.max(1, shown.length) * row + 8;
  const labelWidth = 200;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart share-chart', role: 'img', 'aria-label': caption });
  chart.append(title(caption));
  if (total === 0) {
    chart.append(text(width / 2, height / 2 + 4, 'No data in this range', { class: 'chart-empty', 'text-anchor': 'middle' }));
    return chart;
  }
  const barSpace = width - labelWidth - 150;
  shown.forEach((item, index) => {
    const y = 4 + index * row;
    const share = item.value / total;
    const label = item.label.length > 28 ? item.label.slice(0, 27) + '…' : item.label;
    chart.append(text(labelWidth - 8, y + 16, label, { class: 'chart-label', 'text-anchor': 'end' }));
    chart.append(svg('rect', { x: labelWidth, y: y + 3, width: Math.max(1, barSpace * share), height: row - 8, rx: 2, class: `bar series-${index % 8}`, 'data-label': item.label, 'data-value': item.value },
      title(`${item.label}: ${format(item.value)} (${(share * 100).toFixed(1)}%)`)));
    chart.append(text(labelWidth + barSpace * share + 6, y + 16, `${format(item.value)} · ${(share * 100).toFixed(0)}%`, { class: 'chart-value' }));
  });
  return chart;
}
