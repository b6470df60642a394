// Draws DHIS2's progress tree (array of processes → stages → items) as a timeline: one bar per node, placed by its
// start and length within the whole run; each item (a page) shows its summary (central's counts) and duration.
'use strict';
function drawTree(processes, into) {
  into.replaceChildren();
  const t = n => n && n.startedTime ? Date.parse(n.startedTime) : null;
  const end = n => n.completedTime ? Date.parse(n.completedTime) : Date.now();
  const starts = processes.map(t).filter(x => x != null);
  const t0 = Math.min(...starts);
  const t1 = Math.max(t0 + 1, ...processes.map(end));
  const bar = n => {
    const s = t(n) == null ? t0 : t(n);
    const line = el('div', { class: 'timeline' });
    const b = el('div', { class: 'bar ' + (n.status || ''), title: n.description });
    b.style.left = (100 * (s - t0) / (t1 - t0)) + '%';
    b.style.width = (100 * (end(n) - s) / (t1 - t0)) + '%';
    line.append(b);
    return line;
  };
  const label = n => [el('span', { class: 'status-' + n.status }, n.status), ' ', n.description,
    ' · ', duration(n.duration != null ? n.duration : (t(n) ? end(n) - t(n) : null)),
    n.summary ? ' · ' + n.summary : '', n.error ? ' · ' + n.error : ''];
  const pages = s => { const n = (s.items || []).length;
    return s.totalItems > 0 ? ' · ' + n + '/' + s.totalItems + ' pages' : n ? ' · ' + n + ' pages' : ''; };
  processes.forEach(p => {
    const box = el('div', { class: 'tree-process' }, el('strong', {}, label(p)), bar(p));
    (p.stages || []).forEach(s => {
      const stage = el('div', { class: 'tree-stage' }, el('div', {},
        label(s), pages(s)), bar(s));
      (s.items || []).forEach(i => stage.append(el('div', { class: 'tree-item' }, el('div', {}, label(i)), bar(i))));
      box.append(stage);
    });
    into.append(box);
  });
}
