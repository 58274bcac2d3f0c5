// ropa — progressive enhancement. Vanilla JS, loaded with defer; every step
// checks that its elements exist, so the pages work the same without it.
(function () {
  "use strict";

  function norm(text) {
    return (text || "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }
  function noEnter(input) {
    // Enter in a filter box must not submit the surrounding form.
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") e.preventDefault();
    });
  }

  // 1. Filter the checkboxes of each pick list.
  each(document, "fieldset.pick-list", function (set) {
    var input = set.querySelector("input.pick-filter");
    if (!input) return;
    var count = document.createElement("p");
    count.className = "hint pick-count";
    count.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", count);
    input.hidden = false;
    noEnter(input);
    function update() {
      var q = norm(input.value), shown = 0, total = 0;
      each(set, "label.choice", function (label) {
        var hide = q !== "" && norm(label.textContent).indexOf(q) === -1;
        label.hidden = hide;
        total += 1;
        if (!hide) shown += 1;
      });
      each(set, ".pick-options", function (opts) {
        var empty = !opts.querySelector("label.choice:not([hidden])");
        opts.hidden = empty;
        var title = opts.previousElementSibling;
        if (title && title.classList.contains("group-title")) title.hidden = empty;
      });
      count.textContent = q === "" ? "" : shown === 0 ? "No match." : shown + " of " + total + " shown.";
    }
    input.addEventListener("input", update);
    update();
  });

  // 2. Filter the rows of a table: <input data-filter-table="table-id">.
  each(document, "input[data-filter-table]", function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table || !table.tBodies) return;
    noEnter(input);
    function update() {
      var q = norm(input.value);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          row.hidden = q !== "" && norm(row.textContent).indexOf(q) === -1;
        });
      });
    }
    input.addEventListener("input", update);
    update();
  });

  // 3. Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // 4. Confirm before deleting.
  each(document, "form.danger-zone, .danger-zone form", function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm("Delete this record? This cannot be undone.")) e.preventDefault();
    });
  });
})();
