// The review page: each entry's mark (form[data-review]) is saved by htmx as the reviewer goes;
// its status box says saving, saved or why not. A decision taken while a mark is still unsaved
// waits for that save first, and leaving the page with unsaved marks asks. Without JavaScript
// every mark has its Save button and the page works as plain forms.
(function () {
  var dirty = new Set();
  var pending = null; // {form, submitter}: a decision waiting for the last marks to be saved

  function marked(event) {
    var detail = event.detail || {};
    var element = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return element && element.matches && element.matches("form[data-review]") ? element : null;
  }

  function say(form, text, kind) {
    var box = document.getElementById(form.dataset.status);
    if (!box) return;
    var p = document.createElement("p");
    p.className = kind;
    p.textContent = text;
    box.replaceChildren(p);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-review]");
    if (form) dirty.add(form);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = marked(event);
    if (form) say(form, document.getElementById(form.dataset.status).dataset.saving, "muted");
  });
  // A refused mark answers 400 with the reason: show it (the mark stays unsaved).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (marked(event) && event.detail.xhr.status === 400) event.detail.shouldSwap = true;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = marked(event);
    if (!form) return;
    if (event.detail.successful) dirty.delete(form);
    else pending = null; // the reviewer must see why before deciding
    if (pending && dirty.size === 0) {
      var waiting = pending;
      pending = null;
      waiting.form.requestSubmit(waiting.submitter);
    }
  });

  // Busy (503) or offline: say so, keep the typed text and try again; anything else: say so.
  function again(form, message, delay) {
    say(form, message, "field-error");
    setTimeout(function () { if (dirty.has(form)) htmx.trigger(form, "submit"); }, delay);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var form = marked(event);
    if (!form || event.detail.xhr.status === 400) return;
    var box = document.getElementById(form.dataset.status);
    if (event.detail.xhr.status === 503) {
      again(form, box.dataset.busy, 1000 * (+event.detail.xhr.getResponseHeader("Retry-After") || 5));
    } else {
      say(form, box.dataset.failed, "field-error");
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = marked(event);
    if (form) again(form, document.getElementById(form.dataset.status).dataset.offline, 10000);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-decision]") || dirty.size === 0) return;
    event.preventDefault();
    pending = { form: form, submitter: event.submitter };
    var tally = document.getElementById("review-tally");
    if (tally) tally.textContent = form.dataset.waiting;
    dirty.forEach(function (marking) { htmx.trigger(marking, "submit"); });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size && !pending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
