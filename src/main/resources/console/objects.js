// Objects: per-object bookkeeping rows filtered by state and kind (and a uid); resend one, or all filtered, after
// a confirmation.
'use strict';
const STATES = ['TO_POST', 'TO_UPDATE', 'TO_DELETE', 'SYNCED', 'ERROR', 'WARNING'];
const ITEM_KINDS = ['dataValue', 'completeRegistration', 'EVENT', 'TRACKED_ENTITY', 'ENROLLMENT', 'RELATIONSHIP'];
const RESENDABLE = ['dataValue', 'completeRegistration', 'EVENT', 'TRACKED_ENTITY'];
let shown = [];

function filterValue(id) { return document.getElementById(id).value.trim(); }

async function load() {
  const q = ['pageSize=1000'];
  if (filterValue('f-state')) q.push('state=' + filterValue('f-state'));
  if (filterValue('f-kind')) q.push('kind=' + filterValue('f-kind'));
  const answer = await getJson(api('/sync/items?' + q.join('&')));
  const uid = filterValue('f-uid');
  shown = answer.items.filter(i => !uid || i.uid === uid);
  document.getElementById('count').textContent = shown.length + ' shown of ' + answer.pager.total;
  document.getElementById('items').replaceChildren(table([
    ['Kind', i => i.kind], ['Object', i => el('code', { class: 'uid' }, i.uid)],
    ['State', i => el('span', { class: 'status-' + i.state + ' state' }, i.state)],
    ['Attempts', i => i.attempts], ['Last error', i => i.lastError],
    ['Resend asked', i => i.resendRequested ? 'yes' : ''],
    ['', i => RESENDABLE.includes(i.kind) ? el('button', { class: 'outline resend', onclick: () => resend([i]) },
      'Resend') : '']
  ], shown, 'items-table'));
}

async function resend(items) {
  const what = items.length === 1 ? items[0].kind + ' ' + items[0].uid : items.length + ' objects';
  if (!confirm('Send ' + what + ' again on the next run of its stage?')) return;
  let done = 0;
  for (const i of items.filter(x => RESENDABLE.includes(x.kind))) {
    await postJson(api('/sync/items/' + i.kind + '/' + encodeURIComponent(i.uid) + '/resend'));
    done++;
  }
  document.getElementById('count').textContent = done + ' marked for resending';
  await load();
}

STATES.forEach(s => document.getElementById('f-state').append(el('option', { value: s }, s)));
ITEM_KINDS.forEach(k => document.getElementById('f-kind').append(el('option', { value: k }, k)));
['state', 'kind', 'uid'].forEach(k => { if (params.get(k)) document.querySelector('[name=' + k + ']').value = params.get(k); });
document.getElementById('filters').addEventListener('submit', e => { e.preventDefault(); load().catch(showError); });
document.getElementById('resend-all').addEventListener('click', () => resend(shown).catch(showError));
navigation().then(load).catch(showError);
