// Stage assessments: show the follow-up questions the server says are asked now (HUD's dependent fields,
// evaluated server-side from hearth/collection/data). The server sends {"hearth:shown": {key: bool}} after
// each autosave; a question that becomes hidden keeps its value in the draft but is not recorded.
document.body.addEventListener("hearth:shown", function (event) {
  var shown = event.detail || {};
  Object.keys(shown).forEach(function (key) {
    var wrap = document.getElementById("wrap-" + key);
    if (wrap) { wrap.hidden = !shown[key]; }
  });
});

// Tell the server which question was just answered (the ones after it are not flagged as unanswered yet) and
// when the autosave was made: saves can arrive out of order, and the server keeps the newest.
document.body.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-Hearth-Revision"] = String(Math.floor(performance.timeOrigin + performance.now()));
  var trigger = event.detail.triggeringEvent;
  if (trigger && trigger.target && trigger.target.name) {
    event.detail.headers["X-Hearth-Field"] = trigger.target.name;
  }
});
