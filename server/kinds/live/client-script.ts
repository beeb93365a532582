// The live page's script, kept as a string so the site build (which bundles and relocates server
// code) and the server write the same bytes without looking for a file on disk. Plain ES5-ish
// JavaScript: no framework, no build step; served as /live/assets/live.<hash>.js (no inline script).
export const LIVE_SCRIPT = String.raw`// The live page's only script (no framework, served as a file: the site's CSP allows no inline script).
// Polls the newest chunk (10 s visible, 30 s hidden, backing off on errors; If-None-Match → 304),
// puts new updates at the top, applies corrections and withdrawals, refreshes the pinned block,
// announces new updates politely, and sends readers' questions in qa mode.
(function () {
  'use strict';
  var list = document.getElementById('live-updates');
  if (!list) return;
  var src = list.getAttribute('data-live-src');
  var base = Number(list.getAttribute('data-poll-ms')) || 10000;
  var status = document.getElementById('live-status');
  var pinned = document.getElementById('live-pinned-body');
  var empty = document.getElementById('live-empty');
  var etag = null;
  var errors = 0;
  var timer = null;
  var stopped = false;
  var known = {};
  var maxSeq = 0;
  var items = list.querySelectorAll('li[data-id]');
  for (var i = 0; i < items.length; i++) {
    known[items[i].getAttribute('data-id')] = items[i];
    maxSeq = Math.max(maxSeq, Number(items[i].getAttribute('data-seq')) || 0);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  function fmt(iso) {
    var d = new Date(new Date(iso).getTime() + 8 * 3600000);
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return (d.getUTCMonth() + 1) + '月' + d.getUTCDate() + '日 ' + p(d.getUTCHours()) + ':' + p(d.getUTCMinutes());
  }
  function rev(u) { return u.state + ':' + (u.corrections ? u.corrections.length : 0); }
  var VERDICTS = { 'false': '谣言', misleading: '误导', unproven: '未经证实', 'true': '属实' };

  // Same markup as the page build (src/components/LiveUpdate.astro).
  function render(u) {
    var li = el('li', 'lu lu-' + u.type + (u.state === 'withdrawn' ? ' lu-withdrawn' : ''));
    li.id = 'u-' + u.id;
    li.setAttribute('data-id', u.id);
    li.setAttribute('data-seq', String(u.seq));
    li.setAttribute('data-rev', rev(u));
    var head = el('p', 'lu-head');
    head.appendChild(el('span', 'lu-type', u.label));
    var time = el('time', '', fmt(u.at));
    time.setAttribute('datetime', u.at);
    head.appendChild(time);
    li.appendChild(head);
    if (u.state === 'withdrawn') {
      li.appendChild(el('p', 'note retracted', '已撤回（' + fmt(u.withdrawal.at) + '）：' + u.withdrawal.note));
      return li;
    }
    if (u.question) {
      var q = el('blockquote', 'lu-question');
      q.appendChild(el('strong', '', (u.question.nickname || '网友') + ' 问：'));
      q.appendChild(document.createTextNode(u.question.text));
      li.appendChild(q);
    }
    if (u.clarification) {
      var c = el('p', 'lu-claim');
      if (u.clarification.verdict) c.appendChild(el('span', 'verdict v-' + u.clarification.verdict, VERDICTS[u.clarification.verdict] || ''));
      c.appendChild(document.createTextNode(' 网传：' + u.clarification.claim + ' '));
      if (u.clarification.guideUrl) {
        var a = el('a', '', '查看辟谣攻略');
        a.href = u.clarification.guideUrl;
        c.appendChild(a);
      }
      li.appendChild(c);
    }
    var body = el('div', 'body');
    body.innerHTML = u.html; // rendered on the server from a checked tiptap document
    li.appendChild(body);
    if (u.image) {
      var img = el('img');
      img.src = u.image;
      img.alt = '';
      img.loading = 'lazy';
      li.appendChild(img);
    }
    if (u.answeredBy) li.appendChild(el('p', 'meta', '答问：' + u.answeredBy));
    for (var j = 0; j < (u.corrections || []).length; j++) {
      li.appendChild(el('p', 'note', '已更正（' + fmt(u.corrections[j].at) + '）：' + u.corrections[j].note));
    }
    return li;
  }

  // Returns true when the update was new to this page.
  function place(u) {
    var old = known[u.id];
    if (old) {
      if (old.getAttribute('data-rev') !== rev(u)) {
        var fresh = render(u);
        old.parentNode.replaceChild(fresh, old);
        known[u.id] = fresh;
      }
      return false;
    }
    var li = render(u);
    var next = list.firstElementChild;
    while (next && Number(next.getAttribute('data-seq')) > u.seq) next = next.nextElementSibling;
    list.insertBefore(li, next);
    known[u.id] = li;
    maxSeq = Math.max(maxSeq, u.seq);
    return true;
  }

  function get(url, conditional) {
    var headers = {};
    if (conditional && etag) headers['If-None-Match'] = etag;
    return fetch(url, { cache: 'no-store', headers: headers });
  }

  function apply(data) {
    if (pinned && data.item.pinnedHtml && pinned.innerHTML !== data.item.pinnedHtml) pinned.innerHTML = data.item.pinnedHtml;
    var added = [];
    var fill = Promise.resolve();
    var oldest = data.updates.length ? data.updates[data.updates.length - 1].seq : data.total + 1;
    if (oldest > maxSeq + 1) {
      // the page was built long ago: fetch the sealed chunks it is missing (immutable, cached by the browser)
      var missing = data.chunks.filter(function (c) { return c.to > maxSeq; });
      fill = Promise.all(missing.map(function (c) { return fetch(c.url).then(function (r) { return r.ok ? r.json() : { updates: [] }; }); })).then(function (chunks) {
        chunks.forEach(function (chunk) { chunk.updates.forEach(function (u) { if (place(u)) added.push(u); }); });
      });
    }
    return fill.then(function () {
      for (var i = data.updates.length - 1; i >= 0; i--) if (place(data.updates[i])) added.push(data.updates[i]);
      data.changed.forEach(function (u) { if (known[u.id]) place(u); });
      if (added.length && empty) empty.hidden = true;
      if (added.length && status) {
        var first = added[added.length - 1];
        var text = (first.html || '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60);
        status.textContent = '新增 ' + added.length + ' 条动态：' + first.label + ' ' + text;
      }
      if (data.item.state === 'ended') {
        stopped = true;
        var badge = document.getElementById('live-state');
        if (badge) badge.textContent = '已结束';
      }
    });
  }

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    var wait = (document.hidden ? base * 3 : base) * Math.min(Math.pow(2, errors), 16);
    timer = setTimeout(tick, wait);
  }

  function tick() {
    get(src, true)
      .then(function (res) {
        if (res.status === 304) { errors = 0; return; }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        etag = res.headers.get('ETag');
        return res.json().then(function (data) { errors = 0; return apply(data); });
      })
      .catch(function () { errors++; })
      .then(schedule);
  }

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && !stopped) { clearTimeout(timer); tick(); }
  });
  tick();

  // Questions (qa mode): sent as JSON; without this script the form posts and the page comes back.
  var form = document.getElementById('ask-form');
  if (form) {
    var said = document.getElementById('ask-status');
    if (/[?&]asked=1/.test(location.search) && said) said.textContent = '已收到你的问题，审核后由嘉宾回答。';
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = form.elements.text.value;
      var nickname = form.elements.nickname.value.trim();
      var button = form.querySelector('button');
      button.disabled = true;
      fetch(form.action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(nickname ? { text: text, nickname: nickname } : { text: text }) })
        .then(function (res) {
          return res.json().then(function (body) {
            if (res.ok) { form.reset(); said.textContent = '已收到你的问题，审核后由嘉宾回答。'; }
            else said.textContent = ((body.error && body.error.message) || '提交失败，请稍后再试').replace(/^[\w.]+: /, '');
          });
        })
        .catch(function () { said.textContent = '网络不畅，请稍后再试'; })
        .then(function () { button.disabled = false; });
    });
  }
})();
`;
