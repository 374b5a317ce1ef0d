// Attendance at the door: one tap per person, saved at once; a tap that cannot reach the server (the network
// dropped) is kept in this browser and sent again when the connection is back. The page says "Saving…" while a tap
// is on its way, "Saved." when the server took it, and what is not saved only once sending has actually failed.
(function () {
  "use strict";
  var section = document.querySelector(".attendance[data-queue-key]");
  if (!section) return;
  var key = section.dataset.queueKey;  // per cohort and per signed-in person: tablets are shared
  var day = section.dataset.day;
  var signInNeeded = false;
  var banner = document.getElementById("attendance-pending");
  var retryButton = document.getElementById("attendance-retry");
  var progress = document.getElementById("attendance-progress");
  var flushing = false;
  var failing = false;  // the last attempt to send failed (no network, a server error, signed out)
  var lastSaved = false;  // the last tap the server answered was saved

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

  function show(registration, date, status) {
    if (date !== day) return;  // a tap kept from another day of the session belongs to that day's page
    var person = personOf(registration);
    if (!person) return;
    person.dataset.status = status;
    person.querySelectorAll("button[name=status]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
  }

  function note(registration, date, text, isError) {
    if (date !== day) return;
    var person = personOf(registration);
    var box = person && person.querySelector(".attendance-note");
    if (!box) return;
    box.textContent = text;
    delete box.dataset.unsaved;
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

  function say(element, text) {
    // Only a change is written: screen readers announce the live regions again on every write.
    if (element && element.textContent !== text) element.textContent = text;
  }

  function render() {
    document.querySelectorAll(".attendance-person.attendance-unsaved").forEach(function (person) {
      person.classList.remove("attendance-unsaved");
      var box = person.querySelector(".attendance-note");
      if (box && box.dataset.unsaved) { box.textContent = ""; delete box.dataset.unsaved; }
    });
    var names = [];
    memory.forEach(function (tap) {
      if (tap.date !== day) return;
      var person = personOf(tap.registration);
      if (!person) return;
      person.classList.add("attendance-unsaved");
      var box = person.querySelector(".attendance-note");
      if (box) {
        say(box, failing ? section.dataset.msgUnsaved : section.dataset.msgSaving);
        box.dataset.unsaved = "1";
        box.classList.remove("text-danger");
      }
      names.push(person.dataset.name);
    });
    if (memory.length && failing) {
      var text = section.dataset.msgPending.replace("__COUNT__", memory.length);
      if (names.length) text += " (" + names.join(", ") + ")";
      if (signInNeeded) text += " " + section.dataset.msgSignin;
      say(banner.querySelector(".pending-text"), text);
      banner.classList.remove("d-none");
    } else {
      banner.classList.add("d-none");
    }
    var state = "";
    if (memory.length && !failing) state = section.dataset.msgSaving;
    else if (!memory.length && lastSaved) state = section.dataset.msgSaved;
    say(progress, state);
    recount();
  }

  function csrf() {
    var input = section.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(tap) {
    var body = new URLSearchParams({
      registration: tap.registration, date: tap.date, status: tap.status, expected: tap.previous || "",
    });
    // A network that connects but never answers must not block the queue: give up after 12 s and retry later.
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, 12000) : null;
    return fetch(tap.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      signal: controller ? controller.signal : undefined,
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
    }).finally(function () { if (timer) window.clearTimeout(timer); });
  }

  function drop(tap) {
    store(memory.filter(function (t) { return !(t.registration === tap.registration && t.date === tap.date && t.at === tap.at); }));
  }

  function flush() {
    if (flushing || !memory.length) { render(); return; }
    flushing = true;
    signInNeeded = false;
    var tap = memory[0];
    send(tap).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        // Signed out (or the page is too old for its security token): keep every tap until the trainer signs in.
        signInNeeded = true;
        failing = true;
        flushing = false;
        render();
        return;
      }
      var refused = response.status === 400 || response.status === 404 || response.status === 409;
      if (!response.ok && !refused) {
        failing = true;
        flushing = false;  // a proxy or server error: keep the tap, try again later
        render();
        return;
      }
      return response.json().then(function (data) {
        failing = false;
        lastSaved = !!data.ok;
        drop(tap);
        if (data.ok) {
          note(tap.registration, tap.date, section.dataset.msgSaved, false);
        } else {
          var newer = memory.some(function (t) { return t.registration === tap.registration && t.date === tap.date; });
          if (!newer) show(tap.registration, tap.date, tap.previous || "");
          note(tap.registration, tap.date, data.error, true);
        }
        flushing = false;
        render();
        flush();
      }, function () { failing = true; flushing = false; render(); });
    }, function () {
      // No answer (offline, timeout): keep the tap and try again later.
      failing = true;
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
    // The latest tap for a person and day replaces an unsent one, and keeps what the trainer first saw.
    var replaced = memory.find(function (t) { return t.registration === registration && t.date === date; });
    if (replaced) tap.previous = replaced.previous;
    var queue = memory.filter(function (t) { return t !== replaced; });
    queue.push(tap);
    store(queue);
    show(registration, date, tap.status);
    render();
    flush();
  });

  retryButton.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.setInterval(flush, 5000);

  // Taps kept from an earlier visit of this page (the phone went offline, the page was closed).
  memory.forEach(function (tap) { show(tap.registration, tap.date, tap.status); });
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
