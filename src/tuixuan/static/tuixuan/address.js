// An address in parts (the service point's name): the full name shown while the clerk types, as
// it will be stored. The same rule as campaigns/kinds/address.py Level.joined: an ending typed in
// the box is kept as typed, otherwise the chosen ending is added, or the level's only one. Without
// JavaScript the page shows the stored name and the server joins the parts alike.
(function () {
  "use strict";

  function joined(input, select) {
    var text = input.value.trim();
    var endings = (input.dataset.endings || "").split(" ").filter(Boolean);
    var typed = endings.some(function (ending) { return text.slice(-ending.length) === ending; });
    if (!text || !endings.length || typed) return text;
    var chosen = select ? select.value : "";
    if (endings.indexOf(chosen) !== -1) return text + chosen;
    return endings.length === 1 ? text + endings[0] : text;
  }

  function bind(box) {
    if (box.dataset.bound) return;  // the widget's script tag comes once per address field
    box.dataset.bound = "1";
    var output = box.querySelector("[data-preview]");
    var parts = box.querySelectorAll(".part");
    function update() {
      output.textContent = Array.prototype.map.call(parts, function (part) {
        return joined(part.querySelector("input"), part.querySelector("select"));
      }).join("");
    }
    box.addEventListener("input", update);
    box.addEventListener("change", update);
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-address]"), bind);
})();
