// The public site's static file serving, by concern:
//   static-headers.ts   content types, cache rules, ETag matching, the SiteAnswer contract
//   static-cache.ts     the LRU of files read from disk (one stat per hit)
//   static-files.ts     createSiteFiles: a request's path and validators → a SiteAnswer
//   static-wire.ts      a SiteAnswer written on node:http (the fast path, server/http/site-fast-path.ts)
//   static-route.ts     serveSite: the same answers as a Hono handler
export { cacheControl, rawPath, type RangeRequest, type SiteAnswer, type SiteFiles } from './static-headers.ts';
export { createSiteFiles } from './static-files.ts';
export { serveSite } from './static-route.ts';
export { writeAnswer } from './static-wire.ts';
