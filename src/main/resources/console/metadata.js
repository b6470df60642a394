// Metadata versions: imported and failed (with the import report), and how many central has that are pending.
'use strict';
async function load() {
  const fleet = await navigation();
  const m = fleet && fleet.metadata;
  document.getElementById('pending').replaceChildren(m
    ? el('span', { id: 'pending-count' }, 'Local version ' + (m.localVersion || 'none') + ' · central ' +
      (m.centralVersion || 'unknown') + ' · pending on central: ' + (m.versionsBehind == null ? 'unknown' : m.versionsBehind))
    : 'Central not reachable: pending versions unknown');
  const versions = (await getJson(api('/metadata/versions'))).versions;
  document.getElementById('versions').replaceChildren(versions.length === 0 ? el('p', {}, 'No version imported yet.')
    : table([['Version', v => v.name], ['Type', v => v.type],
      ['Status', v => el('span', { class: 'status-' + v.status }, v.status)],
      ['Created', v => when(v.created)], ['Imported', v => when(v.importedAt)], ['Failed', v => when(v.failedAt)],
      ['Message', v => v.message],
      ['Import report', v => v.report ? el('details', {}, el('summary', {}, (v.report.status || 'report')),
        el('pre', { class: 'report' }, JSON.stringify(v.report, null, 2))) : '—']], versions, 'versions-table'));
}
load().catch(showError);
