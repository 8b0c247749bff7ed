(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("snellen-data").textContent);
  document.body.setAttribute("data-models", String(data.sections.reduce(function (n, s) { return n + s.models.length; }, 0)));
  document.querySelectorAll(".axis-toggle button").forEach(function (button) {
    button.addEventListener("click", function () {
      var effective = button.getAttribute("data-axis") === "effective";
      document.body.classList.toggle("axis-effective", effective);
      document.querySelectorAll(".axis-toggle button").forEach(function (b) {
        b.classList.toggle("on", b.getAttribute("data-axis") === button.getAttribute("data-axis"));
      });
    });
  });
})();
