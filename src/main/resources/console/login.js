// The login page's one script: show the failure note after a wrong login (?failed).
if (location.search.indexOf('failed') >= 0) {
  document.getElementById('failed').hidden = false;
}
