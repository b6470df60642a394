// Run detail: one run's progress tree as a timeline and the request ledger rows of that run.
'use strict';
const job = params.get('job') || 'DATA_SYNC';

async function showRun(id) {
  const run = await getJson(api('/jobs/runs/' + encodeURIComponent(id)));
  document.getElementById('run-summary').replaceChildren(el('span', { class: 'status-' + run.status, id: 'run-status' },
    run.status), ' ', run.jobType, ' · ', run.trigger, ' · started ', when(run.started), ' · finished ',
  when(run.finished), run.summary ? ' · ' + run.summary : '');
  drawTree(run.progress || [], document.getElementById('tree'));
  const ledger = await getJson(api('/jobs/runs/' + encodeURIComponent(id) + '/requests?pageSize=500'));
  document.getElementById('requests').replaceChildren(
    el('p', {}, ledger.pager.total + ' calls' + (ledger.pager.total > 500 ? ' (newest 500 shown)' : '')),
    table([['At', r => when(r.at)], ['Stage', r => r.step || r.stage], ['Page', r => r.page],
      ['Call', r => r.method + ' ' + r.path], ['Status', r => r.status != null ? r.status : r.failure],
      ['Out', r => r.bytesOut], ['In', r => r.bytesIn], ['ms', r => r.millis], ['Attempt', r => r.attempt]],
    ledger.requests, 'requests-table'));
}

async function load() {
  await navigation();
  document.querySelector('h2').textContent = 'Run detail: ' + job;
  const runs = (await getJson(api('/jobs/' + job + '/runs?pageSize=50'))).runs;
  const select = document.getElementById('runs');
  runs.forEach(r => select.append(el('option', { value: r.jobId, selected: r.jobId === params.get('run') ? '' : null },
    when(r.started) + ' · ' + r.status + ' · ' + r.trigger)));
  select.addEventListener('change', () => showRun(select.value).catch(showError));
  if (runs.length === 0) {
    document.getElementById('run-summary').textContent = 'This job has not run yet.';
    return;
  }
  await showRun(params.get('run') || runs[0].jobId);
}
load().catch(showError);
