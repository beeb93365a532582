// @ts-check
import { defineConfig } from 'astro/config';

// The site is always built through `buildSite()` (server/publish/build-site.ts), which passes
// outDir, site and cacheDir inline; these are the settings that do not change per build.
export default defineConfig({
  site: process.env.LIANXIN_SITE_URL ?? 'http://localhost:3000',
  output: 'static',
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // One small stylesheet, inlined: no extra request in WeChat's in-app browser.
    inlineStylesheets: 'always',
    // Pages are cheap string renders; 2 in flight keeps both cores busy without thrashing.
    concurrency: 2,
  },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: { logLevel: 'warn' },
});
