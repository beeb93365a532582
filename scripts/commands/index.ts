import type { Command } from './types.ts';

/** A command whose code (and everything it imports) is loaded only when it runs, so `--help` stays fast. */
function lazy(info: Pick<Command, 'name' | 'summary' | 'usage'>, load: () => Promise<Command>): Command & { load: () => Promise<Command> } {
  return { ...info, load, run: async (ctx) => (await load()).run(ctx) };
}

/**
 * Every CLI command; a domain adds its own here. Name, summary and usage are repeated from the command's
 * module (tests/cli/lazy.test.ts checks they agree) so that listing them imports nothing.
 */
export const commands: Command[] = [
  lazy({ name: 'serve', summary: 'start the workbench (seeds the demo on an empty data dir unless --no-demo)', usage: 'serve [--port N] [--no-demo]' }, async () => (await import('./serve.ts')).serve),
  lazy({ name: 'seed', summary: 'write the Yancheng demo data (org tree, demo accounts, items in every state)', usage: 'seed --demo' }, async () => (await import('./seed.ts')).seed),
  lazy({ name: 'users', summary: 'add a user (password from --password, else a random one printed once)', usage: 'users add USERNAME --org ID --roles editor,reviewer [--name 姓名] [--password P]' }, async () => (await import('./users.ts')).users),
  lazy({ name: 'backup', summary: 'write the whole data dir into one .tar.gz archive with checksums', usage: 'backup FILE' }, async () => (await import('./backup.ts')).backup),
  lazy({ name: 'restore', summary: 'replace the data dir with a verified backup archive (refuses a corrupt one)', usage: 'restore FILE' }, async () => (await import('./backup.ts')).restore),
  lazy({ name: 'render', summary: 'render a video item to MP4 (progress bar; --json prints { path, duration, width, height })', usage: 'render ITEM' }, async () => (await import('./render.ts')).render),
  lazy({ name: 'build', summary: 'build the public site (Astro), feeds, share cards, export lists and search index from the publish snapshot', usage: 'build [--out DIR] [--no-search]' }, async () => (await import('./build.ts')).build),
  lazy({ name: 'export', summary: 'export a published item as a WeChat article package or a Weibo post', usage: 'export (wechat|weibo) ITEM [--out DIR] [--json]' }, async () => (await import('./export.ts')).exportCommand),
  lazy({ name: 'import', summary: 'import concerns from a CSV, JSON Lines or XLSX file (bad rows listed by line; re-importing adds nothing)', usage: 'import concerns FILE [--format csv|jsonl|xlsx] [--as USER]' }, async () => (await import('./concerns.ts')).importCommand),
  lazy({ name: 'group', summary: 'suggest groups for a week of concerns not yet grouped', usage: 'group --week 2026-W48 [--as USER]' }, async () => (await import('./concerns.ts')).groupCommand),
  lazy({ name: 'migrate', summary: 'copy a lowdb data dir into PostgreSQL ($LIANXIN_DATABASE_URL) and verify counts and checksums', usage: 'migrate lowdb-to-postgres --from DIR' }, async () => (await import('./migrate.ts')).migrateCommand),
  lazy({ name: 'worker', summary: 'take render jobs from Redis ($LIANXIN_REDIS_URL) on this machine; store in PostgreSQL, media in the shared data dir', usage: 'worker [--concurrency N]' }, async () => (await import('./worker.ts')).worker),
  lazy({ name: 'report', summary: 'write the weekly 网情民意周报 (Word, HTML, Markdown), the yearly evaluation 每年评优 or the monthly circular 通报', usage: 'report weekly --org ID --week 2026-W48 --format docx|html|md [--out FILE] [--as USER]  |  report yearly --year 2026 [--org ID] [--format docx|csv|json] [--out FILE]  |  report circular --month 2026-11 [--org ID] [--out FILE]' }, async () => (await import('./concerns.ts')).reportCommand),
];
