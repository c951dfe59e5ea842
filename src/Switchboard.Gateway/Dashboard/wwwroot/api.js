// Calls to the gateway: the master key (when signed in) goes as Authorization: Bearer on every one; an error
// answer becomes an ApiError carrying the gateway's own message; a 401 sends the page back to the sign-in form.

const storageKey = 'switchboard.master_key';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};

export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export function masterKey() {
  return sessionStorage.getItem(storageKey);
}

export function setMasterKey(key) {
  if (key) sessionStorage.setItem(storageKey, key);
  else sessionStorage.removeItem(storageKey);
}

/** The headers every call sends: the key, and JSON when there is a body. */
export function headers(extra, key = masterKey()) {
  const result = { ...(extra ?? {}) };
  if (key) result.Authorization = `Bearer ${key}`;
  return result;
}

/** fetch with the key; resolves to the Response when it is 2xx, otherwise throws ApiError. */
export async function send(path, options = {}) {
  const init = { ...options, headers: headers(options.headers, options.key) };
  if (options.json !== undefined) {
    init.method = init.method ?? 'POST';
    init.body = JSON.stringify(options.json);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  if (response.ok) return response;
  const text = await response.text();
  let body = null;
  let reason = text || `${response.status} ${response.statusText}`;
  try {
    body = JSON.parse(text);
    reason = body?.error?.message ?? (typeof body?.error === 'string' ? body.error : reason);
  } catch {
    // Not JSON: the text is the message.
  }
  const error = new ApiError(response.status, reason, body);
  if (response.status === 401) onUnauthorized(reason);
  throw error;
}

/** GET (or any method with options) and parse JSON. */
export async function api(path, options) {
  const response = await send(path, options);
  return response.status === 204 ? null : response.json();
}

/** A query string from an object, skipping empty values. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
