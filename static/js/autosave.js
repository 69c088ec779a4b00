// Autosave that never lies and never loses typed text (entry pages).
// A form with data-autosave is saved by htmx on change; its status box (data-status="<id>")
// says saving / saved / not saved and why. A refused save (400, 409) shows the server's reason
// in the box; a lost connection says so and tries again. Leaving the page with unsaved changes
// asks first. Without JavaScript the form is a plain form with a Save button.
(function () {
  var dirty = new Set();

  function box(form) { return document.getElementById(form.dataset.status); }
  // The status words, given once per page (#autosave-words) rather than once per form.
  function words(form, key) { return document.getElementById("autosave-words").dataset[key]; }
  // Typing since a save was sent keeps the form unsaved when that save answers.
  var edits = new WeakMap();
  var sent = new WeakMap();

  function say(form, text, kind) {
    var target = box(form);
    if (!target) return;
    target.innerHTML = "";
    var p = document.createElement("p");
    p.className = kind;
    p.setAttribute("role", kind === "field-error" ? "alert" : "status");
    p.textContent = text;
    target.appendChild(p);
  }

  function autosaved(event) {
    var detail = event.detail || {};
    var element = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return element && element.matches && element.matches("form[data-autosave]") ? element : null;
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) {
      dirty.add(form);
      edits.set(form, (edits.get(form) || 0) + 1);
      say(form, words(form, "unsaved"), "muted");
    }
  });
  document.addEventListener("submit", function (event) { dirty.delete(event.target); });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaved(event);
    if (form) {
      sent.set(form, edits.get(form) || 0);
      say(form, words(form, "saving"), "muted");
    }
  });
  // A refused save answers 400 or 409 with the reason: show it (still an error: the changes
  // stay unsaved) instead of keeping silent.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var element = event.detail.requestConfig && event.detail.requestConfig.elt;
    var shows = autosaved(event) || (element && element.closest && element.closest("[data-swap-errors]"));
    if (shows && (status === 400 || status === 409)) event.detail.shouldSwap = true;
    // Sent to the log-in page (the session ended): nothing was saved; never show that page here.
    var asked = event.detail.requestConfig && event.detail.requestConfig.path;
    var answered = event.detail.xhr.responseURL;
    if (shows && asked && answered &&
        new URL(answered).pathname !== new URL(asked, location.href).pathname) {
      event.detail.shouldSwap = false;
      if (autosaved(event)) say(shows, words(shows, "expired"), "field-error");
      else note(shows, document.getElementById("autosave-words").dataset.expired, "field-error");
    }
  });
  // A save answers with the entry's new revision: the next save starts from it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = autosaved(event);
    var saved = form && box(form).querySelector("[data-revision]");
    if (!saved) return;
    form.querySelector("input[name=revision]").value = saved.dataset.revision;
    if ((edits.get(form) || 0) === sent.get(form)) dirty.delete(form);
  });
  // The browser refused a value before sending (a year out of bounds...): say which and why.
  document.addEventListener("htmx:validation:halted", function (event) {
    var form = autosaved(event);
    var field = form && form.querySelector(":invalid");
    if (!field) return;
    var label = form.querySelector('label[for="' + field.id + '"]');
    say(form, words(form, "invalid") + " " + (label ? label.textContent.trim() + ": " : "") +
        field.validationMessage, "field-error");
  });
  function offline(event) {
    var form = autosaved(event);
    if (!form) return;
    say(form, words(form, "offline"), "field-error");
    setTimeout(function () { if (dirty.has(form)) htmx.trigger(form, "change"); }, 10000);
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
  // A busy database (503, nothing written) is tried again after the wait it names, a few times.
  var tries = new WeakMap();
  function retry(form, xhr) {
    var count = (tries.get(form) || 0) + 1;
    if (count > 3) return false;
    tries.set(form, count);
    var wait = (parseInt(xhr.getResponseHeader("Retry-After"), 10) || 5) * 1000;
    if (form.matches("[data-autosave]")) {
      say(form, document.body.dataset.busy, "muted");
      setTimeout(function () { htmx.trigger(form, "change"); }, wait);
    } else {
      note(form, document.body.dataset.busy, "muted");
      setTimeout(function () { htmx.trigger(form, "submit"); }, wait);
    }
    return true;
  }
  // Forms without a status box of their own (evidence) get a line at their top.
  function note(form, text, kind) {
    var line = form.querySelector(".request-note") || form.insertBefore(document.createElement("p"), form.firstChild);
    line.className = "request-note " + kind;
    line.setAttribute("role", kind === "field-error" ? "alert" : "status");
    line.textContent = text;
  }
  document.addEventListener("htmx:responseError", function (event) {
    var element = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = autosaved(event) || (element && element.closest && element.closest("[data-swap-errors]"));
    var status = event.detail.xhr.status;
    if (!form) return;
    if (status < 500 && status !== 400 && status !== 409) {  // refused: not allowed (any more)
      if (form.matches("[data-autosave]")) say(form, words(form, "refused"), "field-error");
      else note(form, document.getElementById("autosave-words").dataset.refused, "field-error");
      return;
    }
    if (status < 500) return;
    if (status === 503 && retry(form, event.detail.xhr)) return;
    if (form.matches("[data-autosave]")) say(form, words(form, "failed"), "field-error");
    else note(form, document.body.dataset.failed, "field-error");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (element && event.detail.successful) tries.delete(element);
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
