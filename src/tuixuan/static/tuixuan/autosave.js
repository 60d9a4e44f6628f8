// tuixuan: nothing typed is lost (issue 14). The nomination form saves itself as the clerk types,
// an upload saves the form before it goes, leaving with unsaved changes asks first, uploads show
// their progress, and the Word/PDF links say 正在生成… while the form is made. Without
// JavaScript every form and link still works as a plain post or download.
// The page hands the words in data- attributes, with {names} for what is filled in.
(function () {
  "use strict";

  var SAVE_AFTER = 1200;  // ms after the last keystroke
  var flushForm = function () { return Promise.resolve(); };

  function worded(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(2) + "MB";
  }

  // Show a page afresh, even this one at another fragment (which alone would only scroll).
  function show(next) {
    var here = window.location.pathname + window.location.search;
    if (next.split("#")[0] === here) {
      history.replaceState(null, "", next);
      window.location.reload();
    } else {
      window.location.assign(next);
    }
  }

  function answerOf(response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      return {ok: response.ok, data: data};
    });
  }

  // A field kept as typed but wrong shows its error, as the page draws it after a save.
  function markField(form, key, message) {
    var field = form.querySelector("#field-" + key);
    if (!field) return;
    var error = field.querySelector("#error-" + key);
    if (!error) {
      error = document.createElement("div");
      error.className = "error";
      error.id = "error-" + key;
      field.appendChild(error);
    }
    error.textContent = "";
    var line = document.createElement("p");
    line.textContent = message;
    error.appendChild(line);
    field.classList.add("has-error");
    var control = field.querySelector("#id_" + key);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", "error-" + key);
    }
  }

  function unmarkField(form, key) {
    var field = form.querySelector("#field-" + key);
    if (!field) return;
    var error = field.querySelector("#error-" + key);
    if (error) error.remove();
    field.classList.remove("has-error");
    var control = field.querySelector("#id_" + key);
    if (control) {
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
    }
  }

  // A new draft saved itself: its page, where photos and the stamped PDF go, is one click away.
  function offerUploads(url) {
    var note = document.getElementById("first-save");
    if (!note || !note.dataset.saved) return;
    var link = document.createElement("a");
    link.href = url + "#photos";
    link.textContent = note.dataset.saved;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(link.getAttribute("href"));
    });
    note.textContent = "";
    note.appendChild(link);
    note.dataset.saved = "";
  }

  function bindAutosave(form) {
    var state = form.querySelector(".autosave-state");
    var dirty = false;       // changed since the last save that went out
    var touched = {};        // fields changed since then: their old errors go once saved
    var saving = null;       // the save on its way, if any
    var timer = null;
    var submitting = false;
    var stored = snapshot();  // the form as last saved (or drawn)

    function snapshot() {
      return new URLSearchParams(new FormData(form)).toString();
    }

    function keyOf(target) {
      var field = target.closest && target.closest(".field");
      return field ? field.id.replace(/^field-/, "") : "";
    }

    function changed(event) {
      dirty = true;
      var key = keyOf(event.target);
      if (key) touched[key] = true;
      clearTimeout(timer);
      timer = setTimeout(save, SAVE_AFTER);
    }

    // One save at a time: a change made while one is on its way is saved after it.
    function save() {
      clearTimeout(timer);
      if (saving) return saving.then(function () { return dirty ? save() : null; });
      var sending = snapshot();
      if (!dirty || sending === stored) {  // a change event after its input, or typed back
        dirty = false;
        return Promise.resolve();
      }
      dirty = false;
      var keys = touched;
      touched = {};
      state.textContent = form.dataset.saving;
      var body = new FormData(form);
      // getAttribute: the form's buttons are named "action", which hides form.action.
      saving = fetch(form.getAttribute("action"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"Accept": "application/json"}
      }).then(answerOf).then(function (answer) {
        if (!answer.ok) throw new Error(answer.data.error || "");
        var data = answer.data;
        stored = sending;
        state.textContent = data.saved;
        if (data.url) {  // a new draft: its next saves go to its own page
          form.setAttribute("action", data.url);
          history.replaceState(null, "", data.url);
          offerUploads(data.url);
        }
        var wrong = {};
        data.problems.forEach(function (problem) {
          wrong[problem.field] = true;
          markField(form, problem.field, problem.message);
        });
        Object.keys(keys).forEach(function (key) { if (!wrong[key]) unmarkField(form, key); });
      }).catch(function (error) {
        dirty = true;
        Object.keys(keys).forEach(function (key) { touched[key] = true; });
        state.textContent = worded(form.dataset.failed, {error: error.message || ""});
      }).then(function () {
        saving = null;
      });
      return saving;
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;  // the post itself saves everything
      clearTimeout(timer);
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || !(dirty || saving)) return;
      event.preventDefault();
      event.returnValue = "";  // the browser asks “leave this page?” in its own words
    });
    flushForm = save;
  }

  // Upload one file at a time, each with its bytes sent shown; the button waits meanwhile.
  function bindUpload(form) {
    var input = form.querySelector("input[type=file]");
    var button = form.querySelector("button[type=submit]");
    var list = form.querySelector(".upload-progress");

    function send(file) {
      var item = document.createElement("li");
      var text = document.createElement("span");
      var bar = document.createElement("progress");
      bar.max = file.size;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      text.textContent = worded(form.dataset.progress, {
        name: file.name, sent: megabytes(0), total: megabytes(file.size)
      });
      item.appendChild(text);
      item.appendChild(bar);
      list.appendChild(item);
      return new Promise(function (resolve) {
        var body = new FormData();
        body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
        body.append(input.name, file);
        var request = new XMLHttpRequest();
        request.open("POST", form.getAttribute("action"));
        request.setRequestHeader("Accept", "application/json");
        request.upload.addEventListener("progress", function (event) {
          if (!event.lengthComputable) return;
          bar.max = event.total;
          bar.value = event.loaded;
          text.textContent = worded(form.dataset.progress, {
            name: file.name, sent: megabytes(event.loaded), total: megabytes(event.total)
          });
        });
        request.addEventListener("load", function () {
          var data = {};
          try { data = JSON.parse(request.responseText); } catch (error) { data = {}; }
          if (request.status === 200 && data.next) {
            bar.value = bar.max;
            text.textContent = worded(form.dataset.done, {name: file.name});
            resolve({next: data.next});
          } else {
            item.className = "bad";
            text.textContent = data.error || worded(form.dataset.failed, {name: file.name});
            resolve({});
          }
        });
        request.addEventListener("error", function () {
          item.className = "bad";
          text.textContent = worded(form.dataset.failed, {name: file.name});
          resolve({});
        });
        request.send(body);
      });
    }

    form.addEventListener("submit", function (event) {
      if (!input.files.length || !window.XMLHttpRequest) return;  // the server says what is missing
      event.preventDefault();
      var files = Array.prototype.slice.call(input.files);
      button.disabled = true;
      input.disabled = true;
      list.textContent = "";
      var results = [];
      flushForm().then(function () {
        return files.reduce(function (done, file) {
          return done.then(function () {
            return send(file).then(function (result) { results.push(result); });
          });
        }, Promise.resolve());
      }).then(function () {
        var sent = results.filter(function (result) { return result.next; });
        if (sent.length === results.length) {
          show(sent[0].next);
          return;
        }
        button.disabled = false;
        input.disabled = false;
        if (sent.length) {  // some went, some were refused: the page lists the ones that went
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = sent[0].next;
          link.textContent = form.dataset.refresh;
          link.addEventListener("click", function (click) {
            click.preventDefault();
            show(sent[0].next);
          });
          item.appendChild(link);
          list.appendChild(item);
        }
      });
    });
  }

  // The Word or PDF form: made on request, the first PDF in several seconds. The link says so
  // and takes no second click until the file has come.
  function bindDownload(link) {
    var busy = link.closest("[data-busy]").dataset.busy;
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if (link.getAttribute("aria-disabled") === "true") return;
      var label = link.textContent;
      link.textContent = busy;
      link.setAttribute("aria-disabled", "true");
      link.classList.add("busy");
      function done() {
        link.textContent = label;
        link.removeAttribute("aria-disabled");
        link.classList.remove("busy");
      }
      flushForm().then(function () {
        return fetch(link.href, {credentials: "same-origin"});
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var named = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get("Content-Disposition") || "");
        return response.blob().then(function (blob) {
          var save = document.createElement("a");
          save.href = URL.createObjectURL(blob);
          save.download = named ? decodeURIComponent(named[1]) : "";
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(save.href); }, 10000);
          done();
        });
      }).catch(function () {
        done();
        window.location.assign(link.href);  // the server's own page says what went wrong
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(bindAutosave);
    document.querySelectorAll("form.upload[data-progress]").forEach(bindUpload);
    document.querySelectorAll("[data-busy] a.generated").forEach(bindDownload);
  });
})();
