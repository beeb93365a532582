import { ConflictError } from '../../errors.ts';
import liveRoutes from './routes.ts';
import { liveSiteFiles } from './site-files.ts';
import type { KindModule } from '../types.ts';
import { feedHtml, liveAsOfBuild, siteHtml, wechatHtml, weiboText } from './html.ts';
import { liveJsonLd } from './json-ld.ts';
import { CreateLiveSchema, LiveDraftSchema, LiveItemSchema, LiveUpdateFields, type LiveItem } from './schema.ts';

/**
 * 直播 / 在线交流: a live column (event) or an online exchange (qa). The item is reviewed once; its
 * updates are posted and published one by one (four-eyes per update) and reach readers as small
 * JSON files beside the page, without a site build (server/live).
 */
export const live: KindModule<LiveItem> = {
  kind: 'live',
  label: '直播',
  schemas: { item: LiveItemSchema, create: CreateLiveSchema, update: LiveUpdateFields, draft: LiveDraftSchema },
  checks: {
    beforeUpdate(item, input) {
      if (input.live !== undefined && item.status !== 'draft' && item.status !== 'changes-requested') {
        throw new ConflictError('live: 已提交或已发布的直播，置顶信息和状态请用 PATCH /api/items/:id/live 修改');
      }
    },
    beforeReview() {},
    beforePublish() {},
  },
  column: { key: 'live', name: '直播', description: '灾情与救援实时动态、在线交流' },
  html: { site: siteHtml, feed: feedHtml, wechat: wechatHtml },
  jsonLd: (item, ctx) => liveJsonLd(item, liveAsOfBuild(item).updates, ctx),
  weibo: weiboText,
  media: () => [],
  editor: {
    newFields: null,
    fromNewForm: (form, common) => ({ ...common, live: { mode: form.mode === 'qa' ? 'qa' : 'event' } }),
    fields: null,
    preview: null,
  },
  review: { beforeDiff: null, afterDiff: null },
  fromGroup: ({ groupTitle }) => ({ title: `${groupTitle}：在线交流`, live: { mode: 'qa' } }),
  api: liveRoutes,
  siteFiles: liveSiteFiles,
};

export default live;
