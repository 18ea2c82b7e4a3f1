/* WIR web front end: small improvements on pages that work without JavaScript.
   - the error summary gets the focus, so a screen reader reads it first;
   - the cost plan adds and removes rows in place and shows its sums as you type
     (the server checks them again). */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  var form = document.querySelector("[data-cost-plan]");
  if (!form) { return; }
  var german = document.documentElement.lang === "de";
  var body = form.querySelector("[data-cost-rows] tbody");
  var sums = form.querySelector("[data-sums]");

  function parse(text) {
    var cleaned = (text || "").replace(/[\s\u00a0€]/g, "");
    if (!cleaned) { return 0; }
    cleaned = german ? cleaned.replace(/\./g, "").replace(",", ".") : cleaned.replace(/,/g, "");
    var value = Number(cleaned);
    return isFinite(value) ? Math.round(value * 100) : NaN;
  }

  function show(cents) {
    return (cents / 100).toLocaleString(german ? "de-DE" : "en-GB",
      { style: "currency", currency: "EUR" });
  }

  function renumber() {
    Array.prototype.forEach.call(body.querySelectorAll("[data-cost-row]"), function (row, index) {
      Array.prototype.forEach.call(row.querySelectorAll("[name],[id],[for]"), function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/^cost_lines-\d+-/, "cost_lines-" + index + "-")); }
        });
      });
      var remove = row.querySelector("[data-remove-row]");
      if (remove) { remove.value = "remove_row-" + index; }
    });
  }

  function update() {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll("[data-amount=cost]"), function (input) {
      total += parse(input.value);
    });
    var own = parse(form.querySelector("[data-amount=own]").value);
    var third = parse(form.querySelector("[data-amount=third]").value);
    var requested = parse(form.querySelector("[data-amount=requested]").value);
    if (isNaN(total) || isNaN(own) || isNaN(third)) { sums.hidden = true; return; }
    var expected = total - own - third;
    sums.hidden = false;
    sums.textContent = sums.dataset.template
      ? sums.dataset.template.replace("{total}", show(total)).replace("{expected}", show(expected))
      : show(total) + " / " + show(expected);
    sums.classList.toggle("sums--wrong", !isNaN(requested) && requested !== expected);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.hasAttribute("data-add-row")) {
      event.preventDefault();
      var rows = body.querySelectorAll("[data-cost-row]");
      var copy = rows[rows.length - 1].cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("input"), function (input) { input.value = ""; });
      Array.prototype.forEach.call(copy.querySelectorAll(".field__error"), function (p) { p.remove(); });
      body.appendChild(copy);
      renumber();
      copy.querySelector("select").focus();
      update();
    } else if (button.hasAttribute("data-remove-row")) {
      var all = body.querySelectorAll("[data-cost-row]");
      if (all.length > 1) {
        event.preventDefault();
        button.closest("[data-cost-row]").remove();
        renumber();
        update();
      }
    }
  });
  form.addEventListener("input", update);
  update();
}());
