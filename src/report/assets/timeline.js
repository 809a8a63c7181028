(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var S = D.strings;
  var STATUS = ['ok', 'fail', 'info', 'no completion'];
  var OPC = ['#2e9d4f', '#e0692b', '#8e44ad', '#8e44ad'];
  var ROLEC = { LEADING: '#1f6feb', FOLLOWING: '#7cc47f', OBSERVING: '#5cc6c6', LOOKING: '#f2c14e', down: '#c4c4c4' };
  var ROLETXT = { LEADING: '#fff' };
  var GUTTER = 92, RIGHT = 8, AXIS = 20, FROW = 16, SROW = 18, GAP = 22, LROW = 12, BAR = 8;
  var canvas = document.getElementById('timeline');
  var tip = document.getElementById('tip');
  var viewText = document.getElementById('tl-view');
  var ctx = canvas.getContext('2d');
  var endUs = Math.max(1, D.endUs);
  var view = [0, endUs];
  // #view=FROM,TO (ms) opens the timeline on a window, so a link can point at a moment.
  var m = /view=([\d.]+),([\d.]+)/.exec(location.hash);
  if (m && +m[2] > +m[1]) view = [+m[1] * 1000, +m[2] * 1000];
  var serverTop = AXIS + FROW + 4;
  var laneTop = serverTop + D.servers.length * SROW + GAP;
  var H = laneTop + D.lanes.length * LROW + 6;
  var W = 0;
  var drag = null;

  // Ops of each lane in start order, for hit-testing (a process runs one op at a time).
  var byLane = D.lanes.map(function () { return []; });
  D.ops.forEach(function (o, i) { byLane[o[0]].push(i); });
  byLane.forEach(function (l) { l.sort(function (a, b) { return D.ops[a][1] - D.ops[b][1]; }); });
  var witness = {};
  D.violations.forEach(function (v) { v.witnessOps.forEach(function (ix) { witness[ix] = true; }); });

  var hatch = (function () {
    var c = document.createElement('canvas');
    c.width = 6; c.height = 6;
    var g = c.getContext('2d');
    g.fillStyle = 'rgba(142,68,173,0.15)'; g.fillRect(0, 0, 6, 6);
    g.strokeStyle = '#8e44ad'; g.lineWidth = 1;
    g.beginPath(); g.moveTo(0, 6); g.lineTo(6, 0); g.moveTo(-1, 1); g.lineTo(1, -1); g.moveTo(5, 7); g.lineTo(7, 5); g.stroke();
    return ctx.createPattern(c, 'repeat');
  })();

  function plotW() { return Math.max(10, W - GUTTER - RIGHT); }
  function X(us) { return GUTTER + (us - view[0]) / (view[1] - view[0]) * plotW(); }
  function T(x) { return view[0] + (x - GUTTER) / plotW() * (view[1] - view[0]); }
  function hex(z) { return z < 0 ? '' : '0x' + z.toString(16); }
  function ms(us) { return (Math.round(us) / 1000).toFixed(3).replace(/\.?0+$/, '') + ' ms'; }

  function niceStep(span, px) {
    var raw = span / Math.max(1, px / 90);
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function tickLabel(us, step) {
    if (step >= 100000) return (us / 1e6).toFixed(Math.max(0, Math.ceil(-Math.log10(step / 1e6)))) + ' s';
    return (us / 1e3).toFixed(Math.max(0, Math.ceil(-Math.log10(step / 1e3)))) + ' ms';
  }

  function draw() {
    ctx.clearRect(0, 0, W, H);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 1;
    for (var i = 0; i < D.lanes.length; i += 2) { ctx.fillStyle = '#f6f7f9'; ctx.fillRect(0, laneTop + i * LROW, W, LROW); }
    var step = niceStep(view[1] - view[0], plotW());
    ctx.strokeStyle = '#e3e5e8'; ctx.fillStyle = '#555'; ctx.textAlign = 'center';
    for (var tk = Math.ceil(view[0] / step) * step; tk <= view[1]; tk += step) {
      var x = Math.round(X(tk)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, AXIS - 4); ctx.lineTo(x, H); ctx.stroke();
      ctx.fillText(tickLabel(tk, step), x, AXIS / 2);
    }
    ctx.save();
    ctx.beginPath(); ctx.rect(GUTTER, 0, plotW(), H); ctx.clip();
    drawFaults();
    drawServers();
    drawOps();
    if (drag) {
      ctx.fillStyle = 'rgba(31,111,235,0.15)';
      ctx.fillRect(Math.min(drag[0], drag[1]), AXIS, Math.abs(drag[1] - drag[0]), H - AXIS);
    }
    ctx.restore();
    drawGutter();
    viewText.textContent = 'showing ' + ms(view[0]) + ' to ' + ms(view[1]);
  }

  function drawFaults() {
    D.faults.forEach(function (f) {
      if (!f.fired || f.atMs === null) return;
      var x0 = X(f.atMs * 1000);
      var span = f.endMs !== null && f.endMs > f.atMs;
      var x1 = span ? X(f.endMs * 1000) : x0;
      var col = f.skipped ? '120,120,120' : '220,60,40';
      if (span) {
        ctx.fillStyle = 'rgba(' + col + ',0.10)'; ctx.fillRect(x0, AXIS, Math.max(1, x1 - x0), H - AXIS);
        ctx.fillStyle = 'rgba(' + col + ',0.75)'; ctx.fillRect(x0, AXIS + 1, Math.max(1, x1 - x0), FROW - 2);
      } else {
        ctx.strokeStyle = 'rgba(' + col + ',0.8)'; ctx.setLineDash([4, 3]);
        ctx.beginPath(); ctx.moveTo(Math.round(x0) + 0.5, AXIS); ctx.lineTo(Math.round(x0) + 0.5, H); ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.fillStyle = span ? '#fff' : 'rgb(' + col + ')'; ctx.textAlign = 'left';
      ctx.fillText(f.name, (span ? x0 : x0 + 1) + 3, AXIS + FROW / 2);
    });
  }

  function drawServers() {
    D.servers.forEach(function (s, i) {
      var y = serverTop + i * SROW + 2, h = SROW - 4, sm = s.samples;
      for (var j = 0; j < sm.length; j++) {
        // A run of samples with the same role and epoch is one segment (zxid-only samples merge).
        var k = j;
        while (k + 1 < sm.length && sm[k + 1][1] === sm[j][1] && sm[k + 1][2] === sm[j][2]) k++;
        var t1 = k + 1 < sm.length ? sm[k + 1][0] : endUs;
        var x0 = X(sm[j][0]), x1 = X(t1), role = sm[j][1];
        if (t1 > sm[j][0] && x1 >= GUTTER && x0 <= W) {
          ctx.fillStyle = ROLEC[role] || '#999';
          ctx.fillRect(x0, y, Math.max(1, x1 - x0), h);
          var w = Math.min(x1, W) - Math.max(x0, GUTTER);
          if (role !== 'down' && w > 24) {
            var txt = 'e' + sm[j][2];
            if (w > 70) txt = role.slice(0, 4) + ' ' + txt;
            if (w > 170) txt += '  zxid ' + hex(sm[k][3]);
            ctx.fillStyle = ROLETXT[role] || '#222'; ctx.textAlign = 'left';
            ctx.fillText(txt, Math.max(x0, GUTTER) + 3, y + h / 2);
          }
        }
        j = k;
      }
    });
  }

  function opBox(o) {
    var y = laneTop + o[0] * LROW + (LROW - BAR) / 2;
    var a = X(o[1]);
    var b = o[3] >= 2 ? X(endUs) : X(o[2] < 0 ? endUs : o[2]);
    return [a, y, Math.max(1.5, b - a), BAR];
  }

  function drawOps() {
    var marked = [];
    for (var i = 0; i < D.ops.length; i++) {
      var o = D.ops[i], r = opBox(o);
      if (r[0] + r[2] < GUTTER || r[0] > W) continue;
      if (o[3] >= 2) {
        ctx.fillStyle = hatch; ctx.fillRect(r[0], r[1], r[2], r[3]);
        // The solid part is how long the client waited before giving up.
        if (o[2] >= 0) { ctx.fillStyle = OPC[2]; ctx.fillRect(r[0], r[1], Math.max(1.5, X(o[2]) - r[0]), r[3]); }
      } else {
        ctx.fillStyle = OPC[o[3]]; ctx.fillRect(r[0], r[1], r[2], r[3]);
      }
      if (witness[o[10]]) marked.push(r);
    }
    ctx.strokeStyle = '#d0021b'; ctx.lineWidth = 2;
    marked.forEach(function (r) { ctx.strokeRect(r[0] - 2, r[1] - 2, Math.min(r[2], W) + 4, r[3] + 4); });
    ctx.lineWidth = 1;
  }

  function drawGutter() {
    ctx.textAlign = 'left'; ctx.fillStyle = '#333';
    ctx.font = 'bold 11px system-ui, sans-serif';
    ctx.fillText('faults', 4, AXIS + FROW / 2);
    if (D.lanes.length) ctx.fillText('clients', 4, laneTop - GAP / 2);
    D.servers.forEach(function (s, i) { ctx.fillText(s.name, 4, serverTop + i * SROW + SROW / 2); });
    ctx.font = '10px system-ui, sans-serif'; ctx.fillStyle = '#444';
    D.lanes.forEach(function (l, i) { ctx.fillText((l.client ? l.client + ' ' : '') + 'p' + l.process, 8, laneTop + i * LROW + LROW / 2); });
  }

  function lastAtOrBefore(list, t, key) {
    var lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (key(list[mid]) <= t) { found = mid; lo = mid + 1; } else hi = mid - 1; }
    return found;
  }

  function hit(x, y) {
    if (x < GUTTER) return null;
    var t = T(x), tol = 3 * (view[1] - view[0]) / plotW();
    if (y >= AXIS && y < AXIS + FROW) {
      var lines = [];
      D.faults.forEach(function (f) {
        if (!f.fired || f.atMs === null) return;
        var a = f.atMs * 1000, b = f.endMs !== null ? f.endMs * 1000 : a;
        if (t < a - tol || t > b + tol) return;
        lines.push('fault ' + f.name + ' (' + f.kind + ')' + (f.target || f.resolvedTo.length ? ': ' + (f.target || '?') + ' -> ' + f.resolvedTo.join(', ') : ''));
        lines.push('  at ' + ms(a) + (f.endMs !== null ? ' until ' + ms(b) : '') + (f.phase ? ', phase ' + f.phase : ''));
        if (f.cause) lines.push('  cause: ' + f.cause);
        if (f.skipped) lines.push('  skipped: ' + f.skipped);
      });
      return lines.length ? lines.join('\n') : null;
    }
    var si = Math.floor((y - serverTop) / SROW);
    if (y >= serverTop && si < D.servers.length) {
      var s = D.servers[si], j = lastAtOrBefore(s.samples, t, function (e) { return e[0]; });
      if (j < 0) return s.name + ': no sample yet';
      var e = s.samples[j];
      return s.name + '  ' + e[1] + '\nepoch ' + e[2] + '\nlast zxid ' + hex(e[3]) + '\nsince ' + ms(e[0]) + '\nat ' + ms(t);
    }
    var li = Math.floor((y - laneTop) / LROW);
    if (y < laneTop || li >= D.lanes.length) return null;
    var lane = byLane[li], k = lastAtOrBefore(lane, t + tol, function (i) { return D.ops[i][1]; });
    if (k < 0) return null;
    var o = D.ops[lane[k]], end = o[3] >= 2 ? endUs : o[2];
    if (end < t - tol) return null;
    var l = D.lanes[li], out = [];
    out.push('#' + o[10] + '  ' + (l.client ? l.client + ' ' : '') + 'process ' + l.process + '  ' + (o[4] >= 0 ? S[o[4]] : '?') + '  ' + STATUS[o[3]]);
    if (o[5]) out.push('value: ' + o[5]);
    if (o[6]) out.push('result: ' + o[6]);
    if (o[7] >= 0) out.push('error: ' + S[o[7]]);
    if (o[8] >= 0 || o[9] >= 0) out.push((o[8] >= 0 ? 'zxid ' + hex(o[8]) : '') + (o[9] >= 0 ? ' at ' + S[o[9]] : ''));
    out.push('invoked ' + ms(o[1]) + (o[2] >= 0 ? ', completed ' + ms(o[2]) + ' (' + ms(o[2] - o[1]) + ')' : ', never completed'));
    if (o[3] >= 2) out.push('may have taken effect at any time after its invoke');
    if (witness[o[10]]) out.push('cited by a violation (see below)');
    return out.join('\n');
  }

  function showTip(text, ev) {
    if (!text) { tip.style.display = 'none'; return; }
    tip.textContent = text;
    tip.style.display = 'block';
    var left = ev.pageX + 14;
    if (left + tip.offsetWidth > window.scrollX + document.documentElement.clientWidth) left = Math.max(0, ev.pageX - tip.offsetWidth - 14);
    tip.style.left = left + 'px';
    tip.style.top = (ev.pageY + 14) + 'px';
  }

  function pos(ev) { var r = canvas.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; }
  canvas.addEventListener('mousemove', function (ev) {
    var p = pos(ev);
    if (drag) { drag[1] = Math.max(GUTTER, Math.min(W - RIGHT, p[0])); draw(); showTip(null); return; }
    showTip(hit(p[0], p[1]), ev);
  });
  canvas.addEventListener('mouseleave', function () { showTip(null); });
  canvas.addEventListener('mousedown', function (ev) {
    var p = pos(ev);
    if (p[0] >= GUTTER) { drag = [p[0], p[0]]; ev.preventDefault(); }
  });
  window.addEventListener('mouseup', function () {
    if (!drag) return;
    var a = Math.min(drag[0], drag[1]), b = Math.max(drag[0], drag[1]);
    drag = null;
    if (b - a > 4) { var t0 = T(a), t1 = T(b); if (t1 - t0 >= 10) setView([t0, t1]); }
    draw();
  });
  function setView(v) {
    view = v;
    try { history.replaceState(null, '', '#view=' + (v[0] / 1000).toFixed(3) + ',' + (v[1] / 1000).toFixed(3)); } catch (e) { /* file: URLs may refuse */ }
  }
  function reset() { setView([0, endUs]); draw(); }
  canvas.addEventListener('dblclick', reset);
  document.getElementById('tl-reset').addEventListener('click', reset);
  document.getElementById('tl-out').addEventListener('click', function () {
    var c = (view[0] + view[1]) / 2, h = view[1] - view[0];
    setView([Math.max(0, c - h), Math.min(endUs, c + h)]);
    draw();
  });

  function resize() {
    W = canvas.parentNode.clientWidth;
    var dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw();
  }
  window.addEventListener('resize', resize);
  resize();
})();
