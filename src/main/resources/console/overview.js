// Overview: every job of the pair with last status, last success, next run; run-now; a running job's live tree.
'use strict';
let polling = null;

async function loadJobs() {
  const [jobs, fleet] = await Promise.all([getJson(api('/jobs')), getJson('/api/pairs')]);
  const mine = (fleet.find(p => p.pair === pair) || { jobs: [] }).jobs;
  const success = type => (mine.find(j => j.jobType === type) || {}).lastSuccess;
  const box = document.getElementById('jobs');
  box.removeAttribute('aria-busy');
  box.replaceChildren(table([
    ['Job', j => el('a', { href: link('run.html', { job: j.jobType }), class: 'job-link' }, j.jobType)],
    ['Enabled', j => j.enabled ? 'yes' : 'no'],
    ['Last status', j => el('span', { class: 'status-' + (j.running ? 'RUNNING' : j.lastExecutedStatus),
      id: 'status-' + j.jobType }, j.running ? 'RUNNING' : j.lastExecutedStatus)],
    ['Last run', j => when(j.lastExecuted)],
    ['Last success', j => when(success(j.jobType))],
    ['Next run', j => when(j.nextExecutionTime)],
    ['', j => el('button', { class: 'outline run-now', id: 'run-' + j.jobType, disabled: j.running ? '' : null,
      onclick: () => runNow(j.jobType) }, 'Run now')]
  ], jobs, 'jobs-table'));
  const running = jobs.find(j => j.running);
  if (running && !polling) watch(running.jobType);
}

async function runNow(type) {
  try {
    await postJson(api('/jobs/' + type + '/execute'));
    watch(type);
    await loadJobs();
  } catch (e) { showError(e); }
}

function watch(type) {
  const live = document.getElementById('live');
  live.hidden = false;
  document.getElementById('live-job').textContent = type;
  clearInterval(polling);
  polling = setInterval(async () => {
    try {
      drawTree(await getJson(api('/scheduling/running/' + type)), document.getElementById('live-tree'));
    } catch (e) {
      if (e.status !== 404) { showError(e); return; }
      // finished: the live tree becomes the finished one, and the job table shows the outcome
      clearInterval(polling);
      polling = null;
      document.getElementById('live-job').textContent = type + ' (finished)';
      try { drawTree(await getJson(api('/scheduling/completed/' + type)), document.getElementById('live-tree')); }
      catch (ignored) { /* never completed */ }
      loadJobs().catch(showError);
    }
  }, 700);
}

navigation().then(loadJobs).catch(showError);
setInterval(() => { if (!polling) loadJobs().catch(showError); }, 10000);
