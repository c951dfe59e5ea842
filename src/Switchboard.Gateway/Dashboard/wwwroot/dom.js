// Small DOM helpers: every text goes in as text (never as HTML), so data from the gateway cannot inject markup.

/** Makes an element: h('div', { class: 'x', onclick: fn }, 'text', child, [more]). */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table from column headers and rows of cells (text or nodes). */
export function table(headers, rows, attributes) {
  return h('table', attributes,
    h('thead', null, h('tr', null, headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', null, rows.map((row) => h('tr', null, row.map((cell) => h('td', null, cell))))));
}

export function message(text, kind = 'muted') {
  return h('p', { class: kind, role: kind === 'error' ? 'alert' : null }, text);
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind ?? text}` }, text);
}

export function field(label, input, hint) {
  return h('label', null, label, input, hint ? h('small', { class: 'muted' }, hint) : null);
}

const integer = new Intl.NumberFormat('en-US');

export function number(value) {
  return value === null || value === undefined ? '–' : integer.format(value);
}

/** USD with enough digits for fractions of a cent; "unknown" when the price is unknown. */
export function usd(value) {
  if (value === null || value === undefined) return 'unknown';
  if (value === 0) return '$0';
  if (Math.abs(value) >= 1) return '$' + value.toFixed(2);
  return '$' + Number(value.toPrecision(3)).toFixed(10).replace(/\.?0+$/, '');
}

export function percent(value) {
  return value === null || value === undefined ? '–' : (value * 100).toFixed(1) + '%';
}

export function ms(value) {
  return value === null || value === undefined ? '–' : `${value} ms`;
}

export function time(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
