// Conflicts: filter by kind, error code, job and date (the API's filters), export CSV of the newest 1000, and
// a link from each conflict to its object's bookkeeping row (Objects page).
'use strict';
const KINDS = ['dataValue', 'completeRegistration', 'dataValueSet', 'EVENT', 'TRACKED_ENTITY', 'ENROLLMENT',
  'RELATIONSHIP'];
const OBJECT_KINDS = ['dataValue', 'completeRegistration', 'EVENT', 'TRACKED_ENTITY', 'ENROLLMENT', 'RELATIONSHIP'];
let shown = [];

function filterValue(id) { return document.getElementById(id).value.trim(); }

async function load() {
  const q = new URLSearchParams({ pageSize: '1000' });
  [['kind', 'f-kind'], ['errorCode', 'f-code'], ['job', 'f-job'], ['since', 'f-from'], ['until', 'f-to']]
    .forEach(([name, id]) => { if (filterValue(id)) q.set(name, filterValue(id)); });
  const answer = await getJson(api('/sync/conflicts?' + q.toString()));
  shown = answer.conflicts;
  const count = document.getElementById('count');
  count.textContent = shown.length + ' shown of ' + answer.pager.total + ' matching';
  count.dataset.query = q.toString();
  document.getElementById('conflicts').replaceChildren(table([
    ['Created', c => when(c.created)], ['Kind', c => c.kind],
    ['Object', c => OBJECT_KINDS.includes(c.kind)
      ? el('a', { href: link('objects.html', { kind: c.kind, uid: c.uid }), class: 'object-link' }, c.uid) : c.uid],
    ['Error', c => c.errorCode], ['Message', c => c.value], ['Property', c => c.property || c.object],
    ['Job', c => c.jobId ? el('a', { href: link('run.html', { job: c.jobType, run: c.jobId }) }, c.jobType) : '—']
  ], shown, 'conflicts-table'));
}

function csv() {
  const cols = ['created', 'kind', 'uid', 'object', 'property', 'errorCode', 'severity', 'value', 'jobType', 'jobId'];
  const quote = v => '"' + String(v == null ? '' : v).replace(/"/g, '""') + '"';
  const text = [cols.join(',')].concat(shown.map(c => cols.map(k => quote(c[k])).join(','))).join('\r\n');
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })),
    download: 'conflicts-' + pair + '.csv' });
  document.body.append(a);
  a.click();
  a.remove();
}

KINDS.forEach(k => document.getElementById('f-kind').append(el('option', { value: k }, k)));
['kind', 'errorCode', 'job'].forEach(k => { if (params.get(k)) document.querySelector('[name=' + k + ']').value = params.get(k); });
document.getElementById('filters').addEventListener('submit', e => { e.preventDefault(); load().catch(showError); });
document.getElementById('csv').addEventListener('click', csv);
navigation().then(load).catch(showError);
