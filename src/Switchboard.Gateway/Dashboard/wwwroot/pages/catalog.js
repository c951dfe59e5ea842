// The provider dropdown and model list that the playground and the jobs form share, filled from GET /api/catalog.
import { api } from '../api.js';
import { h } from '../dom.js';

let cached = null;

export async function catalog() {
  cached ??= api('/api/catalog').catch((error) => {
    cached = null;
    throw error;
  });
  return cached;
}

/**
 * A provider select (enabled providers first; with auto, an entry that lets the gateway choose from the model
 * name, an alias or a route) and a model input whose suggestions follow the provider chosen.
 */
export function providerAndModel(data, { auto = true, idPrefix }) {
  const list = h('datalist', { id: `${idPrefix}-models` });
  const provider = h('select', { id: `${idPrefix}-provider`, name: 'provider' },
    auto ? h('option', { value: '' }, 'auto (from the model name, alias or route)') : null,
    data.providers.map((p) => h('option', { value: p.name, disabled: !p.enabled }, p.enabled ? p.name : `${p.name} (not configured)`)));
  const model = h('input', { id: `${idPrefix}-model`, name: 'model', list: list.id, required: true, autocomplete: 'off', placeholder: 'gpt-4o-mini' });
  const fill = () => {
    const chosen = data.providers.find((p) => p.name === provider.value);
    const names = chosen ? chosen.models.map((m) => m.id)
      : [...data.providers.filter((p) => p.enabled).flatMap((p) => p.models.map((m) => `${p.name}/${m.id}`)), ...Object.keys(data.aliases)];
    list.replaceChildren(...names.map((name) => h('option', { value: name })));
    if (chosen && !model.value && chosen.models.length) model.value = chosen.models[0].id;
  };
  provider.addEventListener('change', () => {
    model.value = '';
    fill();
  });
  if (!auto) {
    const first = data.providers.find((p) => p.enabled);
    if (first) provider.value = first.name;
  }
  fill();
  return { provider, model, list };
}

/** The model name to send: provider/model when a provider is chosen and the model does not already name it. */
export function requestedModel(provider, model) {
  const name = model.trim();
  if (!provider || name.toLowerCase().startsWith(provider.toLowerCase() + '/')) return name;
  return `${provider}/${name}`;
}
