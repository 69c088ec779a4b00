// Autosave that never lies and never loses typed text (entry pages).
// A form with data-autosave is saved by htmx on change; its status box (data-status="<id>")
// says saving / saved / not saved and why. A refused save (400, 409) shows the server's reason
// in the box; a lost connection says so and tries again. Leaving the page with unsaved changes
// asks first. Without JavaScript the form is a plain form with a Save button.
(function () {
  var dirty = new Set();

  function box(form) { return document.getElementById(form.dataset.status); }

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
      say(form, box(form).dataset.unsaved, "muted");
    }
  });
  document.addEventListener("submit", function (event) { dirty.delete(event.target); });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaved(event);
    if (form) say(form, box(form).dataset.saving, "muted");
  });
  // A refused save answers 400 or 409 with the reason: show it (still an error: the changes
  // stay unsaved) instead of keeping silent.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var element = event.detail.requestConfig && event.detail.requestConfig.elt;
    var shows = autosaved(event) || (element && element.closest && element.closest("[data-swap-errors]"));
    if (shows && (status === 400 || status === 409)) event.detail.shouldSwap = true;
  });
  // A save answers with the entry's new revision: the next save starts from it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = autosaved(event);
    var saved = form && box(form).querySelector("[data-revision]");
    if (saved) form.querySelector("input[name=revision]").value = saved.dataset.revision;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaved(event);
    if (form && event.detail.successful) dirty.delete(form);
  });
  // The browser refused a value before sending (a year out of bounds...): say which and why.
  document.addEventListener("htmx:validation:halted", function (event) {
    var form = autosaved(event);
    var field = form && form.querySelector(":invalid");
    if (!field) return;
    var label = form.querySelector('label[for="' + field.id + '"]');
    say(form, box(form).dataset.invalid + " " + (label ? label.textContent.trim() + ": " : "") +
        field.validationMessage, "field-error");
  });
  function offline(event) {
    var form = autosaved(event);
    if (!form) return;
    say(form, box(form).dataset.offline, "field-error");
    setTimeout(function () { if (dirty.has(form)) htmx.trigger(form, "change"); }, 10000);
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
  document.addEventListener("htmx:responseError", function (event) {
    var form = autosaved(event);
    if (form && event.detail.xhr.status >= 500) say(form, box(form).dataset.failed, "field-error");
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
