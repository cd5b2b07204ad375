// Keyboard help for the header search: Escape closes the results, "/" focuses the box.
document.addEventListener("keydown", function (event) {
  var input = document.getElementById("header-search-input");
  var results = document.getElementById("header-search-results");
  if (!input) return;
  if (event.key === "/" && document.activeElement === document.body) {
    event.preventDefault();
    input.focus();
  } else if (event.key === "Escape" && results && results.innerHTML) {
    results.innerHTML = "";
    input.focus();
  }
});

// Household member rows: Enter in the member search searches instead of submitting the form,
// a new row gets the focus on its relationship select, a removed row hands the focus back.
(function () {
  function announce(text) {
    var region = document.getElementById("member-announce");
    if (region) region.textContent = text;
  }
  function refreshEmptyState() {
    var rows = document.getElementById("member-rows");
    var empty = document.getElementById("no-members");
    if (rows && empty) empty.hidden = rows.querySelector("[data-member-row]") !== null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-enter-searches]")) {
      event.preventDefault();
      // htmx searches at once on this event (hx-trigger "enter-search"): no filter expression, so no eval.
      event.target.dispatchEvent(new CustomEvent("enter-search", {bubbles: true}));
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-remove-row]");
    if (!button) return;
    var row = button.closest("[data-member-row]");
    if (!row) return;
    var name = row.querySelector("[data-member-name]");
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    refreshEmptyState();
    var focusTarget = next ? next.querySelector("select") : document.getElementById("member-search-input");
    if (focusTarget) focusTarget.focus();
    if (name) announce((button.dataset.removedText || "Removed:") + " " + name.textContent.trim());
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "member-rows") return;
    refreshEmptyState();
    var rows = target.querySelectorAll("[data-member-row]");
    var last = rows[rows.length - 1];
    var search = document.getElementById("member-search-input");
    var results = document.getElementById("member-search-results");
    if (search) search.value = "";
    if (results) results.innerHTML = "";
    if (last) {
      var select = last.querySelector("select");
      if (select) select.focus();
      var name = last.querySelector("[data-member-name]");
      var button = last.querySelector("[data-remove-row]");
      if (name) announce(((button && button.dataset.addedText) || "Added:") + " " + name.textContent.trim());
    }
  });
})();

// Live search results (header popup, home page): arrow keys move between the result links, Escape
// returns to the box. Works for any search input whose aria-controls names its results container.
(function () {
  function resultLinks(container) {
    return Array.prototype.slice.call(container.querySelectorAll("a.result-link"));
  }
  function controllerOf(container) {
    return document.querySelector('input[aria-controls="' + container.id + '"]');
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
    if (target.matches && target.matches("input[type=search][aria-controls]")) {
      var results = document.getElementById(target.getAttribute("aria-controls"));
      if (results && event.key === "ArrowDown") {
        var links = resultLinks(results);
        if (links.length) { event.preventDefault(); links[0].focus(); }
      }
      return;
    }
    var container = target.closest && target.closest("#header-search-results, #home-search-results");
    if (!container) return;
    var input = controllerOf(container);
    var items = resultLinks(container);
    var index = items.indexOf(target);
    if (event.key === "Escape") {
      event.preventDefault();
      if (container.id === "header-search-results") container.innerHTML = "";
      if (input) input.focus();
    } else if (index >= 0) {
      event.preventDefault();
      if (event.key === "ArrowDown" && index < items.length - 1) items[index + 1].focus();
      else if (event.key === "ArrowUp" && index > 0) items[index - 1].focus();
      else if (event.key === "ArrowUp" && input) input.focus();
    }
  });
  // The header popup closes when focus leaves the search form (clicking elsewhere, Tab past it).
  document.addEventListener("focusout", function (event) {
    var form = event.target.closest && event.target.closest(".header-search");
    if (!form) return;
    var next = event.relatedTarget;
    if (next && form.contains(next)) return;
    var popup = document.getElementById("header-search-results");
    if (popup) setTimeout(function () { if (!form.contains(document.activeElement)) popup.innerHTML = ""; }, 150);
  });
})();

