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

  // 5. Add and remove rows of the activity form without a page load. The server renders at
  //    least one row per list (for an optional list without rows, a disabled hidden template);
  //    a new row is that template shown, or a cleared copy of the last row, renumbered.
  //    Without JavaScript the same buttons ask the server to do it.
  var activityForm = document.querySelector("form.activity-form");
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  if (activityForm) activityForm.appendChild(live);

  function renumber(card, list, from, to) {
    var old = list + "[" + from + "]", now = list + "[" + to + "]";
    each(card, "[name], [id], [for], [aria-describedby]", function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && v.indexOf(old) !== -1) el.setAttribute(attr, v.split(old).join(now));
      });
    });
    each(card, "button[value^='remove:']", function (b) {
      b.value = "remove:" + list + ":" + to;
    });
    each(card, ".row-n", function (span) {
      span.textContent = String(to + 1);
    });
    each(card, "[aria-label]", function (el) {
      el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/\d+$/, String(to + 1)));
    });
    card.setAttribute("data-index", String(to));
  }

  function clear(card) {
    each(card, "input, textarea, select", function (el) {
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
      el.removeAttribute("aria-invalid");
    });
    each(card, ".field-error", function (e) { e.remove(); });
    each(card, ".has-error", function (e) { e.classList.remove("has-error"); });
  }

  if (activityForm) {
    activityForm.addEventListener("click", function (e) {
      var button = e.target.closest ? e.target.closest("button[name=action]") : null;
      if (!button) return;
      var parts = (button.value || "").split(":");
      var list = parts[1];
      var cards = activityForm.querySelectorAll(".row-card[data-list='" + list + "']");
      // An optional list without rows holds a disabled template row: adding shows it.
      var template = activityForm.querySelector("fieldset.row-template[data-list='" + list + "']");
      if (parts[0] === "add" && parts.length === 2 && template && template.disabled) {
        e.preventDefault();
        template.disabled = false;
        template.hidden = false;
        var field = template.querySelector("input, textarea, select");
        if (field) field.focus();
        live.textContent = "Row added.";
        return;
      }
      if (parts[0] === "add" && parts.length === 2 && cards.length) {
        e.preventDefault();
        var last = cards[cards.length - 1];
        var max = 0;
        Array.prototype.forEach.call(cards, function (c) {
          max = Math.max(max, parseInt(c.getAttribute("data-index"), 10) || 0);
        });
        var copy = last.cloneNode(true);
        clear(copy);
        renumber(copy, list, parseInt(last.getAttribute("data-index"), 10) || 0, max + 1);
        last.insertAdjacentElement("afterend", copy);
        var first = copy.querySelector("input, textarea, select");
        if (first) first.focus();
        live.textContent = "Row added.";
      } else if (parts[0] === "remove" && parts.length === 3) {
        var card = button.closest(".row-card");
        if (!card) return;
        e.preventDefault();
        if (cards.length > 1) {
          card.remove();
        } else {
          clear(card);
          // The last row of an optional list goes back to being the hidden template.
          var holder = card.closest("fieldset.row-template");
          if (holder) {
            holder.disabled = true;
            holder.hidden = true;
          }
        }
        // Keep the visible numbers in order; field names may keep gaps (the server renumbers).
        each(activityForm, ".row-card[data-list='" + list + "']", function (c, n) {
          each(c, ".row-n", function (span) {
            span.textContent = String(n + 1);
          });
        });
        var add = activityForm.querySelector("button[value='add:" + list + "']");
        if (add) add.focus();
        live.textContent = "Row removed.";
      }
    });
  }

  // 5b. Retention rules offer the categories ticked under (c): ticking one there shows it in
  //     every rule and, when no rule covers it yet, gives it a rule of its own (the first
  //     rule with nothing ticked, or a new one); unticking it there takes it out of the rules.
  //     Without JavaScript the server offers the same rows when the form comes back.
  if (activityForm) {
    var categoryBoxes = activityForm.querySelectorAll("input[name='data_categories']");
    var ruleCards = function () {
      return activityForm.querySelectorAll(".row-card[data-list='retention']");
    };
    var syncRules = function () {
      var ticked = {}, any = false;
      Array.prototype.forEach.call(categoryBoxes, function (box) {
        if (box.checked) { ticked[box.value] = true; any = true; }
      });
      each(activityForm, ".row-card[data-list='retention'] label[data-category]", function (label) {
        var box = label.querySelector("input");
        var show = !!ticked[label.getAttribute("data-category")] || box.checked;
        label.hidden = !show;
        box.disabled = !show;
      });
      each(activityForm, ".row-card[data-list='retention'] [data-none-ticked]", function (p) {
        p.hidden = any;
      });
    };
    var ruleBox = function (card, value) {
      return card.querySelector("label[data-category='" + value + "'] input");
    };
    Array.prototype.forEach.call(categoryBoxes, function (box) {
      box.addEventListener("change", function () {
        var cards = ruleCards();
        if (!box.checked) {
          Array.prototype.forEach.call(cards, function (card) {
            var b = ruleBox(card, box.value);
            if (b) b.checked = false;
          });
          syncRules();
          return;
        }
        var covered = Array.prototype.some.call(cards, function (card) {
          var b = ruleBox(card, box.value);
          return b && b.checked;
        });
        syncRules();
        if (covered) return;
        var empty = Array.prototype.filter.call(cards, function (card) {
          return !card.querySelector("label[data-category] input:checked");
        })[0];
        if (!empty) {
          var add = activityForm.querySelector("button[value='add:retention']");
          if (!add) return;
          add.click();
          cards = ruleCards();
          empty = cards[cards.length - 1];
          box.focus();
        }
        var target = ruleBox(empty, box.value);
        if (target) {
          target.disabled = false;
          target.checked = true;
        }
        syncRules();
        live.textContent = "A retention rule is offered for this category.";
      });
    });
    activityForm.addEventListener("click", function (e) {
      var button = e.target.closest ? e.target.closest("button[value='add:retention']") : null;
      if (button) syncRules();
    });
  }

  // 6. Show the (a) section that fits the role: joint controllers for a controller activity,
  //    controllers acted for for a processor activity. A section with content stays visible.
  if (activityForm) {
    var roles = activityForm.querySelectorAll("input[name=role]");
    var showRole = function () {
      var checked = activityForm.querySelector("input[name=role]:checked");
      var role = checked ? checked.value : "";
      each(activityForm, "fieldset[data-role]", function (set) {
        var filled = Array.prototype.some.call(set.querySelectorAll("select, textarea"), function (el) {
          return el.value !== "";
        });
        set.hidden = role !== "" && set.getAttribute("data-role") !== role && !filled;
      });
      // Headings name the points of the record the role keeps: Art. 30(1) or 30(2).
      each(activityForm, "[data-role-label]", function (label) {
        label.hidden = role !== "" && label.getAttribute("data-role-label") !== role;
      });
    };
    Array.prototype.forEach.call(roles, function (r) {
      r.addEventListener("change", showRole);
    });
    showRole();
  }

  // 4. Confirm before deleting.
  each(document, "form.danger-zone, .danger-zone form", function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm("Delete this record? This cannot be undone.")) e.preventDefault();
    });
  });

  // 5. A form kept while its user signed in again goes back to its page at once (the page
  // has a button for the same without a script).
  each(document, "form[data-autosubmit]", function (form) {
    form.submit();
  });

  // 6. Leaving an edit form with changes not saved asks first. A form shown again after it
  // was posted (errors, a row added, a kept form) holds unsaved input from the start.
  each(document, "form[data-guard]", function (form) {
    function state() {
      return new URLSearchParams(new FormData(form)).toString();
    }
    var initial = state();
    var unsaved = form.getAttribute("data-guard") === "unsaved";
    var submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (e) {
      if (submitting || (!unsaved && state() === initial)) return;
      e.preventDefault();
      e.returnValue = "";
    });
  });
})();
