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

  // A person as the pages show them (templates/includes/person.html): the name, then what tells them apart.
  function personNode(person) {
    var node = document.createElement("span");
    node.className = "person";
    var name = document.createElement("bdi");
    name.className = "fw-semibold"; name.textContent = person.name;
    node.appendChild(name);
    var parts = [person.full_name, person.native_name, person.organisation, person.country_name].filter(Boolean);
    if (parts.length) {
      var details = document.createElement("span");
      details.className = "d-block small text-body-secondary fw-normal";
      parts.forEach(function (part, index) {
        if (index) details.appendChild(document.createTextNode("\u00a0· "));
        var isolated = document.createElement("bdi");
        isolated.textContent = part;
        details.appendChild(isolated);
      });
      node.appendChild(details);
    }
    return node;
  }

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
    label.appendChild(personNode(person));
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
      button.className += " d-flex gap-1 text-start";
      button.appendChild(document.createTextNode("+ "));
      button.appendChild(personNode(person));
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