// Forms: after inline validation refills an error box, mark its field aria-invalid accordingly;
// after a full submit with errors, move focus to the error summary so it is read first.
(function () {
  function syncInvalid() {
    document.querySelectorAll("[data-error-for]").forEach(function (box) {
      var field = document.getElementById(box.getAttribute("data-error-for"));
      if (!field) return;
      if (box.querySelector(".errorlist")) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    });
  }
  document.addEventListener("htmx:afterSettle", syncInvalid);
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();

// The error summary at the top of a form follows the fields' own error boxes: once inline validation has
// emptied a field's box (the error was fixed), that field's line leaves the summary, and an empty summary goes.
(function () {
  function syncSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.querySelectorAll("li > a[href^='#']").forEach(function (link) {
      var box = document.getElementById(link.getAttribute("href").slice(1) + "-errors");
      if (box && !box.querySelector(".errorlist li")) link.parentElement.remove();
    });
    var list = summary.querySelector("ul");
    if (list && !list.querySelector("li") && !summary.querySelector(".duplicates")) summary.remove();
  }
  document.addEventListener("htmx:afterSettle", syncSummary);
  document.addEventListener("htmx:oobAfterSwap", syncSummary);
})();

// Sections (web/views/_sections.py): a refused action answers 400 or 409 with the section, its reason at
// the top and beside the field; htmx swaps those in place too (by default it swaps only 2xx answers).
(function () {
  if (!window.htmx) return;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "40[09]", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];
  // After a section is swapped in, its notice or refusal gets the focus (read out, and the keyboard carries
  // on from there), scrolled into view only if it is not already: the page otherwise stays where it was.
  document.addEventListener("htmx:afterSettle", function (event) {
    var section = event.detail.elt;
    if (!section || !section.querySelector) return;
    var note = section.querySelector(":scope > .section-refusal, :scope > .section-notice");
    if (!note) return;
    note.setAttribute("tabindex", "-1");
    note.focus({ preventScroll: true });
    var box = note.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) note.scrollIntoView({ block: "nearest" });
  });
})();

// No inline script or on* attribute anywhere (Content-Security-Policy, decision 0021): the small behaviours
// the templates ask for by data attributes live here.
// A select that submits its form when changed (the language chooser; a <noscript> button does it without JS).
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("select[data-autosubmit]") && event.target.form) {
    event.target.form.submit();
  }
});

// A read-only field whose text is selected when it takes the focus (an address to copy).
document.addEventListener("focusin", function (event) {
  if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
});

// A "Copy" button (hidden without the clipboard API) copies the field it names and says so.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        var status = document.getElementById(button.id.replace(/-copy$/, "-copied"));
        if (status) status.textContent = button.dataset.copiedText || "";
      });
    });
  });
})();

// A month grid (the calendar, the meetings): arrow keys move between its days (each day cell takes the focus in
// turn); Tab still walks the links; Page Up / Page Down follow the previous / next month links.
(function () {
  var grid = document.getElementById("month-grid");
  if (!grid) return;
  var cells = Array.prototype.slice.call(grid.querySelectorAll("tbody td"));
  if (!cells.length) return;
  var start = grid.querySelector("td.today") || grid.querySelector("td:not(.other-month)") || cells[0];
  cells.forEach(function (cell) { cell.tabIndex = cell === start ? 0 : -1; });
  grid.addEventListener("keydown", function (event) {
    if (event.key === "PageUp" || event.key === "PageDown") {
      var link = document.getElementById(event.key === "PageUp" ? "month-prev" : "month-next");
      if (link) { event.preventDefault(); window.location.href = link.href + (link.href.indexOf("#") < 0 ? "#month-grid" : ""); }
      return;
    }
    var index = cells.indexOf(event.target.closest ? event.target.closest("td") : null);
    if (index < 0) return;
    var moves = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7, Home: -(index % 7), End: 6 - (index % 7)};
    if (!(event.key in moves)) return;
    var next = cells[index + moves[event.key]];
    if (!next) return;
    event.preventDefault();
    cells.forEach(function (cell) { cell.tabIndex = -1; });
    next.tabIndex = 0;
    next.focus();
  });
  if (window.location.hash === "#month-grid") { start.focus(); }
})();
