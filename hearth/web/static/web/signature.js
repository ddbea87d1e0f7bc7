// The signature pad of the consent form: the client signs with a finger, stylus or mouse on a canvas.
// The strokes are posted as plain numbers ("x,y x,y;x,y ...") in a 600 x 200 box; the server writes the SVG
// itself (hearth/consent/signature.py). Without a pointer (keyboard, switch access) or without JavaScript, the
// client types their name in the field beside the pad instead, which is always there.
(function () {
  "use strict";
  var WIDTH = 600;
  var HEIGHT = 200;

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("input[type=hidden]");
    var clear = pad.querySelector("[data-signature-clear]");
    var status = pad.querySelector("[data-signature-status]");
    var context = canvas.getContext("2d");
    var strokes = [];
    var current = null;

    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    // Touch moves draw instead of scrolling the page while the pointer is on the pad.
    canvas.style.touchAction = "none";
    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return [
        Math.round(((event.clientX - box.left) / box.width) * WIDTH),
        Math.round(((event.clientY - box.top) / box.height) * HEIGHT),
      ];
    }

    function redraw() {
      context.clearRect(0, 0, WIDTH, HEIGHT);
      strokes.forEach(function (stroke) {
        context.beginPath();
        context.moveTo(stroke[0][0], stroke[0][1]);
        stroke.forEach(function (p) { context.lineTo(p[0], p[1]); });
        if (stroke.length === 1) context.lineTo(stroke[0][0] + 0.1, stroke[0][1]);
        context.stroke();
      });
    }

    function save() {
      input.value = strokes
        .map(function (stroke) { return stroke.map(function (p) { return p[0] + "," + p[1]; }).join(" "); })
        .join(";");
      status.textContent = strokes.length ? status.getAttribute("data-signed") : status.getAttribute("data-empty");
      clear.disabled = strokes.length === 0;
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      current = [point(event)];
      strokes.push(current);
      redraw();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!current) return;
      var p = point(event);
      var last = current[current.length - 1];
      if (p[0] === last[0] && p[1] === last[1]) return;
      current.push(p);
      redraw();
    });
    function end() {
      if (!current) return;
      current = null;
      save();
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    clear.addEventListener("click", function () {
      strokes = [];
      redraw();
      save();
    });

    // A form shown again after an error keeps what was drawn.
    if (input.value) {
      strokes = input.value.split(";").map(function (stroke) {
        return stroke.trim().split(/\s+/).map(function (pair) { return pair.split(",").map(Number); });
      }).filter(function (stroke) { return stroke.length && stroke[0].length === 2; });
      redraw();
    }
    save();
    pad.hidden = false;
  }

  function showMethod(form) {
    var chosen = form.querySelector("[name=method]:checked");
    var method = chosen ? chosen.value : "";
    form.querySelectorAll("[data-for-method]").forEach(function (el) {
      el.hidden = el.getAttribute("data-for-method").split(" ").indexOf(method) === -1;
    });
  }

  document.querySelectorAll("[data-signature-pad]").forEach(setUp);
  document.querySelectorAll("form[data-consent-form]").forEach(function (form) {
    form.querySelectorAll("[name=method]").forEach(function (radio) {
      radio.addEventListener("change", function () { showMethod(form); });
    });
    showMethod(form);
  });
})();
