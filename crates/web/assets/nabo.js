// Nabo's only script, and an optional one: every page works without it.
// After a form comes back with errors, move focus to the error summary so that
// screen-reader and keyboard users hear what went wrong first (GOV.UK pattern).
(function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
