import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/context.ts';
import { createStore } from '../../server/store/index.ts';
import { startServer } from '../../server/main.ts';
import { ensureAdmin } from '../../server/bootstrap.ts';
import { ensureFontconfig } from '../../server/media/fonts.ts';
import { seedDemo } from '../../scripts/seed/demo.ts';

/** Shared by the browser tests and scripts/screenshots.ts (no vitest import here). */
export const CHROMIUM = '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'admin-browser-test';

export interface Harness {
  url: string;
  dataDir: string;
  deps: Deps;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the real server over a temp data dir seeded with the demo, and Chromium with the project's CJK font. */
export async function startHarness(): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-browser-'));
  const deps = createDeps({ store: createStore({ adapter: 'lowdb', dir: dataDir }), config: loadConfig({}, { dataDir, port: 0, host: '127.0.0.1', adminPassword: ADMIN_PASSWORD }) });
  await seedDemo(deps);
  await ensureAdmin(deps);
  const server = await startServer(deps);
  const browser = await launchBrowser();
  return {
    url: server.url,
    dataDir,
    deps,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await deps.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile (playwright creates a temp --user-data-dir per launch). */
export async function launchBrowser(): Promise<Browser> {
  const fontconfig = ensureFontconfig();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, FONTCONFIG_FILE: fontconfig },
  });
}

