import { z } from 'zod';
import type { KindModule } from '../types.ts';
import { CreateNoticeSchema, NoticeSchema, type Notice } from './schema.ts';

const none = () => ({ before: [], after: [] });

/** 微公告: title, summary and body; the page is a NewsArticle. */
export const notice: KindModule<Notice> = {
  kind: 'notice',
  label: '微公告',
  schemas: { item: NoticeSchema, create: CreateNoticeSchema, update: {}, draft: z.object({}) },
  checks: { beforeUpdate() {}, beforeReview() {}, beforePublish() {} },
  column: { key: 'notices', name: '微公告', description: '权威信息第一时间发布' },
  html: { site: none, feed: none, wechat: none },
  jsonLd: () => null,
  weibo: none,
  media: () => [],
  editor: { newFields: null, fromNewForm: (_form, common) => common, fields: null, preview: null },
  review: { beforeDiff: null, afterDiff: null },
  fromGroup: ({ groupTitle }) => ({ title: `关于“${groupTitle}”的回应` }),
  api: null,
  siteFiles: null,
};

export default notice;
