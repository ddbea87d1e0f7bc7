// The contact form asks 4.12's follow-up questions only when they apply (the server nulls them otherwise).
(function () {
  "use strict";
  var form = document.getElementById("contact-form");
  if (!form) return;
  var asks = (form.getAttribute("data-asks-leave") || "").split(" ");
  var subsidy = form.getAttribute("data-with-subsidy");
  var situation = form.querySelector("[name=current_living_situation]");
  var leave = form.querySelector("[name=leave_situation_14_days]");
  function show(name, visible) {
    form.querySelectorAll("[data-show=" + name + "]").forEach(function (el) { el.hidden = !visible; });
  }
  function update() {
    show("subsidy", situation.value === subsidy);
    var asked = asks.indexOf(situation.value) !== -1;
    show("leave", asked);
    show("followups", asked && leave.value === "1");
  }
  situation.addEventListener("change", update);
  leave.addEventListener("change", update);
  update();
})();
