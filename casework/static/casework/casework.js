// Small keyboard helpers for the casework pages. Everything works without this file.
(function () {
  "use strict";

  // Ctrl+Enter (Cmd+Enter on a Mac) submits the form the cursor is in.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target.closest && event.target.closest("form[data-ctrl-enter]");
    if (!form) return;
    event.preventDefault();
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });

  // Type to narrow a long select (e.g. the enterprise): matching options stay, the first is chosen.
  document.querySelectorAll("input[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.dataset.filterSelect);
    if (!select) return;
    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !option.value || option.text.toLowerCase().indexOf(term) !== -1;
        option.hidden = !match;
        if (match && option.value && first === null) first = option;
      });
      if (term && first) select.value = first.value;
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !(event.ctrlKey || event.metaKey)) {
        event.preventDefault(); // Enter picks the enterprise and moves on, it does not submit.
        select.focus();
      }
    });
  });

  // "Add a row" in the typed workers table: clone the empty row, bump the formset's count.
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    var body = document.getElementById(button.dataset.addRow);
    var template = document.getElementById("typed-row-template");
    var total = document.querySelector("input[name$='-TOTAL_FORMS']");
    if (!body || !template || !total) return;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
      body.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      var first = body.lastElementChild.querySelector("input");
      if (first) first.focus();
    });
  });

  // Enter in a typed worker row moves to the next field (the intake form's disabled default
  // button already keeps Enter from submitting it); Ctrl+Enter still records the petition.
  var typedRows = document.getElementById("typed-rows");
  if (typedRows) {
    typedRows.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      var fields = Array.prototype.slice.call(typedRows.querySelectorAll("input:not([type=hidden])"));
      var next = fields[fields.indexOf(event.target) + 1];
      if (next) next.focus();
    });
  }

  // The top bar's menu: folded on a phone (a tap opens it; Escape or a tap elsewhere closes it),
  // open on a wider screen even where the browser lacks the CSS that shows it.
  var menu = document.getElementById("menu");
  if (menu) {
    var phone = window.matchMedia("(max-width: 760px)");
    var fit = function () { menu.open = !phone.matches; };
    fit();
    phone.addEventListener("change", fit);
    document.addEventListener("click", function (event) {
      if (phone.matches && menu.open && !menu.contains(event.target)) menu.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && phone.matches && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // After a refused submit, put the cursor on the first field that needs correcting.
  var broken = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (broken) broken.focus();
})();
