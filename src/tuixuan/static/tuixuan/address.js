// An address in parts (the service point's name): the full name shown while the clerk types, as
// it will be stored. The same rule as campaigns/kinds/address.py Level.joined: an ending typed in
// the box is kept as typed, otherwise the chosen ending is added, or the level's only one. Without
// JavaScript the page shows the stored name and the server joins the parts alike.
(function () {
  "use strict";

  function joined(input, select) {
    var text = input.value.trim();
    var kept = (input.dataset.endings || "").split(" ").filter(Boolean);  // kept when typed
    var typed = kept.some(function (ending) { return text.slice(-ending.length) === ending; });
    if (!text || !kept.length || typed) return text;
    if (select && select.value) return text + select.value;
    return text + (input.dataset.add || "");  // the level's only word (市)
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
