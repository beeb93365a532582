import { z } from 'zod';
import { CreateItemBaseFields, EditableFields, RecordFields, SafeUrlSchema } from '../../content/schema.ts';

export const VERDICTS = ['false', 'misleading', 'unproven', 'true'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_LABELS: Record<Verdict, string> = { false: '谣言', misleading: '误导', unproven: '未经证实', true: '属实' };
/** Chinese verdict label and the 1–5 rating Google's ClaimReview guidance maps it to. */
export const verdicts: Record<Verdict, { label: string; rating: number }> = {
  false: { label: VERDICT_LABELS.false, rating: 1 },
  misleading: { label: VERDICT_LABELS.misleading, rating: 2 },
  unproven: { label: VERDICT_LABELS.unproven, rating: 3 },
  true: { label: VERDICT_LABELS.true, rating: 5 },
};

export const ClaimSchema = z.object({
  claim: z.string().trim().min(1, '说法不能为空').max(300),
  verdict: z.enum(VERDICTS),
  evidence: z.string().trim().min(1, '请写明依据').max(3000),
  sources: z.array(z.object({ name: z.string().trim().min(1, '来源名称不能为空').max(100), url: SafeUrlSchema })).max(20).default([]),
});
export type Claim = z.infer<typeof ClaimSchema>;

const ClaimsSchema = z.array(ClaimSchema).min(1, '至少写一条说法').max(20);
const TipsSchema = z.array(z.string().trim().min(1).max(300)).max(20);

/** The guide's own fields: claims with verdicts, evidence and sources, and spotting tips. */
export const RumorGuideFields = { claims: ClaimsSchema, tips: TipsSchema.default([]) };

export const RumorGuideSchema = z.object({ kind: z.literal('rumor-guide'), ...EditableFields, ...RecordFields, ...RumorGuideFields });
export const CreateRumorGuideSchema = z.object({ kind: z.literal('rumor-guide'), ...CreateItemBaseFields, ...RumorGuideFields });
export const RumorGuideUpdateFields = { claims: ClaimsSchema.optional(), tips: TipsSchema.optional() };
/** What a draft may hold while being written: claims may still be incomplete. */
export const RumorGuideDraftSchema = z.object({
  claims: z.array(z.looseObject({ claim: z.string().default(''), verdict: z.string().default('unproven'), evidence: z.string().default(''), sources: z.array(z.looseObject({ name: z.string(), url: z.string() })).default([]) })).default([]),
  tips: z.array(z.string()).default([]),
});

export type RumorGuide = z.infer<typeof RumorGuideSchema>;
export type CreateRumorGuide = z.input<typeof CreateRumorGuideSchema>;

declare module '../../content/schema.ts' {
  interface ItemKinds {
    'rumor-guide': { item: RumorGuide; create: CreateRumorGuide };
  }
}
