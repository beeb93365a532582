/* 连心 H5 问答: one question at a time, instant feedback, result with the band's share card.
 * Plain ES5 with no framework, so it runs in WeChat's in-app browser; without it the page reads
 * as an article (questions, answers, explanations). Answers are sent once per attempt, without
 * cookies, to /api/quiz/<id>/answers (counts only). */
(function () {
  'use strict';
  var root = document.getElementById('quiz');
  if (!root || !document.querySelector || !root.classList) return;
  var id = root.getAttribute('data-quiz');
  var api = root.getAttribute('data-api');
  var items = root.querySelectorAll('.quiz-q');
  var bands = root.querySelectorAll('.quiz-band');
  var total = items.length;
  if (!total) return;

  var state = { at: 0, correct: 0, picks: [], sent: false };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.appendChild(document.createTextNode(text));
    return e;
  }
  function answerOf(q) {
    var a = (q.getAttribute('data-answer') || '').split(',');
    var out = [];
    for (var i = 0; i < a.length; i++) if (a[i] !== '') out.push(Number(a[i]));
    return out;
  }
  function sameSet(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (b.indexOf(a[i]) < 0) return false;
    return true;
  }

  // Progress line, announced to screen readers
  var progress = el('p', 'quiz-progress');
  progress.setAttribute('aria-live', 'polite');
  var bar = el('span', 'quiz-bar');
  var fill = el('span', 'quiz-bar-fill');
  bar.appendChild(fill);
  var list = root.querySelector('.quiz-questions');
  list.parentNode.insertBefore(progress, list);
  list.parentNode.insertBefore(bar, list);

  // Options become buttons; the question's own controls are added once
  for (var qi = 0; qi < total; qi++) setUp(items[qi], qi);

  function setUp(q, index) {
    var type = q.getAttribute('data-type');
    var lis = q.querySelectorAll('.quiz-options > li');
    var buttons = [];
    for (var i = 0; i < lis.length; i++) {
      var b = el('button', 'quiz-opt');
      b.type = 'button';
      b.setAttribute('data-i', String(i));
      while (lis[i].firstChild) b.appendChild(lis[i].firstChild);
      lis[i].appendChild(b);
      buttons.push(b);
    }
    var feedback = el('p', 'quiz-feedback');
    feedback.setAttribute('role', 'status');
    var expl = q.querySelector('.quiz-expl');
    q.insertBefore(feedback, expl);
    var submit = null;
    if (type === 'multiple') {
      submit = el('button', 'quiz-btn quiz-submit', '提交答案');
      submit.type = 'button';
      submit.disabled = true;
      q.insertBefore(submit, feedback);
      submit.addEventListener('click', function () {
        var picked = [];
        for (var k = 0; k < buttons.length; k++) if (buttons[k].getAttribute('aria-pressed') === 'true') picked.push(k);
        if (picked.length) answer(q, index, buttons, picked, feedback, submit);
      });
    }
    var next = el('button', 'quiz-btn quiz-next', index === total - 1 ? '查看结果' : '下一题');
    next.type = 'button';
    expl.appendChild(next);
    next.addEventListener('click', function () {
      if (index === total - 1) showResult();
      else show(index + 1);
    });
    for (var j = 0; j < buttons.length; j++) {
      if (type === 'multiple') buttons[j].setAttribute('aria-pressed', 'false');
      buttons[j].addEventListener('click', function (event) {
        var b = event.currentTarget;
        if (q.classList.contains('is-answered')) return;
        var i = Number(b.getAttribute('data-i'));
        if (type === 'multiple') {
          b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
          var any = false;
          for (var k = 0; k < buttons.length; k++) if (buttons[k].getAttribute('aria-pressed') === 'true') any = true;
          submit.disabled = !any;
        } else answer(q, index, buttons, [i], feedback, null);
      });
    }
  }

  function answer(q, index, buttons, picked, feedback, submit) {
    var right = answerOf(q);
    var ok = sameSet(picked, right);
    state.picks[index] = picked;
    if (ok) state.correct++;
    q.classList.add('is-answered');
    q.classList.add(ok ? 'is-right' : 'is-wrong');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true;
      if (right.indexOf(i) >= 0) buttons[i].classList.add('is-right');
      else if (picked.indexOf(i) >= 0) buttons[i].classList.add('is-wrong');
      if (picked.indexOf(i) >= 0) buttons[i].classList.add('is-picked');
    }
    if (submit) submit.disabled = true;
    feedback.textContent = ok ? '回答正确！' : '回答错误。';
    var next = q.querySelector('.quiz-next');
    if (next && next.focus) next.focus();
  }

  function show(index) {
    state.at = index;
    for (var i = 0; i < total; i++) items[i].classList.toggle('is-current', i === index);
    progress.textContent = '第 ' + (index + 1) + ' / ' + total + ' 题';
    fill.style.width = Math.round((100 * index) / total) + '%';
    var heading = items[index].querySelector('.quiz-text');
    if (index > 0 && heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
      if (items[index].scrollIntoView) root.scrollIntoView();
    }
  }

  var result = el('section', 'quiz-result');
  result.setAttribute('tabindex', '-1');
  result.setAttribute('aria-label', '答题结果');
  root.appendChild(result);

  function bandFor(score) {
    for (var i = 0; i < bands.length; i++) {
      if (score >= Number(bands[i].getAttribute('data-min')) && score <= Number(bands[i].getAttribute('data-max'))) return bands[i];
    }
    return bands[bands.length - 1];
  }

  function showResult() {
    var score = Math.round((100 * state.correct) / total);
    var band = bandFor(score);
    var title = band ? band.querySelector('.quiz-band-title').textContent : '';
    var text = band ? band.querySelector('.quiz-band-text').textContent : '';
    while (result.firstChild) result.removeChild(result.firstChild);
    var h = el('h2', 'quiz-result-title', title);
    var s = el('p', 'quiz-score');
    s.appendChild(el('strong', null, String(score)));
    s.appendChild(document.createTextNode(' 分 · 答对 ' + state.correct + ' / ' + total + ' 题'));
    result.appendChild(s);
    result.appendChild(h);
    result.appendChild(el('p', 'quiz-result-text', text));
    if (band) {
      var img = document.createElement('img');
      img.className = 'quiz-card';
      img.src = band.getAttribute('data-card');
      img.width = 1200;
      img.height = 630;
      img.alt = '结果分享图：' + title + '（' + band.getAttribute('data-min') + '–' + band.getAttribute('data-max') + ' 分）';
      result.appendChild(img);
      result.appendChild(el('p', 'meta', '长按图片保存，分享给朋友一起答题。'));
    }
    var again = el('button', 'quiz-btn quiz-restart', '再答一次');
    again.type = 'button';
    again.addEventListener('click', restart);
    result.appendChild(again);
    root.classList.add('is-done');
    fill.style.width = '100%';
    progress.textContent = '答题完成';
    send(true);
    result.focus();
    if (result.scrollIntoView) root.scrollIntoView();
  }

  function restart() {
    if (!state.sent) send(false);
    state = { at: 0, correct: 0, picks: [], sent: false };
    root.classList.remove('is-done');
    for (var i = 0; i < total; i++) {
      var q = items[i];
      q.classList.remove('is-answered', 'is-right', 'is-wrong');
      var bs = q.querySelectorAll('.quiz-opt');
      for (var j = 0; j < bs.length; j++) {
        bs[j].disabled = false;
        bs[j].classList.remove('is-right', 'is-wrong', 'is-picked');
        if (bs[j].hasAttribute('aria-pressed')) bs[j].setAttribute('aria-pressed', 'false');
      }
      var sub = q.querySelector('.quiz-submit');
      if (sub) sub.disabled = true;
      q.querySelector('.quiz-feedback').textContent = '';
    }
    show(0);
    var first = items[0].querySelector('.quiz-text');
    if (first) {
      first.setAttribute('tabindex', '-1');
      first.focus();
    }
    root.scrollIntoView();
  }

  // One report per attempt: at the result, or when the reader leaves half-way
  function send(finished) {
    if (state.sent || !id) return;
    var picks = [];
    var any = false;
    for (var i = 0; i < total; i++) {
      picks.push(state.picks[i] || null);
      if (state.picks[i]) any = true;
    }
    if (!any) return;
    state.sent = true;
    var body = JSON.stringify({ picks: picks, finished: finished });
    var url = api || '/api/quiz/' + encodeURIComponent(id) + '/answers';
    // fetch without credentials first: a logged-in editor's session cookie must not ride along
    if (window.fetch) {
      try {
        window.fetch(url, { method: 'POST', body: body, credentials: 'omit', keepalive: true, headers: { 'Content-Type': 'text/plain' } })['catch'](function () {});
        return;
      } catch (e) {
        /* fall through */
      }
    }
    try {
      if (navigator.sendBeacon) navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
    } catch (e2) {
      /* statistics are best effort */
    }
  }
  window.addEventListener('pagehide', function () {
    if (!root.classList.contains('is-done')) send(false);
  });

  root.classList.add('quiz-js');
  show(0);
})();
