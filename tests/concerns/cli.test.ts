import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../scripts/cli.ts';
import { isoWeekOf } from '../../server/concerns/week.ts';

/** Runs the CLI in-process and returns its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    return { code: await main(args), out: lines.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('lianxin import / group / report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lx-cli-'));
    expect((await cli('--data', dir, 'seed', '--demo')).code).toBe(0);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('import concerns --json prints { imported, skipped, errors } and a re-import adds nothing', async () => {
    const file = join(dir, 'week.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({ text: '东台市区自来水发黄', platform: 'weibo', category: '城建', capturedAt: '2026-11-24T09:00:00+08:00' }),
        JSON.stringify({ text: '', platform: 'weibo' }),
        JSON.stringify({ text: '射阳县秸秆焚烧，烟味很重', platform: 'wechat', category: '环境', capturedAt: '2026-11-24T20:00:00+08:00' }),
      ].join('\n'),
    );
    const first = await cli('--data', dir, 'import', 'concerns', file, '--json');
    expect(first.code).toBe(1); // a bad row makes the exit code non-zero
    expect(JSON.parse(first.out)).toEqual({ imported: 2, skipped: 0, errors: [{ line: 2, message: 'text: 内容不能为空' }] });
    const again = await cli('--data', dir, 'import', 'concerns', file, '--json');
    expect(JSON.parse(again.out)).toMatchObject({ imported: 0, skipped: 2 });
  });

  test('group --week --json prints groups with their concerns and sources', async () => {
    const week = isoWeekOf(new Date());
    const { code, out } = await cli('--data', dir, 'group', '--week', week, '--json');
    expect(code).toBe(0);
    const body = JSON.parse(out) as { groups: { title: string; concerns: { id: string; text: string; source: { platform: string } }[] }[] };
    expect(body.groups.length).toBeGreaterThan(0);
    expect(body.groups[0]!.concerns[0]).toMatchObject({ id: expect.any(String), text: expect.any(String), source: { platform: expect.any(String) } });
    expect((await cli('--data', dir, 'group', '--week', '2026-48')).code).toBe(1);
  });

  test('report weekly writes a .docx that unzips', async () => {
    const out = join(dir, 'weekly.docx');
    const { code } = await cli('--data', dir, 'report', 'weekly', '--org', 'yc', '--week', isoWeekOf(new Date()), '--format', 'docx', '--out', out);
    expect(code).toBe(0);
    const xml = await (await JSZip.loadAsync(await readFile(out))).file('word/document.xml')!.async('string');
    expect(xml).toContain('网情民意周报');
    expect(xml).toContain('校车超载与接送安全');
  });
});
