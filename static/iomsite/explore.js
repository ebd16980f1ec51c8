// The Explore view, opened in place: a node's children come from its data-children URL when it is
// opened (the links keep working without this script, one page load per node). Arrow keys move
// through the tree: Up/Down between lines, Right opens (or steps in), Left closes (or steps out).
(function () {
  "use strict";
  var tree = document.getElementById("explore-tree");
  if (!tree || !window.fetch) return;

  function nodeOf(element) { return element.closest(".explorer-node"); }
  function titleOf(node) {
    var row = node.querySelector(":scope > .explorer-row");
    return row && (row.querySelector("a.explorer-title") || row.querySelector("a.explorer-toggle"));
  }
  function rows() {
    return Array.prototype.filter.call(tree.querySelectorAll(".explorer-node"), function (node) {
      return titleOf(node) !== null;
    });
  }
  function remember() {
    var open = Array.prototype.map.call(tree.querySelectorAll(".explorer-node.is-open"), function (node) {
      return node.dataset.node;
    });
    var url = new URL(window.location.href);
    url.search = open.length ? "?open=" + encodeURIComponent(open.join(",")) : "";
    url.hash = "";
    window.history.replaceState(null, "", url.toString());
  }
  function setToggle(node, open) {
    var toggle = node.querySelector(":scope > .explorer-row > a.explorer-toggle");
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    var label = open ? toggle.dataset.close || "Close" : toggle.dataset.open || "Open";
    toggle.querySelector(".visually-hidden").textContent = label + " ";
    toggle.querySelector("[aria-hidden]").textContent = open ? "▾" : "▸";
    toggle.title = label;
  }
  function close(node) {
    var children = node.querySelector(":scope > .explorer-children");
    if (children) children.remove();
    node.classList.remove("is-open");
    setToggle(node, false);
    remember();
  }
  function open(node) {
    if (node.classList.contains("is-open") || !node.dataset.children) return Promise.resolve();
    node.setAttribute("aria-busy", "true");
    return fetch(node.dataset.children, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        node.insertAdjacentHTML("beforeend", html);
        node.classList.add("is-open");
        setToggle(node, true);
        remember();
      })
      .catch(function () {
        window.location.href = node.querySelector(".explorer-toggle").href;  // the plain link still works
      })
      .finally(function () { node.removeAttribute("aria-busy"); });
  }

  tree.addEventListener("click", function (event) {
    var toggle = event.target.closest("a.explorer-toggle, a.explorer-title");
    if (!toggle || (toggle.classList.contains("explorer-title") && !toggle.hasAttribute("data-toggles"))) return;
    var node = nodeOf(toggle);
    if (!node.dataset.children) return;
    event.preventDefault();
    if (node.classList.contains("is-open")) close(node); else open(node);
  });

  tree.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var node = nodeOf(event.target);
    if (!node || !event.target.matches("a.explorer-title, a.explorer-toggle")) return;
    var all = rows();
    var index = all.indexOf(node);
    var target = null;
    switch (event.key) {
      case "ArrowDown": target = all[index + 1]; break;
      case "ArrowUp": target = all[index - 1]; break;
      case "Home": target = all[0]; break;
      case "End": target = all[all.length - 1]; break;
      case "ArrowRight":
        if (node.dataset.children && !node.classList.contains("is-open")) {
          open(node);
        } else {
          target = node.querySelector(":scope > .explorer-children > .explorer-node");
        }
        break;
      case "ArrowLeft":
        if (node.classList.contains("is-open")) close(node);
        else target = node.parentElement.closest(".explorer-node");
        break;
      default: return;
    }
    event.preventDefault();
    if (target) titleOf(target).focus();
  });
})();
