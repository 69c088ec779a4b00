// Conditional questions: a field with data-show-if="code" is shown only while the question
// `code` has one of data-show-values ("a|b"). Without JavaScript every field stays visible, each
// saying when it is asked; the server drops answers to questions a condition hides.
(function () {
  function answers(form, code) {
    var chosen = [];
    form.querySelectorAll('[name="' + code + '"]').forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return;
      if (input.value) chosen.push(input.value === "true" ? "yes" : input.value === "false" ? "no" : input.value);
    });
    return chosen;
  }
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (field) {
      var wanted = field.dataset.showValues.toLowerCase().split("|");
      var given = answers(form, field.dataset.showIf).map(function (v) { return v.toLowerCase(); });
      var source = form.querySelector('[name="' + field.dataset.showIf + '"]');
      var sourceHidden = source && source.closest("[hidden]");
      field.hidden = sourceHidden || !given.some(function (v) { return wanted.indexOf(v) >= 0; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-if]")) return;
      update(form);
      form.addEventListener("change", function () { update(form); });
    });
  });
})();
