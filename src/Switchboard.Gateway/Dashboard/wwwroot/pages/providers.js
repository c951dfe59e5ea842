// Providers: each provider's health, its deployments' circuits, error rate and latency, from GET /health/providers,
// refreshed every 3 seconds while the page is open.
import { api } from '../api.js';
import { badge, h, message, ms, number, percent, table } from '../dom.js';

const refreshMs = 3000;

export async function render(root) {
  const status = h('p', { class: 'muted', id: 'providers-updated' });
  const body = h('div', { id: 'providers-table' });
  root.append(h('h1', null, 'Providers'),
    h('p', { class: 'muted' }, 'Health is worked out from the calls made through this gateway (and its probes, when resilience.probe_interval is set). Latency is from request to last byte.'),
    status, body);
  let stopped = false;
  let timer = null;
  const refresh = async () => {
    try {
      const answer = await api('/health/providers');
      if (stopped) return;
      draw(body, answer.providers);
      status.textContent = `Updated ${new Date().toLocaleTimeString()} · every ${refreshMs / 1000} s`;
    } catch (error) {
      if (!stopped) body.replaceChildren(message(error.message, 'error'));
    }
    if (!stopped) timer = setTimeout(refresh, refreshMs);
  };
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function draw(body, providers) {
  if (providers.length === 0) {
    body.replaceChildren(message('No provider is enabled: set a provider key (for example OPENAI_API_KEY) or add providers: to the config.'));
    return;
  }
  body.replaceChildren(table(
    ['Provider', 'Health', 'Configured', 'Calls', 'Failures', 'Error rate', 'p50', 'p95', 'Deployments (circuit)'],
    providers.map((p) => [
      h('strong', null, p.name),
      badge(p.status),
      p.configured ? 'yes' : 'no',
      number(p.calls),
      number(p.failures),
      percent(p.error_rate),
      h('span', { 'data-latency': 'p50' }, ms(p.p50_ms)),
      h('span', { 'data-latency': 'p95' }, ms(p.p95_ms)),
      p.deployments.length === 0 ? h('span', { class: 'muted' }, 'not called yet')
        : h('ul', { class: 'plain' }, p.deployments.map((d) => h('li', null, `${d.model} `, badge(d.circuit, `circuit-${d.circuit}`),
          d.in_flight ? ` ${d.in_flight} in flight` : ''))),
    ]),
    { id: 'providers', class: 'providers' }));
  for (const [index, row] of [...body.querySelectorAll('tbody tr')].entries()) row.dataset.provider = providers[index].name;
}
