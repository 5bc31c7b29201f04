// A form that comes back refused: focus moves to the list of problems, so keyboard and
// screen reader users start there; each entry links to its field. Without JavaScript the
// list is still first on the page and announced (role="alert").
const summary = document.querySelector('.form-errors');
if (summary) {
  summary.tabIndex = -1;
  summary.focus();
}
