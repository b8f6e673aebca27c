/* The duties dashboard's charts: uPlot draws each .app-chart from the
   JSON the page carries in #duty-chart-data (no inline script). The
   tables beside the charts hold the same figures, so without JavaScript
   the charts' figures stay hidden and nothing is lost.

   Each chart has a category axis (core days, or weeks) and four series:
   offered (blue bars), booked (narrower green bars in front), required
   (grey dashed line) and the days or weeks short (red markers on the
   required line). */
(function () {
  "use strict";
  var BLUE = "#005eb8", GREEN = "#007f3b", RED = "#d5281b", GREY = "#4c6272";
  var HEIGHT = 280;

  var source = document.getElementById("duty-chart-data");
  if (!source || typeof uPlot === "undefined") {
    return;
  }
  var data;
  try {
    data = JSON.parse(source.textContent);
  } catch (e) {
    return;
  }
  var plots = [];

  function widthOf(el) {
    return Math.max(260, Math.floor(el.getBoundingClientRect().width));
  }

  function number(v) {
    return v == null ? "–" : Number(v).toLocaleString("en-GB");
  }

  function draw(spec) {
    var el = document.getElementById(spec.id);
    if (!el || !spec.labels || !spec.labels.length) {
      return;
    }
    var figure = el.closest("figure");
    if (figure) {
      figure.hidden = false;
    }
    var n = spec.labels.length;
    var xs = [];
    for (var i = 0; i < n; i++) {
      xs.push(i);
    }
    var short = spec.required.map(function (r, i) {
      return spec.shortfall[i] > 0 ? r : null;
    });
    var top = Math.max.apply(null, spec.required.concat(spec.offered, spec.booked, [1]));
    // As many day or week labels as fit, about 70 pixels apart.
    var step = function (u) {
      return Math.max(1, Math.ceil(n / Math.max(1, Math.floor((u.width - 80) / 70))));
    };
    var unit = spec.unit;
    var withUnit = function (u, v) {
      return v == null ? "–" : number(v) + " " + unit;
    };
    var opts = {
      width: widthOf(figure || el.parentNode),
      height: HEIGHT,
      scales: {
        x: { time: false, range: [-0.5, n - 0.5] },
        y: { range: [0, Math.ceil(top * 1.15)] }
      },
      axes: [
        {
          stroke: GREY,
          grid: { show: false },
          size: 54,
          splits: function (u) {
            var k = step(u);
            return xs.filter(function (i) { return i % k === 0; });
          },
          values: function (u, splits) {
            // "Mon 16 Nov" on two lines: "Mon" above "16 Nov".
            return splits.map(function (i) { return (spec.labels[i] || "").replace(" ", "\n"); });
          }
        },
        {
          stroke: GREY, size: 60, label: unit === "minutes" ? "Minutes" : "Slots",
          // Whole numbers only: slots and minutes have no fractions.
          incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000],
          values: function (u, splits) { return splits.map(number); }
        }
      ],
      series: [
        {
          label: spec.xLabel,
          value: function (u, v) { return v == null ? "" : spec.labels[v]; }
        },
        {
          label: "Offered", stroke: BLUE, fill: BLUE, width: 1,
          paths: uPlot.paths.bars({ size: [0.7, 64] }), points: { show: false }, value: withUnit
        },
        {
          label: unit === "minutes" ? "Booked" : "Booked by 111", stroke: GREEN, fill: GREEN, width: 1,
          paths: uPlot.paths.bars({ size: [0.35, 32] }), points: { show: false }, value: withUnit
        },
        {
          label: "Required", stroke: GREY, width: 2, dash: [6, 4],
          points: { show: true, size: 6, fill: GREY, stroke: GREY }, value: withUnit
        },
        {
          label: "Short", stroke: RED, fill: RED, width: 2,
          paths: function () { return null; },
          points: { show: true, size: 12, width: 2, stroke: RED, fill: RED },
          value: function (u, v, si, idx) {
            return idx == null || !spec.shortfall[idx] ? "–" : "short by " + number(spec.shortfall[idx]) + " " + unit;
          }
        }
      ]
    };
    var plot = new uPlot(opts, [xs, spec.offered, spec.booked, spec.required, short], el);
    plots.push({ plot: plot, box: figure || el.parentNode });
  }

  (data.nhs111 || []).forEach(draw);
  (data.ea || []).forEach(draw);

  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      plots.forEach(function (p) {
        p.plot.setSize({ width: widthOf(p.box), height: HEIGHT });
      });
    }, 150);
  });
})();
