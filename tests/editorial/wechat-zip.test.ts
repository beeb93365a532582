import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { zipFiles } from '../../server/exports/zip.ts';
import { tempDir } from '../helpers.ts';

const tmp = tempDir('lianxin-zip-');
afterAll(() => tmp.cleanup());

test('the WeChat package .zip opens with unzip: names (Chinese too), bytes and CRCs intact, text deflated, noise stored', () => {
  const noise = randomBytes(64 * 1024);
  const json = Buffer.from(JSON.stringify({ title: '供暖报修电话公布', text: '正文'.repeat(2000) }));
  const file = join(tmp.dir, 'wechat.zip');
  writeFileSync(file, zipFiles([{ name: 'package.json', data: json }, { name: 'image-1.jpg', data: noise }, { name: '预览.html', data: Buffer.from('<p>预览</p>') }], new Date('2026-12-01T08:30:00Z')));
  expect(readFileSync(file).length).toBeLessThan(json.length + noise.length);
  // -t checks every CRC; a broken header or checksum makes unzip exit non-zero
  expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
  // Python's zipfile reads names as UTF-8 only when the entry says so (flag bit 11), else as CP437
  const listing = JSON.parse(execFileSync('python3', ['-c', 'import json,sys,zipfile; print(json.dumps([i.filename for i in zipfile.ZipFile(sys.argv[1]).infolist()]))', file], { encoding: 'utf8' }));
  expect(listing).toEqual(['package.json', 'image-1.jpg', '预览.html']);
  expect(execFileSync('unzip', ['-p', file, 'package.json']).equals(json)).toBe(true);
  expect(execFileSync('unzip', ['-p', file, 'image-1.jpg']).equals(noise)).toBe(true);
  expect(execFileSync('unzip', ['-l', file], { encoding: 'utf8' })).toContain('2026-12-01 08:30');
});
