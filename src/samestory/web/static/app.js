// samestory pages work without JavaScript; this only adds feedback while a comparison runs
// and stops a comparison of a report with itself. No inline scripts: the CSP forbids them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.compare-form, form.members")) {
    form.addEventListener("submit", (event) => {
      const status = form.querySelector(".status");
      const a = form.querySelector('input[name="a"]:checked');
      const b = form.querySelector('input[name="b"]:checked');
      if (a && b && a.value === b.value) {
        event.preventDefault();
        if (status) status.textContent = "Pick two different reports for A and B.";
        return;
      }
      const button = form.querySelector('button[type="submit"]');
      if (button) button.disabled = true;
      if (status) status.textContent = form.dataset.busy || "Comparing…";
    });
  }
  // Going back to a page whose form was submitted: enable its button again.
  window.addEventListener("pageshow", () => {
    for (const button of document.querySelectorAll("button[disabled]")) button.disabled = false;
    for (const status of document.querySelectorAll(".status")) status.textContent = "";
  });
});
