// The review page: each entry's mark (form[data-review]) is saved by htmx as the reviewer goes;
// its status box says saving, saved or why not. A decision taken while a mark is still unsaved
// waits for that save first, and leaving the page with unsaved marks asks. Without JavaScript
// every mark has its Save button and the page works as plain forms.
(function () {
  var edits = new Map(); // form -> edits made; a save clears the form once it carried them all
  var dirty = new Set(); // forms with edits no successful save has carried yet
  var sending = 0; // mark requests under way
  var pending = null; // {form, submitter}: a decision waiting for the last marks to be saved

  function marked(event) {
    var detail = event.detail || {};
    var element = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return element && element.matches && element.matches("form[data-review]") ? element : null;
  }

  function box(form) { return document.getElementById(form.dataset.status); }

  function say(form, text, kind) {
    var p = document.createElement("p");
    p.className = kind;
    p.textContent = text;
    box(form).replaceChildren(p);
  }

  // The decision goes once nothing is unsaved and no mark is being written (a moment later, so
  // that a save queued behind the last one has started).
  function decideWhenSaved() {
    if (!pending || dirty.size || sending) return;
    setTimeout(function () {
      if (!pending || dirty.size || sending) return;
      var waiting = pending;
      pending = null;
      waiting.form.requestSubmit(waiting.submitter);
    }, 50);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-review]");
    if (!form) return;
    edits.set(form, (edits.get(form) || 0) + 1);
    dirty.add(form);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = marked(event);
    if (!form) return;
    sending += 1;
    event.detail.xhr.reviewEdits = edits.get(form) || 0; // what this save carries
    say(form, box(form).dataset.saving, "muted");
  });
  // A refused mark answers 400 with the reason: show it (the mark stays unsaved).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (marked(event) && (status === 400 || status === 409)) event.detail.shouldSwap = true;
  });
  // Each answer names the mark's revision: the next save starts from it (after a conflict, a
  // second save replaces the other reviewer's mark knowingly).
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = marked(event);
    var answer = form && box(form).querySelector("[data-mark-revision]");
    if (answer) form.querySelector("input[name=revision]").value = answer.dataset.markRevision;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = marked(event);
    if (!form) return;
    sending = Math.max(0, sending - 1);
    if (event.detail.successful) {
      if (event.detail.xhr.reviewEdits === (edits.get(form) || 0)) dirty.delete(form);
    } else if (pending) { // the reviewer sees why before deciding
      var tally = document.getElementById("review-tally");
      if (tally) tally.replaceWith(pending.tally);
      pending = null;
    }
    decideWhenSaved();
  });

  // Busy (503) or offline: say so, keep the typed text and try again; anything else: say so.
  function again(form, message, delay) {
    say(form, message, "field-error");
    setTimeout(function () { if (dirty.has(form)) htmx.trigger(form, "submit"); }, delay);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var form = marked(event);
    if (!form || event.detail.xhr.status === 400 || event.detail.xhr.status === 409) return;
    if (event.detail.xhr.status === 503) {
      var seconds = +event.detail.xhr.getResponseHeader("Retry-After") || 5;
      again(form, box(form).dataset.busy, 1000 * seconds);
    } else {
      say(form, box(form).dataset.failed, "field-error");
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = marked(event);
    if (form) again(form, box(form).dataset.offline, 10000);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-decision]") || (dirty.size === 0 && sending === 0)) return;
    event.preventDefault();
    var tally = document.getElementById("review-tally");
    pending = { form: form, submitter: event.submitter, tally: tally.cloneNode(true) };
    tally.textContent = form.dataset.waiting;
    dirty.forEach(function (marking) { htmx.trigger(marking, "submit"); });
    decideWhenSaved();
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size && !pending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
