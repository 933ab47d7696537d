// Syncline console: live updates by polling. The pages are complete
// without this script; it only updates a running run's progress (and
// reloads its page when its state changes), and the tasks grid every few
// seconds.
(function () {
  "use strict";
  var every = 3000;
  var text = function (id, value) {
    var el = document.getElementById(id);
    if (el && el.textContent !== value) { el.textContent = value; }
  };
  var showProgress = function (p) {
    text("progress-activity", p.stage ? p.activity + ", " + p.stage : p.activity);
    text("progress-text", p.text);
    var bar = document.getElementById("progress-bar");
    if (!bar) { return; }
    if (p.total > 0) {
      bar.max = p.total;
      bar.value = p.done;
      bar.textContent = p.percent + "%";
    } else {
      bar.removeAttribute("value");
    }
  };
  var run = document.querySelector("[data-refresh]");
  if (run) {
    var url = run.getAttribute("data-refresh");
    var shown = document.getElementById("run-state").textContent;
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (run) {
          if (run && run.state !== shown) { window.location.reload(); return; }
          if (run && run.progress) { showProgress(run.progress); }
          window.setTimeout(poll, every);
        })
        .catch(function () { window.setTimeout(poll, every * 2); });
    };
    window.setTimeout(poll, every);
  }
  var grid = document.querySelector("[data-live=tasks]");
  if (grid) {
    var refresh = function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html && document.activeElement && document.activeElement.closest && !document.activeElement.closest("form")) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var fresh = doc.querySelector("[data-live=tasks]");
            if (fresh && fresh.innerHTML !== grid.innerHTML) { grid.replaceWith(fresh); grid = fresh; }
          }
          window.setTimeout(refresh, every);
        })
        .catch(function () { window.setTimeout(refresh, every * 2); });
    };
    window.setTimeout(refresh, every);
  }
})();
