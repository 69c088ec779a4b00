// The activities list: the filters send only the values in use (the address bar shows
// `?species=argali`, not every field of the form empty), and a wide screen shows every filter
// where a browser cannot style a closed <details> open (the stylesheet does it elsewhere).
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) return;

  form.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data) return;
    Array.from(new Set(data.keys())).forEach(function (name) {
      var kept = data.getAll(name).filter(function (value) {
        return typeof value !== "string" || value.trim() !== "";
      });
      data.delete(name);
      kept.forEach(function (value) { data.append(name, value); });
    });
  });

  var panel = form.querySelector("details.more-filters");
  var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (panel && !supported) {
    var wide = window.matchMedia("(min-width: 761px)");
    var follow = function () { if (wide.matches) panel.open = true; };
    follow();
    wide.addEventListener("change", follow);
  }
})();
