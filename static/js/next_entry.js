// Alt+N on a section page: to the next entry that still lacks a required answer (after the one
// being worked on, then from the top), its first field focused. Entries say whether they are
// complete (data-complete), kept true by each save's answer.
(function () {
  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".entry-card")); }

  function next() {
    var all = cards();
    var current = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest(".entry-card");
    var start = current ? all.indexOf(current) + 1 : 0;
    var order = all.slice(start).concat(all.slice(0, start));
    var target = order.filter(function (card) { return card.dataset.complete === "0"; })[0];
    var status = document.getElementById("keys-status");
    if (!target) {
      status.textContent = status.dataset.none;
      return;
    }
    status.textContent = "";
    var field = target.querySelector(".entry-form input:not([type=hidden]), .entry-form select, .entry-form textarea");
    target.scrollIntoView({ block: "start" });
    (field || target).focus({ preventScroll: true });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyN") {
      event.preventDefault();
      next();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var saved = event.target.querySelector && event.target.querySelector("[data-complete]");
    var card = saved && event.target.closest(".entry-card");
    if (card) card.dataset.complete = saved.dataset.complete;
  });
})();
