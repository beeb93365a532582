/** @jsxImportSource hono/jsx */
import { one } from '../../ui/shared/forms.ts';
import { loadLookups } from '../../ui/shared/lookups.ts';
import { NewVideoFields, newStoryboard, RenderPanel, renderInfo, StoryboardFields, StoryboardSummary, VideoPlayer } from '../../ui/video/view.tsx';
import type { EditorContext, FormFields, NewFormContext, ReviewContext } from '../types.ts';
import type { VideoItem } from './schema.ts';

/** Format, first scene and end card on the "new video" form. */
export async function NewFields({ deps, user }: NewFormContext) {
  const names = await loadLookups(deps);
  const now = deps.clock();
  return <NewVideoFields orgName={names.orgName(user.orgId)} date={`${now.getFullYear()}年${now.getMonth() + 1}月`} />;
}

export function videoFromNewForm(form: FormFields, common: { kind: string; title: string; body: unknown }) {
  const storyboard = newStoryboard({ title: one(form, 'title'), format: one(form, 'format'), transition: one(form, 'transition'), orgName: one(form, 'endCardOrgName'), date: one(form, 'endCardDate'), text: one(form, 'sceneText'), seconds: Number(one(form, 'sceneSeconds')) || 3 });
  return { ...common, storyboard };
}

/** Storyboard and render panel on the edit page. */
export async function VideoFields({ deps, item, mode }: EditorContext<VideoItem>) {
  const info = await renderInfo(deps, item);
  const job = deps.jobs.list({ target: item.id, kind: 'render' }).find((j) => j.status === 'queued' || j.status === 'running');
  return (
    <>
      <StoryboardFields board={item.storyboard} editable={mode === 'edit'} />
      <RenderPanel item={item} info={info} runningJobId={job?.id} editable={mode === 'edit'} />
    </>
  );
}

/** The render (or why there is none) and the storyboard, above the body diff. */
export async function VideoReview({ deps, item }: ReviewContext<VideoItem>) {
  const video = await renderInfo(deps, item);
  return (
    <>
      <section class="card" aria-labelledby="video-title">
        <h2 id="video-title">成片</h2>
        {video ? <VideoPlayer info={video} title={item.title} /> : <p class="empty">还没有成片：编辑需先生成视频。</p>}
        {video && !video.current && (
          <p class="note" role="note">
            成片与当前分镜不一致（分镜在生成后有修改），不能通过审核或发布；请退回编辑重新生成。
          </p>
        )}
      </section>
      <StoryboardSummary board={item.storyboard} />
    </>
  );
}
