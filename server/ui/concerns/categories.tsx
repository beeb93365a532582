/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../context.ts';
import { assertAdmin, assertUser } from '../../auth/permissions.ts';
import { getConcernSettings, updateCategories, UpdateCategoriesSchema } from '../../concerns/settings.ts';
import { parseInput } from '../../validate.ts';
import { renderPage } from '../shared/layout.tsx';
import { formAction, one } from '../shared/forms.ts';
import { Csrf } from './common.tsx';

/** Admin: the concern categories (one per line); concerns keep the category they were filed under. */
const app = new Hono<AppEnv>();
export const CATEGORIES_HREF = '/workbench/admin/categories';

app.get('/admin/categories', async (c) => {
  assertAdmin(assertUser(c.var.user), '修改关切类别');
  const { categories, version } = await getConcernSettings({ deps: c.var.deps });
  const body = (
    <section class="card narrow" aria-labelledby="cat-title">
      <h1 id="cat-title">关切类别</h1>
      <p class="meta">登记和导入关切时可选的类别。已登记的关切保留原类别；必须保留「其他」。</p>
      <form method="post" action={CATEGORIES_HREF} class="stack">
        <Csrf token={c.var.session?.csrf ?? ''} />
        <input type="hidden" name="version" value={String(version)} />
        <label for="categories">类别（每行一个，最多 20 字）</label>
        <textarea id="categories" name="categories" rows={Math.max(8, categories.length + 2)} required>
          {categories.join('\n')}
        </textarea>
        <p>
          <button type="submit" class="primary">
            保存类别
          </button>
        </p>
      </form>
      <p>
        <a href="/workbench/admin/orgs">返回组织</a>
      </p>
    </section>
  );
  return renderPage(c, { title: '关切类别', nav: 'orgs', body });
});

app.post('/admin/categories', (c) => {
  // a non-admin gets the 403 page, not a flash
  assertAdmin(assertUser(c.var.user), '修改关切类别');
  return formAction(c, CATEGORIES_HREF, async ({ user, form }) => {
    const version = Number(one(form, 'version'));
    const lines = one(form, 'categories').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const input = parseInput(UpdateCategoriesSchema, { categories: lines, ...(version > 0 ? { version } : {}) });
    const saved = await updateCategories({ deps: c.var.deps, actor: user, input });
    return { ok: `已保存 ${saved.categories.length} 个类别` };
  });
});

export default app;
