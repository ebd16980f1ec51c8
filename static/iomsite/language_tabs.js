// Language tabs on admin change forms: the translated fields (django-modeltranslation's
// "mt-field-<field>-<language>" widgets) are grouped by language, a tab per language, English
// first, and "All languages" to see them side by side. A tab counts the fields still missing in
// its language (empty while the English one is filled) and shows a mark when one of its fields
// has an error. Without this script the form shows every language, as before.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector("#content-main form");
  if (!form || !script) return;
  var languages = JSON.parse(script.dataset.languages || "[]");
  var labels = JSON.parse(script.dataset.labels || "{}");
  var storageKey = "iomsite-language-tab";

  function languageOf(widget) {
    for (var i = 0; i < widget.classList.length; i++) {
      var name = widget.classList[i];
      if (name.indexOf("mt-field-") === 0) {
        var cut = name.lastIndexOf("-");
        return { field: name.slice(9, cut), language: name.slice(cut + 1).replace("_", "-") };
      }
    }
    return null;
  }
  function rowOf(widget) {
    // Tables of inline rows keep their columns; a row added later ("Add another") shows every language.
    if (widget.closest(".tabular, .empty-form")) return null;
    return widget.closest(".fieldBox") || widget.closest(".form-row");
  }

  var rows = {}; // language -> [row]
  var widgets = []; // {widget, field, language}
  Array.prototype.forEach.call(form.querySelectorAll("[class*='mt-field-']"), function (widget) {
    var info = languageOf(widget);
    var row = info && rowOf(widget);
    if (!row) return;
    info.widget = widget;
    info.row = row;
    widgets.push(info);
    (rows[info.language] = rows[info.language] || []).push(row);
  });
  var present = languages.filter(function (item) { return rows[item[0]]; });
  if (present.length < 2) return;
  var first = present[0][0];

  var bar = document.createElement("div");
  bar.className = "language-tabs";
  bar.setAttribute("role", "tablist");
  bar.setAttribute("aria-label", labels.tablist || "Languages");
  var buttons = {};
  function addTab(code, name) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "language-tab";
    button.setAttribute("role", "tab");
    button.dataset.language = code;
    button.innerHTML = "";
    var label = document.createElement("span");
    label.textContent = name;
    var mark = document.createElement("span");
    mark.className = "language-tab-mark";
    button.append(label, mark);
    button.addEventListener("click", function () { select(code, true); });
    bar.appendChild(button);
    buttons[code] = button;
  }
  present.forEach(function (item) { addTab(item[0], item[1]); });
  addTab("all", labels.all || "All languages");

  function value(widget) {
    return (widget.value || "").replace(/<[^>]*>/g, "").trim();
  }
  function refresh() {
    var english = {};
    widgets.forEach(function (info) {
      if (info.language === first) english[info.field] = value(info.widget) !== "";
    });
    present.forEach(function (item) {
      var code = item[0];
      var missing = 0;
      var error = false;
      widgets.forEach(function (info) {
        if (info.language !== code) return;
        if (code !== first && english[info.field] && value(info.widget) === "") missing += 1;
        if (info.row.querySelector(".errorlist") || info.row.classList.contains("errors")) error = true;
      });
      var mark = buttons[code].querySelector(".language-tab-mark");
      var text = [];
      if (error) text.push(labels.error || "error");
      if (missing) text.push((labels.missing || "%s missing").replace(/%+s/, missing));
      mark.textContent = text.length ? " (" + text.join(", ") + ")" : "";
      buttons[code].classList.toggle("has-error", error);
      buttons[code].classList.toggle("has-missing", missing > 0);
    });
  }
  function select(code, remember) {
    Object.keys(buttons).forEach(function (key) {
      buttons[key].setAttribute("aria-selected", key === code ? "true" : "false");
      buttons[key].tabIndex = key === code ? 0 : -1;
    });
    widgets.forEach(function (info) {
      info.row.hidden = code !== "all" && info.language !== code;
    });
    if (remember) {
      try { window.sessionStorage.setItem(storageKey, code); } catch (error) { /* private mode */ }
    }
  }
  bar.addEventListener("keydown", function (event) {
    var keys = Object.keys(buttons);
    var index = keys.indexOf(event.target.dataset.language);
    if (index < 0) return;
    var next = null;
    if (event.key === "ArrowRight") next = keys[(index + 1) % keys.length];
    else if (event.key === "ArrowLeft") next = keys[(index - 1 + keys.length) % keys.length];
    else if (event.key === "Home") next = keys[0];
    else if (event.key === "End") next = keys[keys.length - 1];
    if (!next) return;
    event.preventDefault();
    select(next, true);
    buttons[next].focus();
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);

  var start = form.querySelector("fieldset") || form.firstElementChild;
  start.parentNode.insertBefore(bar, start);
  refresh();
  var withError = present.filter(function (item) { return buttons[item[0]].classList.contains("has-error"); });
  var saved = null;
  try { saved = window.sessionStorage.getItem(storageKey); } catch (error) { saved = null; }
  if (withError.length) select(withError.length > 1 ? "all" : withError[0][0], false);
  else select(saved && buttons[saved] ? saved : first, false);
})();
