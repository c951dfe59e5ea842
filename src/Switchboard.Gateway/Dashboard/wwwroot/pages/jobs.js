// Jobs: the background jobs API (/api/jobs, /api/batches): the list with status and batch progress, filters, a
// form to submit a job with a provider and model, a job's result, and cancelling. Refreshes every 2 seconds while a
// job listed is pending or running.
import { api, query } from '../api.js';
import { badge, field, h, message, number, table, time, usd } from '../dom.js';
import { catalog, providerAndModel } from './catalog.js';

const refreshMs = 2000;
const filters = { status: '', model: '', batch: '' };

export async function render(root, { session }) {
  root.append(h('h1', null, 'Jobs'));
  if (!session.features?.storage) {
    root.append(message('Jobs are kept in the store, and this gateway has none (storage: none). Set storage: to sqlite:PATH or a postgres:// URL (or SWITCHBOARD_DATABASE_URL) and restart.', 'notice'));
    return;
  }
  let data;
  try {
    data = await catalog();
  } catch (error) {
    root.append(message(error.message, 'error'));
    return;
  }
  let stopped = false;
  let timer = null;
  let selected = null;
  const list = h('div', { id: 'jobs-list' });
  const batches = h('div', { id: 'jobs-batches' });
  const detail = h('div', { id: 'job-detail' });
  const refresh = async () => {
    clearTimeout(timer);
    let jobs;
    try {
      jobs = (await api('/api/jobs' + query({ ...filters, limit: 100 }))).data;
    } catch (error) {
      if (!stopped) list.replaceChildren(message(error.message, 'error'));
      return;
    }
    if (stopped) return;
    drawList(list, jobs, (job) => {
      selected = job.id;
      drawDetail(detail, job, refresh);
    });
    await drawBatches(batches, jobs);
    if (selected) {
      const job = jobs.find((j) => j.id === selected);
      if (job) drawDetail(detail, job, refresh);
    }
    if (!stopped && jobs.some((j) => j.status === 'pending' || j.status === 'running')) timer = setTimeout(refresh, refreshMs);
  };

  root.append(submitForm(data, async (job) => {
    selected = job.id;
    drawDetail(detail, job, refresh);
    await refresh();
  }), filterForm(refresh), batches, list, detail);
  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function submitForm(data, submitted) {
  const { provider, model, list } = providerAndModel(data, { auto: false, idPrefix: 'job' });
  const system = h('input', { id: 'job-system', name: 'system', placeholder: 'optional' });
  const input = h('textarea', { id: 'job-input', name: 'input', rows: 3, required: true, placeholder: 'The prompt' });
  const maxTokens = h('input', { id: 'job-max-tokens', name: 'max_tokens', type: 'number', min: 1, step: 1, placeholder: 'default' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { id: 'job-form', class: 'card form' },
    h('h2', null, 'Submit a job'),
    h('div', { class: 'row' }, field('Provider', provider), field('Model', model), list, field('Max tokens', maxTokens)),
    field('System prompt', system),
    field('Prompt', input),
    error,
    h('button', { type: 'submit', id: 'job-submit' }, 'Submit job'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = { input: input.value, provider: provider.value, model_name: model.value.trim() };
    if (system.value.trim()) body.system = system.value;
    if (maxTokens.value !== '') body.max_tokens = Number(maxTokens.value);
    try {
      const job = await api('/api/jobs', { json: body });
      input.value = '';
      await submitted(job);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    }
  });
  return form;
}

function filterForm(refresh) {
  const status = h('select', { id: 'jobs-status', name: 'status' },
    ['', 'pending', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => h('option', { value: s, selected: filters.status === s }, s || 'any')));
  const model = h('input', { id: 'jobs-model', name: 'model', value: filters.model, placeholder: 'any' });
  const batch = h('input', { id: 'jobs-batch', name: 'batch', value: filters.batch, placeholder: 'batch_...' });
  const form = h('form', { class: 'filters', id: 'jobs-filters' },
    field('Status', status), field('Model', model), field('Batch', batch), h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    filters.status = status.value;
    filters.model = model.value.trim();
    filters.batch = batch.value.trim();
    refresh();
  });
  return form;
}

function drawList(list, jobs, open) {
  if (jobs.length === 0) {
    list.replaceChildren(message('No jobs match.'));
    return;
  }
  list.replaceChildren(table(['Job', 'Status', 'Provider / model', 'Batch', 'Created', 'Finished', 'Cost'],
    jobs.map((job) => [
      h('button', { type: 'button', class: 'link', 'data-open': job.id, onclick: () => open(job) }, job.id),
      badge(job.status),
      job.route ? `route ${job.route}` : [job.provider, job.model_name].filter(Boolean).join('/') || 'default',
      job.batch_id ?? '–',
      time(job.created_at),
      time(job.finished_at),
      job.result ? usd(job.result.cost_usd) : '–',
    ]), { id: 'jobs' }));
  for (const [index, row] of [...list.querySelectorAll('tbody tr')].entries()) {
    row.dataset.job = jobs[index].id;
    row.dataset.status = jobs[index].status;
  }
}

async function drawBatches(container, jobs) {
  const ids = [...new Set(jobs.map((j) => j.batch_id).filter(Boolean))].slice(0, 10);
  if (ids.length === 0) {
    container.replaceChildren();
    return;
  }
  const found = await Promise.all(ids.map((id) => api(`/api/batches/${encodeURIComponent(id)}`).catch(() => null)));
  container.replaceChildren(h('h2', null, 'Batches'), ...found.filter(Boolean).map((batch) => {
    const done = batch.counts.succeeded + batch.counts.failed + batch.counts.cancelled;
    return h('div', { class: 'batch card', 'data-batch': batch.id },
      h('strong', null, batch.id), ' ', badge(batch.status),
      h('progress', { max: batch.total, value: done }),
      h('span', { class: 'muted' }, ` ${done} of ${batch.total} done · ${batch.counts.succeeded} succeeded, ${batch.counts.failed} failed, ${batch.counts.cancelled} cancelled, ${batch.counts.running} running, ${batch.counts.pending} pending`));
  }));
}

function drawDetail(detail, job, refresh) {
  const cancellable = job.status === 'pending' || job.status === 'running';
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const result = job.result;
  detail.replaceChildren(h('section', { class: 'card', 'data-job': job.id, 'data-status': job.status },
    h('h2', null, `Job ${job.id} `, badge(job.status)),
    h('p', { class: 'muted' }, `Created ${time(job.created_at)} · started ${time(job.started_at)} · finished ${time(job.finished_at)} · attempts ${job.attempts}`),
    cancellable ? h('button', { type: 'button', class: 'danger', id: 'job-cancel', onclick: async () => {
      try {
        await api(`/api/jobs/${encodeURIComponent(job.id)}/cancel`, { method: 'POST' });
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
      }
      await refresh();
    } }, 'Cancel') : null,
    error,
    result ? [
      h('pre', { class: 'answer', id: 'job-result' }, result.text ?? ''),
      h('dl', { class: 'stats' },
        h('dt', null, 'Provider / model'), h('dd', null, `${result.provider}/${result.model}`),
        h('dt', null, 'Input tokens'), h('dd', { 'data-field': 'input-tokens' }, number(result.usage?.input_tokens)),
        h('dt', null, 'Output tokens'), h('dd', { 'data-field': 'output-tokens' }, number(result.usage?.output_tokens)),
        h('dt', null, 'Cost'), h('dd', { 'data-field': 'cost' }, usd(result.cost_usd)),
        h('dt', null, 'Latency'), h('dd', null, `${result.latency_ms} ms`),
        h('dt', null, 'Attempts'), h('dd', null, result.attempts ?? '')),
    ] : null,
    job.error ? message(`${job.error.type}: ${job.error.message}`, 'error') : null));
}
