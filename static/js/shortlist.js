// The shortlist: while the organiser ticks and unticks, the balance is recounted here (seats, each sector, each
// country, women) and a broken limit is said in words. Without this script, the "Recount" button does the same on
// the server.
(function () {
  "use strict";
  var form = document.getElementById("shortlist");
  var table = document.getElementById("balance");
  if (!form || !table) return;
  var summary = document.getElementById("balance-summary");

  function number(value) { return value === "" || value === undefined ? null : parseInt(value, 10); }

  function state(row, text, broken) {
    var cell = row.querySelector(".balance-state");
    if (!cell) return;
    cell.textContent = text;
    cell.classList.toggle("text-danger", broken);
    cell.classList.toggle("fw-semibold", broken);
  }

  function recount() {
    var total = 0, women = 0, sectors = {}, countries = {};
    form.querySelectorAll(".candidate").forEach(function (candidate) {
      var box = candidate.querySelector(".select-box");
      if (!box || !box.checked) return;
      total += 1;
      if (candidate.dataset.woman === "1") women += 1;
      sectors[candidate.dataset.sector] = (sectors[candidate.dataset.sector] || 0) + 1;
      if (candidate.dataset.country) countries[candidate.dataset.country] = (countries[candidate.dataset.country] || 0) + 1;
    });
    var broken = false;
    table.querySelectorAll("tr[data-balance]").forEach(function (row) {
      var kind = row.dataset.balance;
      var count = row.querySelector(".balance-count");
      if (kind === "women") {
        var percent = number(row.dataset.percent);
        count.textContent = women;
        row.querySelector(".balance-selected").textContent = total;
        var under = percent !== null && women < Math.ceil(percent * total / 100);
        state(row, under ? form.dataset.msgUnder : form.dataset.msgOk, false);
        return;
      }
      var added = kind === "seats" ? total : kind === "sector" ? (sectors[row.dataset.key] || 0) : (countries[row.dataset.key] || 0);
      var value = number(row.dataset.base) + added;
      var max = number(row.dataset.max), min = number(row.dataset.min);
      count.textContent = value;
      var over = max !== null && value > max;
      broken = broken || over;
      state(row, over ? form.dataset.msgOver : (min !== null && value < min ? form.dataset.msgUnder : form.dataset.msgOk), over);
    });
    if (summary) {
      summary.textContent = broken ? summary.dataset.msgBroken : summary.dataset.msgKept;
      summary.classList.toggle("text-danger", broken);
      summary.classList.toggle("fw-semibold", broken);
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("select-box")) recount();
  });
})();
