// The nightly roster's filter-as-you-type: rows are filtered in the page, so no name is sent anywhere.
(function () {
  "use strict";
  var group = document.getElementById("roster-filter-group");
  var input = document.getElementById("roster-filter");
  var body = document.getElementById("roster-rows");
  var shown = document.getElementById("roster-shown");
  if (!group || !input || !body) return;
  group.hidden = false;

  function visibleRows() {
    return Array.prototype.filter.call(body.querySelectorAll("tr"), function (row) { return !row.hidden; });
  }

  function apply() {
    var words = input.value.toLowerCase().split(/[\s,]+/).filter(Boolean);
    Array.prototype.forEach.call(body.querySelectorAll("tr"), function (row) {
      var name = row.getAttribute("data-name") || "";
      row.hidden = !words.every(function (word) { return name.indexOf(word) !== -1; });
    });
    shown.textContent = words.length ? visibleRows().length + " shown" : "";
  }

  input.addEventListener("input", apply);
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();  // Enter here never submits the check-in form by accident
    var rows = visibleRows();
    if (rows.length !== 1) return;
    var box = rows[0].querySelector("input[type=checkbox]");
    if (box) box.checked = true;
    input.value = "";
    apply();
    shown.textContent = "Ticked. " + document.querySelectorAll("#roster-rows input[type=checkbox]:checked").length + " ticked in all.";
  });
  document.body.addEventListener("htmx:afterSwap", apply);
})();
