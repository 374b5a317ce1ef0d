// Attendance at the door: one tap per person, saved at once; a tap that cannot reach the server (the network
// dropped) is kept in this browser and sent again when the connection is back. The page says what is unsaved.
(function () {
  "use strict";
  var section = document.querySelector(".attendance[data-queue-key]");
  if (!section) return;
  var key = section.dataset.queueKey;
  var banner = document.getElementById("attendance-pending");
  var retryButton = document.getElementById("attendance-retry");
  var flushing = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode: the page still holds it */ }
    memory = queue;
  }
  var memory = load();

  function personOf(registration) {
    return document.getElementById("person-" + registration);
  }

  function show(registration, status) {
    var person = personOf(registration);
    if (!person) return;
    person.dataset.status = status;
    person.querySelectorAll("button[name=status]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
  }

  function note(registration, text, isError) {
    var person = personOf(registration);
    var box = person && person.querySelector(".attendance-note");
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("text-danger", !!isError);
    box.classList.toggle("text-body-secondary", !isError);
  }

  function recount() {
    var counts = {};
    document.querySelectorAll(".attendance-person").forEach(function (person) {
      var status = person.dataset.status || "";
      counts[status] = (counts[status] || 0) + 1;
    });
    document.querySelectorAll("[data-count]").forEach(function (cell) {
      cell.textContent = counts[cell.dataset.count] || 0;
    });
  }

  function render() {
    var queue = memory;
    document.querySelectorAll(".attendance-person").forEach(function (person) {
      person.classList.remove("attendance-unsaved");
    });
    queue.forEach(function (tap) {
      var person = personOf(tap.registration);
      if (person) person.classList.add("attendance-unsaved");
    });
    if (queue.length) {
      banner.querySelector(".pending-text").textContent =
        section.dataset.msgPending.replace("__COUNT__", queue.length);
      banner.classList.remove("d-none");
    } else {
      banner.classList.add("d-none");
    }
    recount();
  }

  function csrf() {
    var input = section.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(tap, url) {
    var body = new URLSearchParams({ registration: tap.registration, date: tap.date, status: tap.status });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
    });
  }

  function flush() {
    if (flushing || !memory.length) { render(); return; }
    flushing = true;
    var tap = memory[0];
    note(tap.registration, section.dataset.msgRetry, false);
    send(tap, tap.url).then(function (response) {
      return response.json().catch(function () { return { ok: false, error: response.statusText }; })
        .then(function (data) { return { response: response, data: data }; });
    }).then(function (result) {
      // The server answered: the tap is done, saved or refused for a reason the trainer must see.
      store(memory.filter(function (t) { return t !== tap && !(t.registration === tap.registration && t.date === tap.date && t.at === tap.at); }));
      if (result.data.ok) {
        note(tap.registration, section.dataset.msgSaved, false);
      } else {
        var newer = memory.some(function (t) { return t.registration === tap.registration && t.date === tap.date; });
        if (!newer) show(tap.registration, tap.previous || "");
        note(tap.registration, result.data.error || String(result.response.status), true);
      }
      flushing = false;
      render();
      flush();
    }, function () {
      // No answer (offline, timeout): keep the tap and try again later.
      note(tap.registration, "", false);
      flushing = false;
      render();
    });
  }

  section.addEventListener("submit", function (event) {
    var form = event.target.closest(".attendance-form");
    if (!form) return;
    event.preventDefault();
    var button = event.submitter;
    if (!button || button.name !== "status") return;
    var registration = form.querySelector("input[name=registration]").value;
    var date = form.querySelector("input[name=date]").value;
    var person = personOf(registration);
    var tap = {
      registration: registration, date: date, status: button.value, url: form.action,
      previous: person ? person.dataset.status : "", at: Date.now(),
    };
    // The latest tap for a person and day replaces any unsent one.
    var queue = memory.filter(function (t) { return !(t.registration === registration && t.date === date); });
    if (memory.length !== queue.length) {
      var replaced = memory.find(function (t) { return t.registration === registration && t.date === date; });
      tap.previous = replaced.previous;
    }
    queue.push(tap);
    store(queue);
    show(registration, tap.status);
    render();
    flush();
  });

  retryButton.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.setInterval(flush, 5000);

  // Taps kept from an earlier visit of this page (the phone went offline, the page was closed).
  memory.forEach(function (tap) { show(tap.registration, tap.status); });
  render();
  flush();

  // Search: by name in any script, organisation or country, without regard to case or accents.
  var search = document.getElementById("attendance-search");
  var none = document.getElementById("attendance-none");
  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f]/g, "").toLocaleLowerCase();
  }
  if (search) {
    var people = Array.prototype.slice.call(document.querySelectorAll(".attendance-person"));
    people.forEach(function (person) { person.dataset.folded = fold(person.dataset.search); });
    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      people.forEach(function (person) {
        var match = words.every(function (word) { return person.dataset.folded.indexOf(word) !== -1; });
        person.hidden = !match;
        if (match) shown += 1;
      });
      none.classList.toggle("d-none", shown > 0);
    });
  }
})();
