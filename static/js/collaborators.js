// The collaboration form: find someone in the directory by name and add them to "With whom" without leaving
// the form. Without JavaScript, the directory card's "Record a collaboration" link does the same.
(function () {
  "use strict";
  var box = document.getElementById("collaborator-search");
  var list = document.getElementById("collaboration-people");
  if (!box || !list) return;
  box.hidden = false;
  var input = box.querySelector("input");
  var results = box.querySelector("ul");
  var status = box.querySelector("[role=status]");
  var timer = null;

  function add(person) {
    var id = "people-extra-" + person.user_id;
    var existing = list.querySelector("input[value='" + person.user_id + "']");
    if (existing) { existing.checked = true; existing.focus(); return; }
    var wrapper = document.createElement("div");
    wrapper.className = "form-check";
    var checkbox = document.createElement("input");
    checkbox.type = "checkbox"; checkbox.name = "people"; checkbox.value = person.user_id;
    checkbox.id = id; checkbox.className = "form-check-input"; checkbox.checked = true;
    var label = document.createElement("label");
    label.className = "form-check-label"; label.htmlFor = id;
    var name = document.createElement("span");
    name.dir = "auto"; name.textContent = person.name;
    label.appendChild(name);
    wrapper.appendChild(checkbox); wrapper.appendChild(label);
    list.appendChild(wrapper);
    checkbox.focus();
  }

  function show(people) {
    results.textContent = "";
    status.textContent = people.length ? "" : box.dataset.none;
    people.forEach(function (person) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button"; button.className = "btn btn-sm btn-outline-primary";
      var name = document.createElement("span");
      name.dir = "auto"; name.textContent = person.name;
      button.appendChild(document.createTextNode("+ "));
      button.appendChild(name);
      if (person.organisation) {
        var organisation = document.createElement("span");
        organisation.dir = "auto"; organisation.className = "fw-normal";
        organisation.textContent = " · " + person.organisation;
        button.appendChild(organisation);
      }
      button.addEventListener("click", function () { add(person); results.textContent = ""; input.value = ""; });
      item.appendChild(button);
      results.appendChild(item);
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 2) { results.textContent = ""; status.textContent = ""; return; }
    timer = window.setTimeout(function () {
      fetch(box.dataset.url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { show(data.results); }, function () { status.textContent = box.dataset.failed; });
    }, 250);
  });
})();
