import { publishedDate, truncate } from '../../publish/text.ts';
import type { KindModule } from '../types.ts';
import { GuideFields, GuidePreview, GuideReview, guideFromNewForm, NewGuideFields } from './editor.tsx';
import { feedHtml, siteHtml, wechatHtml, weiboText } from './html.ts';
import { CreateRumorGuideSchema, RumorGuideDraftSchema, RumorGuideSchema, RumorGuideUpdateFields, verdicts, type RumorGuide } from './schema.ts';

/** 谣言识破攻略: claims with verdicts, evidence and sources, and spotting tips; the page carries ClaimReview. */
export const rumorGuide: KindModule<RumorGuide> = {
  kind: 'rumor-guide',
  label: '谣言识破攻略',
  schemas: { item: RumorGuideSchema, create: CreateRumorGuideSchema, update: RumorGuideUpdateFields, draft: RumorGuideDraftSchema },
  checks: { beforeUpdate() {}, beforeReview() {}, beforePublish() {} },
  column: { key: 'rumors', name: '谣言识破', description: '辨别网络谣言的攻略' },
  html: { site: siteHtml, feed: feedHtml, wechat: wechatHtml },
  jsonLd: (item, ctx) =>
    item.claims.map((c) => ({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url: new URL(item.url, ctx.siteUrl).href,
      claimReviewed: truncate(c.claim, 75),
      datePublished: publishedDate(item),
      author: { '@type': 'Organization', name: item.orgName },
      reviewRating: { '@type': 'Rating', ratingValue: verdicts[c.verdict].rating, bestRating: 5, worstRating: 1, alternateName: verdicts[c.verdict].label },
      itemReviewed: { '@type': 'Claim', ...(c.sources[0] ? { appearance: c.sources.map((s) => s.url) } : {}) },
    })),
  weibo: weiboText,
  media: () => [],
  editor: { newFields: NewGuideFields, fromNewForm: guideFromNewForm, fields: GuideFields, preview: GuidePreview },
  review: { beforeDiff: null, afterDiff: GuideReview },
  fromGroup: ({ groupTitle, quotes }) => ({
    title: `“${groupTitle}”？谣言识破攻略`,
    claims: [{ claim: (quotes[0] ?? groupTitle).slice(0, 300), verdict: 'unproven', evidence: '（待核实：写明向哪个部门核实、结论是什么）', sources: [] }],
    tips: [],
  }),
  api: null,
  siteFiles: null,
};

export default rumorGuide;
