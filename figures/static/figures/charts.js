// The figures page's charts: petitions per month by category (stacked bars), the amounts
// claimed, advanced by the fund and recovered (lines), and two horizontal bar charts (readable on
// a 390 px phone, one bar per row): overdue per grid area and the sub-units ranked. The data is the page's own, in
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
    if (data.labels) drawSeries(data, colours, common);
    drawBars("chart-overdue", data.overdue.labels, data.overdue.datasets, colours, common, 0);
    drawBars(
      "chart-ranking",
      data.ranking.labels,
      [{ label: data.ranking.label, data: data.ranking.data }],
      colours,
      common,
      undefined
    );
  }

  // Horizontal bars side by side (an overdue task is often an overdue deadline's step, so they are
  // not stacked); the labels (grid area, sub-unit names) get the full width of a row. precision:
  // 0 for counts, undefined for scores.
  function drawBars(id, labels, datasets, colours, common, precision) {
    new window.Chart(document.getElementById(id), {
      type: "bar",
      data: {
        labels: labels,
        datasets: datasets.map(function (set, i) {
          return { label: set.label, data: set.data, backgroundColor: colours[i % colours.length] };
        }),
      },
      options: Object.assign({}, common, {
        indexAxis: "y",
        interaction: { mode: "index", axis: "y", intersect: false },
        scales: {
          x: { beginAtZero: true, ticks: { precision: precision } },
          y: { ticks: { autoSkip: false } },
        },
      }),
    });
  }

  function drawSeries(data, colours, common) {
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
