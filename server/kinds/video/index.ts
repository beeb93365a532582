import { ConflictError } from '../../errors.ts';
import { escapeHtml } from '../../feeds/text.ts';
import { publishedDate, isoDuration } from '../../publish/text.ts';
import videoRoutes from './routes.ts';
import type { KindModule } from '../types.ts';
import { NewFields, VideoFields, VideoReview, videoFromNewForm } from './editor.tsx';
import { CreateVideoSchema, hasCurrentRender, VideoDraftSchema, VideoItemSchema, VideoUpdateFields, type VideoItem } from './schema.ts';

function assertRendered(item: VideoItem): void {
  if (!hasCurrentRender(item)) throw new ConflictError('render: 微视频还没有与当前分镜一致的成片，请先渲染（POST /api/items/:id/render）再审核或发布');
}

/** 微视频: a storyboard rendered to MP4 by ffmpeg; review and publishing need a render of the current storyboard. */
export const video: KindModule<VideoItem> = {
  kind: 'video',
  label: '微视频',
  schemas: { item: VideoItemSchema, create: CreateVideoSchema, update: VideoUpdateFields, draft: VideoDraftSchema },
  checks: {
    beforeUpdate(item, input) {
      // storyboards change only before review; a published video is corrected by re-doing it
      if (input.storyboard !== undefined && item.status === 'published') throw new ConflictError('storyboard: 已发布的微视频不能修改分镜；请撤回后新建一条');
    },
    beforeReview(item, to) {
      if (to === 'approved') assertRendered(item);
    },
    beforePublish: assertRendered,
  },
  column: { key: 'videos', name: '微视频', description: '一分钟看懂身边事' },
  html: {
    site: (item) => ({
      before: item.render
        ? [
            `<video controls preload="metadata" playsinline poster="/${escapeHtml(item.render.poster)}" width="${item.render.width}" height="${item.render.height}">` +
              `<source src="/${escapeHtml(item.render.file)}" type="video/mp4"><a href="/${escapeHtml(item.render.file)}">下载视频</a></video>`,
          ]
        : [],
      after: [],
    }),
    feed: (item) => ({
      before: item.render ? [`<p><video controls preload="metadata" width="${item.render.width}" height="${item.render.height}" poster="/${escapeHtml(item.render.poster)}" src="/${escapeHtml(item.render.file)}"></video></p>`] : [],
      after: [],
    }),
    wechat: () => ({ before: [], after: [] }),
  },
  jsonLd: (item, ctx) =>
    item.render
      ? [
          {
            '@context': 'https://schema.org',
            '@type': 'VideoObject',
            name: item.title,
            description: item.summary || item.title,
            thumbnailUrl: [new URL(`/${item.render.poster}`, ctx.siteUrl).href],
            uploadDate: publishedDate(item),
            duration: isoDuration(item.render.duration),
            contentUrl: new URL(`/${item.render.file}`, ctx.siteUrl).href,
            width: item.render.width,
            height: item.render.height,
            publisher: { '@type': 'Organization', name: item.orgName },
          },
        ]
      : null,
  weibo: () => ({ before: [], after: [] }),
  media: (item) => (item.render ? [item.render.file, item.render.poster] : []),
  editor: { newFields: NewFields, fromNewForm: videoFromNewForm, fields: VideoFields, preview: null },
  review: { beforeDiff: VideoReview, afterDiff: null },
  fromGroup: null,
  api: videoRoutes,
  siteFiles: null,
};

export default video;
