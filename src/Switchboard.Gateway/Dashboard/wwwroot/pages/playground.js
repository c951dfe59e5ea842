// Playground: one chat request through the gateway, streamed or whole, showing the answer as it arrives, the tokens,
// the cost (priced by the gateway: GET /api/cost for streams, x-switchboard-cost-usd for whole answers) and the
// routing decision from the x-switchboard-* headers.
import { api, query, send } from '../api.js';
import { field, h, message, number, usd } from '../dom.js';
import { catalog, providerAndModel, requestedModel } from './catalog.js';

const decisionHeaders = [
  ['Provider', 'x-switchboard-provider'],
  ['Model', 'x-switchboard-model'],
  ['Route', 'x-switchboard-route'],
  ['Rule', 'x-switchboard-rule'],
  ['Attempts', 'x-switchboard-attempts'],
  ['Dropped parameters', 'x-switchboard-dropped-params'],
  ['Gateway overhead (ms)', 'x-switchboard-overhead-ms'],
];

export async function render(root) {
  let data;
  try {
    data = await catalog();
  } catch (error) {
    root.append(h('h1', null, 'Playground'), message(error.message, 'error'));
    return;
  }
  const { provider, model, list } = providerAndModel(data, { auto: true, idPrefix: 'playground' });
  const system = h('textarea', { id: 'playground-system', name: 'system', rows: 2, placeholder: 'You are a helpful assistant.' });
  const user = h('textarea', { id: 'playground-user', name: 'user', rows: 4, required: true, placeholder: 'Ask something' });
  const temperature = h('input', { id: 'playground-temperature', name: 'temperature', type: 'number', min: 0, max: 2, step: 0.1, placeholder: 'default' });
  const stream = h('input', { id: 'playground-stream', name: 'stream', type: 'checkbox', checked: true });
  const sendButton = h('button', { type: 'submit', id: 'playground-send' }, 'Send');
  const stopButton = h('button', { type: 'button', class: 'secondary', id: 'playground-stop', disabled: true }, 'Stop');
  const answer = h('pre', { id: 'playground-answer', class: 'answer' });
  const status = h('p', { id: 'playground-status', class: 'muted' });
  const stats = h('dl', { id: 'playground-stats', class: 'stats' });
  const decision = h('dl', { id: 'playground-decision', class: 'stats' });
  let controller = null;

  const form = h('form', { id: 'playground-form', class: 'card form' },
    h('div', { class: 'row' }, field('Provider', provider), field('Model', model), list),
    field('System prompt', system),
    field('User prompt', user),
    h('div', { class: 'row' }, field('Temperature', temperature), h('label', { class: 'check' }, stream, 'Stream')),
    h('div', { class: 'row' }, sendButton, stopButton));
  stopButton.addEventListener('click', () => controller?.abort());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    controller = new AbortController();
    sendButton.disabled = true;
    stopButton.disabled = false;
    answer.textContent = '';
    stats.replaceChildren();
    decision.replaceChildren();
    status.className = 'muted';
    status.textContent = 'Waiting for the first byte…';
    const messages = [];
    if (system.value.trim()) messages.push({ role: 'system', content: system.value });
    messages.push({ role: 'user', content: user.value });
    const body = { model: requestedModel(provider.value, model.value), messages };
    if (temperature.value !== '') body.temperature = Number(temperature.value);
    const started = performance.now();
    try {
      if (stream.checked) {
        body.stream = true;
        body.stream_options = { include_usage: true };
      }
      const response = await send('/v1/chat/completions', { json: body, signal: controller.signal });
      showDecision(decision, response.headers);
      const result = stream.checked ? await readStream(response, answer, status) : await readWhole(response, answer);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const cost = stream.checked ? await priceStream(response.headers, result.usage) : wholeCost(response.headers);
      showStats(stats, result.usage, cost, seconds);
      status.textContent = result.error ? '' : `Done in ${seconds} s.`;
      if (result.error) showError(status, result.error);
    } catch (error) {
      if (error.name === 'AbortError') status.textContent = 'Stopped.';
      else showError(status, error.message);
    } finally {
      sendButton.disabled = false;
      stopButton.disabled = true;
      controller = null;
    }
  });
  root.append(h('h1', null, 'Playground'), form,
    h('section', { class: 'card' }, h('h2', null, 'Answer'), status, answer, h('h2', null, 'Tokens and cost'), stats, h('h2', null, 'Routing decision'), decision));
  return () => controller?.abort();
}

function showError(status, text) {
  status.className = 'error';
  status.textContent = text;
}

/** Reads server-sent events as they arrive, appending each text delta; returns the usage of the last chunk. */
async function readStream(response, answer, status) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let usage = null;
  let error = null;
  status.textContent = 'Streaming…';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (!data || data === '[DONE]') continue;
      let chunk;
      try {
        chunk = JSON.parse(data);
      } catch {
        continue;
      }
      if (chunk.error) error = chunk.error.message ?? String(chunk.error);
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        const text = choice.delta?.content;
        if (text) answer.append(text);
      }
    }
  }
  return { usage, error };
}

async function readWhole(response, answer) {
  const body = await response.json();
  answer.textContent = body.choices?.map((c) => c.message?.content ?? '').join('\n') ?? '';
  return { usage: body.usage ?? null, error: null };
}

function wholeCost(headers) {
  const cost = headers.get('x-switchboard-cost-usd');
  return cost === null ? null : Number(cost);
}

/** A stream's cost, priced by the gateway from the usage chunk; null (unknown) without usage or a price. */
async function priceStream(headers, usage) {
  if (!usage) return null;
  const answer = await api('/api/cost' + query({
    provider: headers.get('x-switchboard-provider'),
    model: headers.get('x-switchboard-model'),
    input_tokens: usage.prompt_tokens ?? 0,
    output_tokens: usage.completion_tokens ?? 0,
    cached_input_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  }));
  return answer.cost_usd;
}

function showStats(stats, usage, cost, seconds) {
  stats.replaceChildren(
    ...pair('Input tokens', usage ? number(usage.prompt_tokens) : 'not reported', 'input-tokens'),
    ...pair('Output tokens', usage ? number(usage.completion_tokens) : 'not reported', 'output-tokens'),
    ...(usage?.prompt_tokens_details?.cached_tokens ? pair('Cached input tokens', number(usage.prompt_tokens_details.cached_tokens), 'cached-tokens') : []),
    ...(usage?.completion_tokens_details?.reasoning_tokens ? pair('Reasoning tokens', number(usage.completion_tokens_details.reasoning_tokens), 'reasoning-tokens') : []),
    ...pair('Cost', usd(cost), 'cost'),
    ...pair('Time', `${seconds} s`, 'time'));
}

function showDecision(decision, headers) {
  const items = [];
  for (const [label, name] of decisionHeaders) {
    const value = headers.get(name);
    if (value !== null) items.push(...pair(label, value, name.replace('x-switchboard-', '')));
  }
  decision.replaceChildren(...items);
}

function pair(label, value, name) {
  return [h('dt', null, label), h('dd', { 'data-field': name }, value)];
}
