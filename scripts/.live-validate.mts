import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { createTestEnv } from '../tests/helpers.ts';
import { buildSite } from '../server/publish/service.ts';
import { itemsOf } from '../server/content/service.ts';
const env = await createTestEnv({ demo: true });
const outDir = join(env.dir, 'site');
await buildSite({ dataDir: env.dir, outDir, siteUrl: 'https://lianxin.example.cn', siteTitle: '连心' }, { search: false, cards: false });
const v = new HtmlValidate({ extends: ['html-validate:recommended'] });
for (const it of await itemsOf(env.deps).list((i) => i.kind === 'live')) {
  const file = join(outDir, 'live', it.slug, 'index.html');
  const r = await v.validateString(readFileSync(file, 'utf8'), file);
  for (const x of r.results) for (const m of x.messages) console.log(it.slug, m.line, m.ruleId, m.message);
}
for (const p of ['index.html', 'live/index.html']) { const r = await v.validateString(readFileSync(join(outDir, p), 'utf8'), p); for (const x of r.results) for (const m of x.messages) console.log(p, m.ruleId, m.message); }
await env.close();
process.exit(0);
