// Keys: the virtual keys (GET /api/keys), a form to create one (its key shown once), and revoking.
import { api } from '../api.js';
import { badge, field, h, message, number, table, time, usd } from '../dom.js';

export async function render(root, { session }) {
  root.append(h('h1', null, 'Keys'));
  if (!session.master_key_required) {
    root.append(message('Managing virtual keys needs the gateway\'s master key, and this gateway has none. Set server.master_key (by default from SWITCHBOARD_MASTER_KEY) and restart; the dashboard will then ask for it.', 'notice'));
    return;
  }
  if (!session.features?.storage) {
    root.append(message('Virtual keys are kept in the store, and this gateway has none (storage: none). Set storage: to sqlite:PATH or a postgres:// URL (or SWITCHBOARD_DATABASE_URL) and restart.', 'notice'));
    return;
  }
  const created = h('div', { id: 'key-created' });
  const list = h('div', { id: 'keys-list' });
  const name = h('input', { id: 'key-name', name: 'name', placeholder: 'ci' });
  const budget = h('input', { id: 'key-budget', name: 'budget_usd', type: 'number', min: 0, step: 'any', placeholder: 'none' });
  const period = h('select', { id: 'key-period', name: 'budget_period' }, ['month', 'week', 'day', 'total'].map((p) => h('option', { value: p }, p)));
  const rpm = h('input', { id: 'key-rpm', name: 'rpm', type: 'number', min: 1, step: 1, placeholder: 'none' });
  const models = h('input', { id: 'key-models', name: 'allowed_models', placeholder: 'any (comma-separated)' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { id: 'key-form', class: 'card form' },
    h('h2', null, 'Create a key'),
    h('div', { class: 'row' }, field('Name', name), field('Budget (USD)', budget), field('Budget period', period), field('Requests per minute', rpm)),
    field('Allowed models', models),
    error,
    h('button', { type: 'submit', id: 'key-create' }, 'Create key'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = {};
    if (name.value.trim()) body.name = name.value.trim();
    if (budget.value !== '') {
      body.budget_usd = Number(budget.value);
      body.budget_period = period.value;
    }
    if (rpm.value !== '') body.rpm = Number(rpm.value);
    const allowed = models.value.split(',').map((m) => m.trim()).filter(Boolean);
    if (allowed.length) body.allowed_models = allowed;
    try {
      const key = await api('/api/keys', { json: body });
      created.replaceChildren(h('div', { class: 'card notice' },
        h('p', null, `Key ${key.id}${key.name ? ` (${key.name})` : ''} created. Copy it now: it is not shown again.`),
        h('code', { id: 'new-key', class: 'secret' }, key.key)));
      form.reset();
      await load(list, error);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    }
  });
  root.append(created, form, h('h2', null, 'Keys'), list);
  await load(list, error);
}

async function load(list, error) {
  let answer;
  try {
    answer = await api('/api/keys');
  } catch (failure) {
    list.replaceChildren(message(failure.message, 'error'));
    return;
  }
  if (answer.data.length === 0) {
    list.replaceChildren(message('No virtual keys yet.'));
    return;
  }
  list.replaceChildren(table(
    ['Id', 'Name', 'Key', 'Status', 'Created', 'Budget', 'Limits', 'Models', ''],
    answer.data.map((key) => [
      h('code', null, key.id),
      key.name ?? '',
      h('code', null, key.hint),
      badge(key.status),
      time(key.created),
      key.budget_usd === null || key.budget_usd === undefined ? '–' : `${usd(key.budget_usd)} / ${String(key.budget_period).toLowerCase()}`,
      [key.requests_per_minute ? `${number(key.requests_per_minute)} rpm` : null, key.tokens_per_minute ? `${number(key.tokens_per_minute)} tpm` : null].filter(Boolean).join(', ') || '–',
      key.allowed_models?.length ? key.allowed_models.join(', ') : 'any',
      key.status === 'active' ? h('button', { type: 'button', class: 'danger', 'data-revoke': key.id, onclick: async (event) => {
        event.target.disabled = true;
        try {
          await api(`/api/keys/${encodeURIComponent(key.id)}/revoke`, { method: 'POST' });
        } catch (failure) {
          error.textContent = failure.message;
          error.hidden = false;
        }
        await load(list, error);
      } }, 'Revoke') : '',
    ]),
    { id: 'keys' }));
  for (const [index, row] of [...list.querySelectorAll('tbody tr')].entries()) row.dataset.key = answer.data[index].id;
}
