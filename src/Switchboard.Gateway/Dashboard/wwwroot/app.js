// The dashboard's shell: asks /api/session whether a master key is needed, shows the sign-in form or the page the
// hash names (#/usage, #/providers, #/playground, #/jobs, #/keys, #/routes), and tears a page down when leaving it.
import { api, masterKey, setMasterKey, whenUnauthorized } from './api.js';
import { message } from './dom.js';

const pages = {
  usage: () => import('./pages/usage.js'),
  providers: () => import('./pages/providers.js'),
  playground: () => import('./pages/playground.js'),
  jobs: () => import('./pages/jobs.js'),
  keys: () => import('./pages/keys.js'),
  routes: () => import('./pages/routes.js'),
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signIn = document.getElementById('sign-in');
const signInForm = document.getElementById('sign-in-form');
const signInKey = document.getElementById('sign-in-key');
const signInError = document.getElementById('sign-in-error');
const signOut = document.getElementById('sign-out');

let session = null;
let leave = null;
let rendering = 0;

function showSignIn(reason) {
  leavePage();
  session = null;
  nav.hidden = true;
  signOut.hidden = true;
  main.hidden = true;
  signIn.hidden = false;
  signInError.hidden = !reason;
  signInError.textContent = reason ?? '';
  signInKey.value = '';
  signInKey.focus();
}

function leavePage() {
  if (typeof leave === 'function') leave();
  leave = null;
}

async function show() {
  if (!session) return;
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] || 'usage';
  if (!pages[name]) {
    location.hash = '#/usage';
    return;
  }
  leavePage();
  const ticket = ++rendering;
  for (const link of nav.querySelectorAll('a')) link.classList.toggle('active', link.dataset.page === name);
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · Switchboard`;
  const root = document.createElement('section');
  root.className = 'page';
  root.id = `page-${name}`;
  main.replaceChildren(root);
  try {
    const page = await pages[name]();
    if (ticket !== rendering) return;
    const cleanup = await page.render(root, { session });
    if (ticket === rendering) leave = cleanup ?? null;
    else if (typeof cleanup === 'function') cleanup();
  } catch (error) {
    if (ticket === rendering && error?.status !== 401) root.append(message(error.message, 'error'));
  }
}

function enter(answer) {
  session = answer;
  signIn.hidden = true;
  main.hidden = false;
  nav.hidden = false;
  signOut.hidden = !answer.master_key_required;
  show();
}

async function start() {
  whenUnauthorized((reason) => {
    setMasterKey(null);
    showSignIn(reason);
  });
  let answer;
  try {
    answer = await api('/api/session');
  } catch (error) {
    main.replaceChildren(message(`The gateway did not answer: ${error.message}`, 'error'));
    return;
  }
  if (answer.authenticated) enter(answer);
  else {
    // A key kept from before that no longer opens the gateway is dropped, and the reason shown.
    const kept = masterKey();
    setMasterKey(null);
    showSignIn(kept ? answer.message : null);
  }
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = signInKey.value.trim();
  if (!key) return;
  signInError.hidden = true;
  try {
    const answer = await api('/api/session', { key });
    if (!answer.authenticated) {
      showSignIn(answer.message);
      return;
    }
    setMasterKey(key);
    if (!location.hash || location.hash === '#/') location.hash = '#/usage';
    enter(answer);
  } catch (error) {
    showSignIn(error.message);
  }
});

signOut.addEventListener('click', () => {
  setMasterKey(null);
  showSignIn(null);
});

window.addEventListener('hashchange', show);
document.getElementById('loading')?.remove();
start();
