// Shared by every console page: the pair in the URL (?pair=), calls to the admin API with the session cookie (and the
// CSRF token on state-changing calls), the navigation bar, logout, and small table helpers.
'use strict';
const params = new URLSearchParams(location.search);
const pair = params.get('pair') || 'default';

function api(path) {
  return '/api/pairs/' + encodeURIComponent(pair) + path;
}

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)dhis2sync_csrf=([^;]+)/);
  return m ? m[1] : '';
}

async function call(method, url) {
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  const r = await fetch(url, { method, headers, credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/console/login'; throw new Error('logged out'); }
  const text = await r.text();
  const body = text ? JSON.parse(text) : null;
  if (!r.ok) { const e = new Error((body && body.message) || ('HTTP ' + r.status)); e.status = r.status; throw e; }
  return body;
}
const getJson = url => call('GET', url);
const postJson = url => call('POST', url);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === null || v === undefined) return;
    if (k.startsWith('on')) e.addEventListener(k.substring(2), v); else e.setAttribute(k, v);
  });
  children.flat().forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return e;
}

function table(columns, rows, id) {
  return el('div', { class: 'overflow-auto' }, el('table', { id, class: 'striped' },
    el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c[0])))),
    el('tbody', {}, rows.map(r => el('tr', {}, columns.map(c => el('td', {}, c[1](r))))))));
}

function when(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

function duration(ms) {
  if (ms == null) return '—';
  if (ms < 1000) return ms + ' ms';
  const s = ms / 1000;
  return s < 120 ? s.toFixed(1) + ' s' : Math.round(s / 60) + ' min';
}

function link(page, extra) {
  const q = new URLSearchParams(Object.assign({ pair }, extra || {}));
  return '/console/' + page + '?' + q.toString();
}

function showError(e) {
  const box = document.getElementById('error');
  if (box) { box.hidden = false; box.textContent = e.message; }
}

async function logout() {
  await fetch('/console/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrfToken() } });
  location.href = '/console/login';
}

async function navigation() {
  const pages = [['index.html', 'Overview'], ['conflicts.html', 'Conflicts'], ['objects.html', 'Objects'],
    ['metadata.html', 'Metadata versions'], ['charts.html', 'Charts']];
  const select = el('select', { id: 'pair', 'aria-label': 'Sync pair',
    onchange: e => { const q = new URLSearchParams(location.search); q.set('pair', e.target.value);
      location.search = q.toString(); } });
  const nav = el('nav', {},
    el('ul', {}, el('li', {}, el('strong', {}, 'dhis2-sync')), el('li', {}, select)),
    el('ul', {}, pages.map(p => el('li', {}, el('a', { href: link(p[0]), id: 'nav-' + p[0].split('.')[0] }, p[1]))),
      el('li', {}, el('a', { href: '#', id: 'logout', onclick: e => { e.preventDefault(); logout(); } }, 'Log out'))));
  document.body.prepend(el('header', { class: 'container' }, nav));
  try {
    const fleet = await getJson('/api/pairs');
    fleet.forEach(p => select.append(el('option', { value: p.pair, selected: p.pair === pair ? '' : null }, p.pair)));
    return fleet.find(p => p.pair === pair);
  } catch (e) { showError(e); return null; }
}
