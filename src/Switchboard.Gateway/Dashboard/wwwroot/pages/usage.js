// Usage: cost and tokens per day, and requests and spend by model and by provider, from GET /api/usage, filtered by
// key, route, agent and time range.
import { api, query } from '../api.js';
import { barChart, shareChart } from '../charts.js';
import { field, h, message, number, table, usd } from '../dom.js';

const filters = { key: '', route: '', agent: '', from: '', to: '' };

export async function render(root, { session }) {
  if (!session.features?.storage) {
    root.append(h('h1', null, 'Usage'), message('The usage log is kept in the store, and this gateway has none (storage: none): requests are counted only in /metrics. Set storage: to sqlite:PATH or a postgres:// URL (or SWITCHBOARD_DATABASE_URL) and restart.', 'notice'));
    return;
  }
  const inputs = Object.fromEntries(Object.keys(filters).map((name) =>
    [name, h('input', { name, value: filters[name], type: name === 'from' || name === 'to' ? 'date' : 'text', placeholder: name === 'key' ? 'key id (key_...)' : 'any' })]));
  const results = h('div', { id: 'usage-results' });
  const form = h('form', { class: 'filters', id: 'usage-filters' },
    field('Key', inputs.key), field('Route', inputs.route), field('Agent', inputs.agent),
    field('From', inputs.from), field('To (exclusive)', inputs.to),
    h('button', { type: 'submit' }, 'Apply'),
    h('button', { type: 'button', class: 'secondary', onclick: () => {
      for (const name of Object.keys(filters)) inputs[name].value = '';
      form.requestSubmit();
    } }, 'Clear'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const name of Object.keys(filters)) filters[name] = inputs[name].value.trim();
    load(results);
  });
  root.append(h('h1', null, 'Usage'), form, results);
  await load(results);
}

async function load(results) {
  results.replaceChildren(message('Loading…'));
  const base = { ...filters };
  let byDay, byModel, byProvider;
  try {
    [byDay, byModel, byProvider] = await Promise.all(['day', 'model', 'provider'].map((group) =>
      api('/api/usage' + query({ ...base, group_by: group, format: 'json' }))));
  } catch (error) {
    results.replaceChildren(message(error.message, 'error'));
    return;
  }
  const totals = byDay.totals;
  const days = fillDays(byDay.rows);
  results.replaceChildren(
    h('div', { class: 'totals' },
      total('Requests', number(totals.requests), 'requests'),
      total('Errors', number(totals.errors), 'errors'),
      total('Input tokens', number(totals.input_tokens), 'input_tokens'),
      total('Output tokens', number(totals.output_tokens), 'output_tokens'),
      total('Cost', usd(totals.cost_usd ?? 0), 'cost_usd',
        totals.unknown_cost_requests ? `${number(totals.unknown_cost_requests)} requests of unknown price not included` : null)),
    h('div', { class: 'grid' },
      panel('Cost per day', barChart(days.map((d) => ({ label: d.day, value: d.cost_usd ?? 0 })), { caption: 'Cost per day', format: usd, kind: 'series-0' })),
      panel('Tokens per day', barChart(days.map((d) => ({ label: d.day, value: (d.input_tokens ?? 0) + (d.output_tokens ?? 0) })), { caption: 'Tokens per day', format: number, kind: 'series-1' })),
      panel('Requests by model', shareChart(byModel.rows.map((r) => ({ label: r.model ?? '(none)', value: r.requests })), { caption: 'Requests by model', format: number })),
      panel('Spend by model', shareChart(byModel.rows.map((r) => ({ label: r.model ?? '(none)', value: r.cost_usd ?? 0 })), { caption: 'Spend by model', format: usd })),
      panel('Requests by provider', shareChart(byProvider.rows.map((r) => ({ label: r.provider ?? '(none)', value: r.requests })), { caption: 'Requests by provider', format: number })),
      panel('Spend by provider', shareChart(byProvider.rows.map((r) => ({ label: r.provider ?? '(none)', value: r.cost_usd ?? 0 })), { caption: 'Spend by provider', format: usd }))),
    h('h2', null, 'By model'),
    byModel.rows.length === 0 ? message('No requests in this range.') : table(
      ['Model', 'Requests', 'Errors', 'Input tokens', 'Output tokens', 'Cost'],
      byModel.rows.map((r) => [r.model ?? '(none)', number(r.requests), number(r.errors), number(r.input_tokens), number(r.output_tokens),
        r.unknown_cost_requests ? `${usd(r.cost_usd ?? 0)} + unknown` : usd(r.cost_usd ?? 0)]),
      { id: 'usage-by-model' }));
}

function total(label, value, name, note) {
  return h('div', { class: 'total card' }, h('span', { class: 'muted' }, label), h('strong', { 'data-total': name }, value), note ? h('small', { class: 'muted' }, note) : null);
}

function panel(caption, chart) {
  return h('figure', { class: 'card panel' }, h('figcaption', null, caption), chart);
}

/** Days without requests shown as zero, so the time axis has no holes (up to 92 days). */
function fillDays(rows) {
  if (rows.length === 0) return [];
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const sorted = [...byDay.keys()].filter(Boolean).sort();
  const first = new Date(sorted[0] + 'T00:00:00Z');
  const last = new Date(sorted[sorted.length - 1] + 'T00:00:00Z');
  const span = Math.round((last - first) / 86400000);
  if (span > 92) return sorted.map((day) => byDay.get(day));
  const days = [];
  for (let i = 0; i <= span; i++) {
    const day = new Date(first.getTime() + i * 86400000).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, requests: 0, cost_usd: 0, input_tokens: 0, output_tokens: 0 });
  }
  return days;
}
