// The table of contents on a publication's form: drag a line, or use its arrows, to change the order.
// Without this script the "order" numbers do the same. The numbers are what the form sends; the
// server moves the entries through django-mptt (publications.models.TocEntryManager.reorder).
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };

  function rows(tbody) {
    return Array.prototype.slice.call(tbody.querySelectorAll("tr.form-row:not(.empty-form)"));
  }
  function renumber(tbody) {
    rows(tbody).forEach(function (row, index) {
      var input = row.querySelector("input.toc-order");
      if (input) input.value = index;
    });
  }
  function button(label, symbol, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "toc-move " + className;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.textContent = symbol;
    return element;
  }
  function decorate(row, tbody) {
    if (row.dataset.tocReady || row.classList.contains("empty-form")) return;
    var cell = row.querySelector("td.field-order");
    if (!cell) return;
    row.dataset.tocReady = "1";
    var order = cell.querySelector("input.toc-order");
    if (order) order.tabIndex = -1;  // the arrows and dragging replace typing the numbers
    row.draggable = true;
    row.classList.add("toc-row");
    var handle = document.createElement("span");
    handle.className = "toc-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    var up = button(gettext("Move up"), "↑", "toc-up");
    var down = button(gettext("Move down"), "↓", "toc-down");
    up.addEventListener("click", function () {
      var before = row.previousElementSibling;
      if (before && before.matches("tr.form-row:not(.empty-form)")) {
        before.before(row);
        renumber(tbody);
        up.focus();
      }
    });
    down.addEventListener("click", function () {
      var after = row.nextElementSibling;
      if (after && after.matches("tr.form-row:not(.empty-form)")) {
        after.after(row);
        renumber(tbody);
        down.focus();
      }
    });
    cell.prepend(handle);
    cell.append(up, down);
  }
  function setup(fieldset) {
    var tbody = fieldset.querySelector("tbody");
    if (!tbody) return;
    fieldset.classList.add("toc-enhanced");
    rows(tbody).forEach(function (row) { decorate(row, tbody); });
    var dragged = null;
    tbody.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("tr.toc-row");
      if (!dragged) return;
      dragged.classList.add("toc-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.id);
    });
    tbody.addEventListener("dragover", function (event) {
      var target = event.target.closest("tr.toc-row");
      if (!dragged || !target || target === dragged) return;
      event.preventDefault();
      var box = target.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) target.before(dragged); else target.after(dragged);
    });
    tbody.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    tbody.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("toc-dragging");
      dragged = null;
      renumber(tbody);
    });
    document.addEventListener("formset:added", function (event) {
      var row = event.target;
      if (row && tbody.contains(row)) {
        decorate(row, tbody);
        renumber(tbody);
      }
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("fieldset.toc-inline"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
