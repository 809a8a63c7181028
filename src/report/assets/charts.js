(function () {
  'use strict';
  if (typeof Chart === 'undefined') return;
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var B = D.buckets;
  function points(ys) { return ys.map(function (y, i) { return { x: B.t[i] + B.sizeMs / 2, y: y }; }); }

  var faultShade = {
    id: 'faultShade',
    beforeDatasetsDraw: function (chart) {
      var xs = chart.scales.x, a = chart.chartArea, c = chart.ctx;
      c.save();
      c.beginPath(); c.rect(a.left, a.top, a.right - a.left, a.bottom - a.top); c.clip();
      D.faults.forEach(function (f) {
        if (!f.fired || f.atMs === null) return;
        var x0 = xs.getPixelForValue(f.atMs);
        var col = f.skipped ? '120,120,120' : '220,60,40';
        if (f.endMs !== null && f.endMs > f.atMs) {
          c.fillStyle = 'rgba(' + col + ',0.12)';
          c.fillRect(x0, a.top, Math.max(1, xs.getPixelForValue(f.endMs) - x0), a.bottom - a.top);
        } else {
          c.strokeStyle = 'rgba(' + col + ',0.7)'; c.setLineDash([4, 3]);
          c.beginPath(); c.moveTo(x0, a.top); c.lineTo(x0, a.bottom); c.stroke();
          c.setLineDash([]);
        }
      });
      c.restore();
    }
  };

  function lineChart(id, series, yTitle) {
    new Chart(document.getElementById(id), {
      type: 'line',
      data: {
        datasets: series.map(function (s) {
          return { label: s[0], data: points(s[1]), borderColor: s[2], backgroundColor: s[2], borderWidth: 1.5, pointRadius: 0, pointHitRadius: 4, spanGaps: false };
        })
      },
      options: {
        animation: false, parsing: false, normalized: true, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: D.endUs / 1000, title: { display: true, text: 'sim time (ms), buckets of ' + B.sizeMs + ' ms' } },
          y: { beginAtZero: true, title: { display: true, text: yTitle } }
        },
        plugins: { legend: { position: 'top', align: 'end' } }
      },
      plugins: [faultShade]
    });
  }

  lineChart('latency', [['p50', B.p50, '#1f6feb'], ['p90', B.p90, '#2e9d4f'], ['p99', B.p99, '#e0692b'], ['max', B.max, '#9aa0a6']], 'latency of ok ops (ms)');
  lineChart('throughput', [['ok/s', B.ok, '#2e9d4f'], ['fail/s', B.fail, '#e0692b'], ['info/s', B.info, '#8e44ad']], 'completions per second');
})();
