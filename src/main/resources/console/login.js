// The login page's one script: show why the last login did not succeed (?failed, ?throttled).
if (location.search.indexOf('failed') >= 0) {
  document.getElementById('failed').hidden = false;
}
if (location.search.indexOf('throttled') >= 0) {
  document.getElementById('throttled').hidden = false;
}
