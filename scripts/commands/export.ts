import { join, resolve } from 'node:path';
import { exportWechat, exportWeibo, readPublished } from '../../server/exports/service.ts';
import { defaultSiteDir } from '../../server/publish/publisher.ts';
import { weiboLength } from '../../server/exports/weibo-count.ts';
import { usageError, type Command } from './types.ts';

const USAGE = 'export (wechat|weibo) ITEM [--out DIR] [--json]';

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a published item as a WeChat article package or a Weibo post',
  usage: USAGE,
  async run(ctx) {
    const [channel, id] = ctx.argv;
    if ((channel !== 'wechat' && channel !== 'weibo') || !id) return usageError(USAGE);
    const { dataDir, siteUrl } = ctx.config;
    const item = readPublished({ dataDir, id });
    if (channel === 'weibo') {
      const pkg = exportWeibo({ siteUrl, item });
      ctx.print(pkg, `${pkg.text}\n\n（${weiboLength(pkg.text)}/140 字，长文 ${weiboLength(pkg.long_text)} 字，图片 ${pkg.images.length} 张）`);
      return 0;
    }
    const outAt = ctx.argv.indexOf('--out');
    const siteDir = resolve(outAt >= 0 && ctx.argv[outAt + 1] ? ctx.argv[outAt + 1]! : defaultSiteDir(dataDir));
    const pkg = await exportWechat({ dataDir, siteDir, siteUrl, item });
    const dir = join(siteDir, 'exports', 'wechat', item.id);
    const a = pkg.articles[0]!;
    ctx.print(pkg, `《${a.title}》 作者 ${a.author}，正文 ${a.content.length} 字符，图片 ${a.images.length} 张\n文件：${dir}（package.json、preview.html、图片）`);
    return 0;
  },
};
