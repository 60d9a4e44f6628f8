// tuixuan: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // 字 counter: the same counting as the rule engine (max_chars): every character except whitespace.
  function countChars(text) {
    return Array.from(text.replace(/\s+/g, "")).length;
  }

  // The page carries the words in its language, with {names} for the numbers.
  function worded(text, numbers) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return numbers[name]; });
  }

  function bindCounter(area) {
    var limit = parseInt(area.dataset.maxChars, 10);
    var counter = area.parentNode.querySelector(".counter");
    function update() {
      var used = countChars(area.value);
      var numbers = {used: used, limit: limit, over: used - limit};
      counter.textContent = worded(counter.dataset.typed, numbers);
      counter.classList.toggle("near", used > limit * 0.9 && used <= limit);
      counter.classList.toggle("over", used > limit);
      if (used > limit) counter.textContent += worded(counter.dataset.over, numbers);
    }
    area.addEventListener("input", update);
    update();
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(2) + "MB";
  }

  // Photo previews, with the size rule checked before the upload (the server checks again).
  function bindPreview(input) {
    var box = input.parentNode.querySelector(".previews");
    var min = parseInt(input.dataset.minBytes, 10);
    var max = parseInt(input.dataset.maxBytes, 10);
    var rule = input.dataset.rule || "";  // the campaign file's mark for the photo rule
    input.addEventListener("change", function () {
      box.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("figure");
        var image = document.createElement("img");
        image.src = URL.createObjectURL(file);
        image.alt = file.name;
        var caption = document.createElement("figcaption");
        caption.textContent = file.name + " · " + megabytes(file.size);
        if (file.size < min || file.size > max) {
          caption.textContent += worded(input.dataset.bounds, {rule: rule, min: megabytes(min), max: megabytes(max)});
          item.className = "bad";
        }
        item.appendChild(image);
        item.appendChild(caption);
        box.appendChild(item);
      });
    });
  }

  // "添加一行": copy the last row of a list, emptied, with the next row number in its names.
  function bindAddRow(button) {
    var list = button.parentNode.querySelector(".rows");
    button.addEventListener("click", function () {
      var rows = list.querySelectorAll(".row");
      var last = rows[rows.length - 1];
      var next = parseInt(list.dataset.next, 10);
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach(function (input) {
        input.name = input.name.replace(/__\d+__/, "__" + next + "__");
        if (input.type === "radio") input.checked = false;
        else input.value = "";
      });
      list.appendChild(copy);
      list.dataset.next = next + 1;
    });
  }

  // An export's progress, polled until it is done or failed.
  function watchExport(box) {
    var url = box.dataset.progressUrl;
    function poll() {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          box.querySelector(".export-state").textContent = data.state_label;
          box.querySelector(".export-count").textContent = data.done + "/" + data.total;
          box.querySelector("progress").value = data.percent;
          if (data.ready) box.querySelector(".export-ready").hidden = false;
          // A failed export: the page itself shows the reason and the retry button.
          else if (data.state === "failed") window.location.reload();
          else setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    poll();
  }

  // The footer's language switch: with JavaScript, choosing a language is enough.
  function bindLanguage(select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }

  // After a save, 检查 or 提交 that found problems, their list takes focus: a screen reader reads
  // it first, and each item links to its field.
  // A link in it moves focus to its field (a fragment alone only scrolls), so the next key
  // the clerk presses types there.
  function focusProblems(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.hash.slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
    });
  }

  // Focus never under the sticky 保存草稿 bar. The CSS scroll padding covers links and
  // fragments, but Chromium leaves a focused control where it is when part of it shows, even
  // with its lower part under the bar; then it is scrolled up, by its scroll margin, clear of it.
  function keepFocusClearOf(bar) {
    document.addEventListener("focusin", function (event) {
      var target = event.target;
      if (bar.contains(target) || !target.getBoundingClientRect) return;
      if (target.getBoundingClientRect().bottom > bar.getBoundingClientRect().top) {
        target.scrollIntoView({block: "nearest"});
      }
    });
  }

  // The ranking's bulk actions: once rows are ticked, only the actions that apply to every
  // ticked row stay (each row says its own in data-actions; the server refuses the rest too).
  function bindBulk(form) {
    var buttons = form.querySelectorAll("button[data-action]");
    var none = form.querySelector("#bulk-none");
    function update() {
      var ticked = form.querySelectorAll("input[name=chosen]:checked");
      var shown = 0;
      buttons.forEach(function (button) {
        var applies = Array.prototype.every.call(ticked, function (box) {
          var row = box.closest("tr");
          return (" " + row.dataset.actions + " ").indexOf(" " + button.dataset.action + " ") >= 0;
        });
        button.hidden = !applies;
        shown += applies ? 1 : 0;
      });
      if (none) none.hidden = shown > 0;
    }
    form.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bulk]").forEach(bindBulk);
    document.querySelectorAll(".actions.sticky").forEach(keepFocusClearOf);
    document.querySelectorAll("#problems").forEach(focusProblems);
    document.querySelectorAll("form.language select").forEach(bindLanguage);
    document.querySelectorAll("[data-progress-url]").forEach(watchExport);
    document.querySelectorAll("textarea[data-max-chars]").forEach(bindCounter);
    document.querySelectorAll("input[type=file][data-min-bytes]").forEach(bindPreview);
    document.querySelectorAll("button.add-row").forEach(bindAddRow);
  });
})();
