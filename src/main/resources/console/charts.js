// Charts: per stage, objects sent and run duration per day over the last 30 days (Chart.js), and the sync lag.
'use strict';
function lagText(s) {
  if (s == null) return 'never succeeded';
  return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : (s / 3600).toFixed(1) + ' h';
}

async function load() {
  const fleet = await navigation();
  document.getElementById('lag').replaceChildren(table([['Stage', s => s.stage],
    ['Last success', s => when(s.lastSuccess)], ['Lag', s => lagText(s.lagSeconds)]],
  (fleet && fleet.stages) || [], 'lag-table'));
  const daily = await getJson(api('/stats/daily?days=30'));
  const box = document.getElementById('charts');
  if (daily.stages.length === 0) box.append(el('p', {}, 'No finished run in the last 30 days.'));
  daily.stages.forEach((s, n) => {
    const canvas = el('canvas', { id: 'chart-' + n });
    box.append(el('article', {}, el('header', {}, s.stage), canvas));
    new Chart(canvas, {
      data: {
        labels: s.days.map(d => d.day),
        datasets: [
          { type: 'bar', label: 'objects sent', data: s.days.map(d => d.objectsSent), yAxisID: 'objects' },
          { type: 'line', label: 'run time (s)', data: s.days.map(d => d.durationMillis / 1000), yAxisID: 'seconds' }]
      },
      options: { animation: false, scales: {
        objects: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'objects' } },
        seconds: { type: 'linear', position: 'right', beginAtZero: true, title: { display: true, text: 'seconds' },
          grid: { drawOnChartArea: false } } } }
    });
  });
}
load().catch(showError);
