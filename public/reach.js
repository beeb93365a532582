/* 连心 reach beacon: one anonymous hit per page view; no cookies, nothing stored in the browser. */
(function () {
  var s = document.currentScript, n = navigator, w = window;
  var item = s && s.getAttribute('data-item');
  if (!item) return;
  // the reader asked not to be tracked
  if (n.doNotTrack == '1' || w.doNotTrack == '1' || n.globalPrivacyControl) return;
  var url = (s.getAttribute('data-api') || '') + '/api/reach/hit';
  var body = JSON.stringify({ url: location.href, itemId: item, ref: document.referrer || '' });
  function send() {
    // a string body goes as text/plain: no CORS preflight from the site's origin
    if (n.sendBeacon && n.sendBeacon(url, body)) return;
    if (w.fetch) fetch(url, { method: 'POST', body: body, keepalive: true, credentials: 'omit' })['catch'](function () {});
  }
  if (document.visibilityState == 'prerender') document.addEventListener('visibilitychange', function once() {
    document.removeEventListener('visibilitychange', once);
    send();
  });
  else send();
})();
