// Routes: the routing config (GET /api/routes) and an explain box (POST /v1/route/explain) that shows the
// candidates a request would get, and what was skipped, without calling anyone.
import { api } from '../api.js';
import { field, h, message, table } from '../dom.js';

export async function render(root) {
  root.append(h('h1', null, 'Routes'));
  const config = h('div', { id: 'routes-config' });
  root.append(config, explainBox());
  let answer;
  try {
    answer = await api('/api/routes');
  } catch (error) {
    config.replaceChildren(message(error.message, 'error'));
    return;
  }
  const parts = [];
  parts.push(h('h2', null, 'Routes'));
  if (answer.routes.length === 0) parts.push(message('No routes configured. Add routes: to switchboard.yaml (see docs/configuration.md).'));
  else {
    parts.push(table(['Name', 'Strategy', 'Targets', 'Rules and tiers', 'Fallbacks'], answer.routes.map((route) => [
      h('strong', null, route.name),
      route.mode ? `${route.strategy} (${route.mode})` : route.strategy,
      targets(route.targets.map((t) => ({ ...t, note: t.percent ? `${t.percent}%` : t.weight !== 1 ? `weight ${t.weight}` : '' }))),
      h('ul', { class: 'plain' },
        route.rules.map((r) => h('li', null, h('code', null, r.when), ' → ', target(r), r.reason ? h('span', { class: 'muted' }, ` (${r.reason})`) : '')),
        route.tiers.map((t) => h('li', null, t.below === null ? 'otherwise' : `complexity < ${t.below}`, ' → ', target(t))),
        route.default ? h('li', null, 'default → ', target(route.default)) : null),
      targets(route.fallbacks),
    ]), { id: 'routes-table' }));
  }
  parts.push(h('h2', null, 'Agents'));
  if (answer.agents.length === 0) parts.push(message('No agents configured.'));
  else parts.push(table(['Agent', 'Targets in order'], answer.agents.map((a) => [h('strong', null, a.name), targets(a.targets)]), { id: 'agents-table' }));
  parts.push(h('h2', null, 'Workflows'));
  if (answer.workflows.length === 0) parts.push(message('No workflows configured.'));
  else parts.push(table(['Workflow', 'Stages'], answer.workflows.map((w) => [h('strong', null, w.name),
    h('ul', { class: 'plain' }, w.stages.map((s) => h('li', null, `${s.stage}: `, target(s))))]), { id: 'workflows-table' }));
  const aliases = Object.entries(answer.aliases);
  if (aliases.length) {
    parts.push(h('h2', null, 'Aliases'));
    parts.push(table(['Alias', 'Model'], aliases.map(([alias, model]) => [alias, model])));
  }
  config.replaceChildren(...parts);
}

function targets(list) {
  if (!list.length) return h('span', { class: 'muted' }, '–');
  return h('ol', { class: 'plain' }, list.map((t) => h('li', null, target(t), t.note ? h('span', { class: 'muted' }, ` ${t.note}`) : '')));
}

function target(t) {
  const where = t.kind === 'route' ? 'route' : t.provider ? t.provider : 'unknown model';
  return h('span', { class: 'target' }, h('code', null, t.target), h('span', { class: `muted ${t.kind === 'unknown' ? 'warn' : ''}` }, ` (${where})`));
}

function explainBox() {
  const model = h('input', { id: 'explain-model', name: 'model', required: true, placeholder: 'a model, alias, route, agent or workflow' });
  const prompt = h('textarea', { id: 'explain-prompt', name: 'prompt', rows: 3, placeholder: 'The prompt (its size and complexity can steer routing)' });
  const agent = h('input', { id: 'explain-agent', name: 'agent', placeholder: 'none' });
  const stage = h('input', { id: 'explain-stage', name: 'stage', placeholder: 'none' });
  const result = h('div', { id: 'explain-result' });
  const form = h('form', { id: 'explain-form', class: 'card form' },
    h('h2', null, 'Explain'),
    h('p', { class: 'muted' }, 'What the gateway would do with a request, without calling anyone.'),
    h('div', { class: 'row' }, field('Model', model), field('Agent', agent), field('Stage', stage)),
    field('Prompt', prompt),
    h('button', { type: 'submit', id: 'explain-submit' }, 'Explain'),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const metadata = {};
    if (agent.value.trim()) metadata.agent = agent.value.trim();
    if (stage.value.trim()) metadata.stage = stage.value.trim();
    const body = { model: model.value.trim(), messages: [{ role: 'user', content: prompt.value || 'Hello' }] };
    if (Object.keys(metadata).length) body.metadata = metadata;
    try {
      const decision = await api('/v1/route/explain', { json: body });
      result.replaceChildren(
        h('p', null, 'Route: ', h('strong', { 'data-field': 'route' }, decision.route ?? 'none (a model)'),
          decision.rule ? [' · rule: ', h('code', { 'data-field': 'rule' }, decision.rule)] : '',
          decision.complexity !== undefined ? ` · complexity ${decision.complexity}` : '',
          decision.estimated_tokens !== undefined ? ` · about ${decision.estimated_tokens} tokens` : ''),
        table(['#', 'Provider', 'Model', 'Why', 'Circuit', 'Provider health', 'Price in/out per Mtok'],
          decision.candidates.map((c, i) => [String(i + 1), c.provider, c.model, c.reason, c.circuit, c.provider_status,
            c.input_per_mtok !== undefined ? `$${c.input_per_mtok} / $${c.output_per_mtok}` : 'unknown']),
          { id: 'explain-candidates' }),
        decision.skipped.length ? h('div', null, h('h3', null, 'Skipped'),
          h('ul', { id: 'explain-skipped' }, decision.skipped.map((s) => h('li', null, h('code', null, s.target), `: ${s.reason}`)))) : '');
    } catch (error) {
      result.replaceChildren(message(error.message, 'error'));
    }
  });
  return form;
}
