/** @jsxImportSource hono/jsx */
import { one } from '../../ui/shared/forms.ts';
import type { EditorContext, FormFields, NewFormContext, ReviewContext } from '../types.ts';
import { VERDICTS, VERDICT_LABELS, type Claim, type RumorGuide } from './schema.ts';

export function ClaimFields({ index, claim }: { index: number | '__N__'; claim?: Claim | undefined }) {
  const id = (field: string) => `claim-${index}-${field}`;
  return (
    <fieldset class="claim" data-claim>
      <legend>说法 {typeof index === 'number' ? index + 1 : ''}</legend>
      <label for={id('claim')}>网传说法</label>
      <textarea id={id('claim')} name="claim" rows={2} maxlength={300}>
        {claim?.claim ?? ''}
      </textarea>
      <label for={id('verdict')}>结论</label>
      <select id={id('verdict')} name="verdict">
        {VERDICTS.map((v) => (
          <option value={v} selected={claim?.verdict === v}>
            {VERDICT_LABELS[v]}
          </option>
        ))}
      </select>
      <label for={id('evidence')}>依据</label>
      <textarea id={id('evidence')} name="evidence" rows={3} maxlength={3000}>
        {claim?.evidence ?? ''}
      </textarea>
      <label for={id('sources')}>来源（每行一条：名称 | 网址）</label>
      <textarea id={id('sources')} name="sources" rows={2}>
        {(claim?.sources ?? []).map((s) => `${s.name} | ${s.url}`).join('\n')}
      </textarea>
      <button type="button" class="link-button" data-remove-claim>
        删除这条说法
      </button>
    </fieldset>
  );
}

/** The first claim on the "new rumor guide" form. */
export function NewGuideFields(_ctx: NewFormContext) {
  return (
    <>
      <p class="hint">谣言识破攻略至少要有一条说法，其余可在编辑页补充。</p>
      <label for="claim">网传说法</label>
      <textarea id="claim" name="claim" rows={2} required></textarea>
      <label for="verdict">结论</label>
      <select id="verdict" name="verdict">
        {VERDICTS.map((v) => (
          <option value={v}>{VERDICT_LABELS[v]}</option>
        ))}
      </select>
      <label for="evidence">依据</label>
      <textarea id="evidence" name="evidence" rows={3} required></textarea>
    </>
  );
}

export function guideFromNewForm(form: FormFields, common: { kind: string; title: string; body: unknown }) {
  return { ...common, claims: [{ claim: one(form, 'claim'), verdict: one(form, 'verdict'), evidence: one(form, 'evidence') }] };
}

/** Claims and tips on the edit page (the editor script reads them back from `[data-claim]`). */
export function GuideFields({ item, mode }: EditorContext<RumorGuide>) {
  const editable = mode !== 'read';
  return (
    <section class="claims" aria-labelledby="claims-title">
      <h2 id="claims-title">说法与结论</h2>
      <div data-claims>
        {item.claims.map((claim, i) => (
          <ClaimFields index={i} claim={claim} />
        ))}
      </div>
      <template id="claim-template">
        <ClaimFields index="__N__" />
      </template>
      {editable && (
        <button type="button" data-add-claim>
          添加说法
        </button>
      )}
      <label for="tips">识别技巧（每行一条）</label>
      <textarea id="tips" name="tips" rows={4} readonly={!editable}>
        {item.tips.join('\n')}
      </textarea>
    </section>
  );
}

export function GuidePreview(item: RumorGuide) {
  return (
    <section>
      <h2>说法与结论</h2>
      {item.claims.map((claim) => (
        <article class="site-claim">
          <p>
            <span class={`verdict verdict-${claim.verdict}`}>{VERDICT_LABELS[claim.verdict]}</span> {claim.claim}
          </p>
          <p>{claim.evidence}</p>
        </article>
      ))}
      {item.tips.length > 0 && (
        <>
          <h2>识别技巧</h2>
          <ol>
            {item.tips.map((t) => (
              <li>{t}</li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

export function GuideReview({ item }: ReviewContext<RumorGuide>) {
  return (
    <section class="card" aria-labelledby="claims-title">
      <h2 id="claims-title">说法与结论</h2>
      <ol>
        {item.claims.map((claim) => (
          <li>
            <strong>{claim.claim}</strong> — <span class={`verdict verdict-${claim.verdict}`}>{VERDICT_LABELS[claim.verdict]}</span>
            <p>{claim.evidence}</p>
            {claim.sources.length > 0 && <p class="meta">来源：{claim.sources.map((s) => `${s.name}（${s.url}）`).join('；')}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
