/** User agents of crawlers, link previewers, monitors and scripted clients; their hits are not reads. */
const BOT_UA =
  /bot\b|bot\/|spider|crawl|slurp|mediapartners|facebookexternalhit|embedly|quora link preview|whatsapp|telegrambot|preview|monitor|pingdom|uptime|lighthouse|pagespeed|headlesschrome|phantomjs|puppeteer|playwright|selenium|python-requests|python-urllib|aiohttp|httpx|go-http-client|java\/|okhttp|curl\/|wget\/|libwww|httpclient|axios\/|node-fetch|undici|scrapy|yisouspider|sogou|360spider|bytespider|petalbot|baiduspider|semrush|ahrefs|mj12bot|dotbot/i;

/** True when the user agent is missing or looks automated. */
export function isBot(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.length < 10) return true;
  return BOT_UA.test(userAgent);
}

/** True when the reader asked not to be tracked (DNT: 1 or Sec-GPC: 1). */
export function optedOut(headers: { dnt?: string | undefined; gpc?: string | undefined }): boolean {
  return headers.dnt?.trim() === '1' || headers.gpc?.trim() === '1';
}
