// The session pack is prepared in the background: follow its progress, then reload to offer the download.
(function () {
  "use strict";
  var box = document.getElementById("pack-status");
  if (!box || (box.dataset.status !== "queued" && box.dataset.status !== "running") || !box.dataset.fresh) return;
  var bar = box.querySelector(".progress");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "ready" || data.status === "failed") { window.location.reload(); return; }
        box.querySelector(".pack-label").textContent = data.label;
        box.querySelector(".pack-count").textContent = data.done + " / " + data.total;
        bar.setAttribute("aria-valuenow", data.percent);
        bar.querySelector(".progress-bar").style.width = data.percent + "%";
        window.setTimeout(poll, 1000);
      }, function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();
