import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
const base = 'http://localhost:3144';
await p.goto(base + '/workbench/login');
await p.fill('input[name=username]', process.argv[2]);
await p.fill('input[name=password]', process.argv[3]);
await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
for (const [path, out] of process.argv.slice(4).map((a) => a.split('='))) {
  await p.goto(base + path, { waitUntil: 'networkidle' });
  await p.screenshot({ path: out, fullPage: false });
}
await b.close();
