// The figures page's charts: petitions per month by category (stacked bars) and the amounts
// claimed, advanced by the fund and recovered (lines). The data is the page's own, in
// <script type="application/json" id="chart-data">; Chart.js is served from our static files.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = ["#1f5a96", "#d9822b", "#3b8f5a", "#b8404a", "#7a5ca8", "#6b7785"];
    var common = {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    };
    new window.Chart(document.getElementById("chart-categories"), {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.categories.map(function (set, i) {
          return { label: set.label, data: set.data, backgroundColor: colours[i % colours.length] };
        }),
      },
      options: Object.assign({}, common, {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      }),
    });
    new window.Chart(document.getElementById("chart-money"), {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.money.map(function (set, i) {
          return {
            label: set.label,
            data: set.data,
            borderColor: colours[i % colours.length],
            backgroundColor: colours[i % colours.length],
            tension: 0.2,
          };
        }),
      },
      options: Object.assign({}, common, { scales: { y: { beginAtZero: true } } }),
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
