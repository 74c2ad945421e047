// Hookwise console: plain JavaScript, no library, nothing loaded from another host.
// Every value from the server is put into the page as text (textContent), never as HTML.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var base = meta('hookwise-base');
  var csrfHeader = meta('hookwise-csrf-header');
  var csrfToken = meta('hookwise-csrf-token');
  var pending = null; // the event the confirmation dialog is about

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute('content') : '';
  }
  function $(id) { return document.getElementById(id); }
  function text(el, value) { el.textContent = value == null ? '' : String(value); return el; }
  function el(tag, cls, value) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (value !== undefined) { text(e, value); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function fmtMs(ms) {
    if (ms == null) { return '–'; }
    if (ms === 0) { return '0'; }
    if (ms < 1) { return ms.toFixed(2) + ' ms'; }
    if (ms < 1000) { return Math.round(ms) + ' ms'; }
    return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  }
  function fmtAge(seconds) {
    if (seconds == null) { return '–'; }
    if (seconds < 60) { return seconds + ' s'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s'; }
    if (seconds < 86400) { return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min'; }
    return Math.floor(seconds / 86400) + ' d ' + Math.floor((seconds % 86400) / 3600) + ' h';
  }
  function fmtTime(iso) {
    if (!iso) { return ''; }
    var d = new Date(iso);
    return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  function fmtRate(rate) {
    if (rate == null) { return '–'; }
    return (rate * 100).toFixed(rate < 0.01 && rate > 0 ? 2 : 1) + ' %';
  }

  function say(message, kind) {
    var m = $('message');
    text(m, message);
    m.className = kind || 'info';
    m.hidden = false;
  }

  function request(method, path) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['X-Hookwise-Console'] = '1';
      if (csrfHeader && csrfToken) { headers[csrfHeader] = csrfToken; }
    }
    return fetch(base + path, { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        var type = response.headers.get('Content-Type') || '';
        if (type.indexOf('application/json') < 0) {
          // A login page or a proxy's error: the session has probably ended.
          throw new Error('the server answered ' + response.status + ' without JSON; reload the page (signed out?)');
        }
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      });
  }

  function load() {
    text($('updated'), 'loading…');
    return request('GET', '/api/summary').then(function (r) {
      if (r.status !== 200) { throw new Error(r.body.message || ('summary answered ' + r.status)); }
      render(r.body);
      text($('updated'), 'updated ' + fmtTime(r.body.now));
    }).catch(function (e) {
      text($('updated'), 'not updated');
      say('Could not load the figures: ' + e.message, 'error');
    });
  }

  function render(s) {
    var b = s.backlog;
    text($('backlog-pending'), b ? b.pending : 'n/a');
    text($('backlog-processing'), b ? b.processing + ' processing now' : 'the store keeps no inbox');
    text($('backlog-age'), b && b.pending > 0 ? fmtAge(b.oldestPendingAgeSeconds) : (b ? 'none' : 'n/a'));
    text($('backlog-oldest'), b && b.oldestPendingReceivedAt ? 'received ' + fmtTime(b.oldestPendingReceivedAt) : '');
    var day = s.last24h;
    var rate = $('failure-rate');
    text(rate, fmtRate(day.failureRate));
    rate.className = 'value' + (day.failureRate > 0 ? ' bad' : '');
    text($('total-24h'), day.total + (day.truncated ? '+' : ''));
    var parts = [];
    Object.keys(day.byStatus).forEach(function (k) { parts.push(day.byStatus[k] + ' ' + k); });
    text($('status-24h'), parts.join(' · ') || 'no events');
    renderTypes(day.countsByType);
    renderErrors(day.errors);
    renderChart(day.hours);
    renderFailed(s.failedEvents);
  }

  function renderTypes(counts) {
    var body = $('types').tBodies[0];
    clear(body);
    var types = Object.keys(counts);
    if (types.length === 0) { body.appendChild(emptyRow(5, 'no events in the last 24 hours')); }
    types.forEach(function (type) {
      var c = counts[type];
      var other = 0;
      Object.keys(c).forEach(function (k) { if (k !== 'completed' && k !== 'failed' && k !== 'dead') { other += c[k]; } });
      var tr = el('tr');
      tr.setAttribute('data-type', type);
      tr.appendChild(el('td', 'mono', type));
      tr.appendChild(el('td', 'num', c.completed || 0));
      tr.appendChild(el('td', 'num' + (c.failed ? ' warnc' : ''), c.failed || 0));
      tr.appendChild(el('td', 'num' + (c.dead ? ' bad' : ''), c.dead || 0));
      tr.appendChild(el('td', 'num', other));
      body.appendChild(tr);
    });
  }

  function renderErrors(errors) {
    var body = $('errors').tBodies[0];
    clear(body);
    var keys = Object.keys(errors).sort(function (a, b) { return errors[b] - errors[a]; });
    if (keys.length === 0) { body.appendChild(emptyRow(2, 'no failures in the last 24 hours')); }
    keys.forEach(function (k) {
      var tr = el('tr');
      tr.appendChild(el('td', 'reason', k));
      tr.appendChild(el('td', 'num', errors[k]));
      body.appendChild(tr);
    });
  }

  function emptyRow(span, message) {
    var tr = el('tr', 'empty');
    var td = el('td', 'muted', message);
    td.colSpan = span;
    tr.appendChild(td);
    return tr;
  }

  function renderFailed(failed) {
    var body = $('failed').tBodies[0];
    clear(body);
    text($('failed-note'), failed.listed >= failed.limit ? '(the oldest ' + failed.limit + ')' : '(' + failed.listed + ', oldest first)');
    if (failed.events.length === 0) { body.appendChild(emptyRow(7, 'none: nothing needs a replay')); }
    failed.events.forEach(function (e) { body.appendChild(eventRow(e)); });
  }

  function eventRow(e) {
    var tr = el('tr');
    tr.setAttribute('data-event-id', e.id);
    tr.appendChild(el('td', 'mono', e.id));
    tr.appendChild(el('td', 'mono', e.type));
    tr.appendChild(el('td', 'status'));
    setStatus(tr, e.status);
    tr.appendChild(el('td', 'num', e.attempts));
    tr.appendChild(el('td', 'nowrap', fmtTime(e.created)));
    var reason = el('td', 'reason', e.lastError || '(no error recorded)');
    if (e.status === 'failed' && e.nextAttemptAt) {
      reason.appendChild(el('div', 'muted', 'next attempt ' + fmtTime(e.nextAttemptAt)));
    }
    tr.appendChild(reason);
    var cell = el('td');
    var button = el('button', 'replay', 'Replay…');
    button.type = 'button';
    button.disabled = !e.replayable;
    if (!e.replayable) { button.title = 'no payload was kept for this event'; }
    button.addEventListener('click', function () { confirmReplay(e); });
    cell.appendChild(button);
    tr.appendChild(cell);
    return tr;
  }

  function row(id) { return document.querySelector('tr[data-event-id="' + CSS.escape(id) + '"]'); }

  function setStatus(tr, status) {
    var cell = tr.querySelector('td.status');
    clear(cell);
    cell.appendChild(el('span', 'pill ' + status, status));
  }

  function confirmReplay(e) {
    pending = e;
    text($('confirm-id'), e.id);
    text($('confirm-type'), e.type + ' · ' + e.status + ' after ' + e.attempts + ' attempt(s)');
    $('confirm').showModal();
  }

  function replay() {
    var e = pending;
    $('confirm').close();
    if (!e) { return; }
    var tr = row(e.id);
    if (tr) { tr.querySelector('button.replay').disabled = true; }
    say('Replaying ' + e.id + '…', 'info');
    request('POST', '/api/events/' + encodeURIComponent(e.id) + '/replay').then(function (r) {
      var b = r.body;
      if (tr && b.status) { setStatus(tr, b.status); }
      if (r.status === 200 && b.replayed) {
        say(e.id + ': ' + b.message, b.status === 'completed' || b.status === 'queued' || b.status === 'processing' ? 'ok' : 'error');
        if (b.status === 'queued' || b.status === 'processing') { follow(e.id, tr, 0); }
      } else {
        if (tr) { tr.querySelector('button.replay').disabled = false; }
        say(e.id + ': ' + (b.message || ('the server answered ' + r.status)), 'error');
      }
    }).catch(function (err) {
      if (tr) { tr.querySelector('button.replay').disabled = false; }
      say('Replay of ' + e.id + ' failed: ' + err.message, 'error');
    });
  }

  // In asynchronous mode a replay is queued for the workers: follow the event until it settles.
  function follow(id, tr, tries) {
    if (tries >= 30) { return; }
    setTimeout(function () {
      request('GET', '/api/events/' + encodeURIComponent(id)).then(function (r) {
        if (r.status !== 200) { return; }
        if (tr) { setStatus(tr, r.body.status); }
        if (r.body.status === 'queued' || r.body.status === 'processing') {
          follow(id, tr, tries + 1);
        } else {
          say(id + ': replayed; the event is now ' + r.body.status, r.body.status === 'completed' ? 'ok' : 'error');
        }
      });
    }, 2000);
  }

  function svg(tag, attrs, parent) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function renderChart(hours) {
    var chart = $('latency-chart');
    clear(chart);
    var W = 960, H = 260, L = 70, R = 110, T = 16, B = 34;
    var series = [['p99Ms', 'p99', '#c0392b'], ['p95Ms', 'p95', '#e67e22'], ['p50Ms', 'p50', '#2471a3']];
    var max = 0;
    hours.forEach(function (h) { series.forEach(function (s) { if (h[s[0]] != null) { max = Math.max(max, h[s[0]]); } }); });
    var top = niceCeil(max || 1);
    var x = function (i) { return L + (W - L - R) * (i + 0.5) / hours.length; };
    var y = function (v) { return T + (H - T - B) * (1 - v / top); };
    for (var g = 0; g <= 4; g++) {
      var v = top * g / 4;
      svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), 'class': 'grid' }, chart);
      text(svg('text', { x: L - 8, y: y(v) + 4, 'text-anchor': 'end', 'class': 'axis' }, chart), fmtMs(v));
    }
    hours.forEach(function (h, i) {
      if (i % 3 === 0 || i === hours.length - 1) {
        var d = new Date(h.from);
        var label = String(d.getHours()).padStart(2, '0') + ':00';
        text(svg('text', { x: x(i), y: H - B + 18, 'text-anchor': 'middle', 'class': 'axis' }, chart), label);
      }
    });
    if (max === 0) {
      text(svg('text', { x: (L + W - R) / 2, y: H / 2, 'text-anchor': 'middle', 'class': 'nodata' }, chart),
        'no completed events in the last 24 hours');
    }
    series.forEach(function (s, n) {
      var points = [];
      var flush = function () {
        if (points.length > 1) {
          svg('polyline', { points: points.join(' '), fill: 'none', stroke: s[2], 'stroke-width': 2, 'class': 'line ' + s[1] }, chart);
        }
        points = [];
      };
      hours.forEach(function (h, i) {
        var v = h[s[0]];
        if (v == null) { flush(); return; }
        points.push(x(i).toFixed(1) + ',' + y(v).toFixed(1));
        var dot = svg('circle', { cx: x(i), cy: y(v), r: 3, fill: s[2], 'class': 'point ' + s[1] }, chart);
        text(svg('title', {}, dot), s[1] + ' ' + fmtMs(v) + ' · ' + h.completed + ' completed · ' + new Date(h.from).toLocaleString());
      });
      flush();
      var ly = T + 14 + n * 20;
      svg('line', { x1: W - R + 14, x2: W - R + 38, y1: ly - 4, y2: ly - 4, stroke: s[2], 'stroke-width': 3 }, chart);
      text(svg('text', { x: W - R + 44, y: ly, 'class': 'legend' }, chart), s[1]);
    });
  }

  function niceCeil(v) {
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (v <= steps[i] * p) { return steps[i] * p; } }
    return 10 * p;
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('refresh').addEventListener('click', load);
    $('confirm-cancel').addEventListener('click', function () { pending = null; $('confirm').close(); });
    $('confirm-replay').addEventListener('click', replay);
    load();
  });
})();
