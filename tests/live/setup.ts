import { doc, type Client } from '../helpers.ts';

/** Creates a live item as `editor` and has `reviewer` approve and publish it (the one normal review). */
export async function publishedLive(editor: Client, reviewer: Client, live: Record<string, unknown> = { mode: 'event', place: '阜宁县陈良镇' }, title = '心系灾区在行动') {
  const res = await editor.request('POST', '/api/items', { kind: 'live', title, summary: '龙卷风冰雹灾害救援实时动态', body: doc('6月23日下午，阜宁、射阳遭遇龙卷风冰雹灾害。'), live: { pinned: doc('求助热线：12345'), ...live } });
  if (res.status !== 201) throw new Error(`create live: ${res.status} ${await res.text()}`);
  const item = await res.json();
  for (const [who, to] of [[editor, 'in-review'], [reviewer, 'approved'], [reviewer, 'published']] as const) {
    const t = await who.request('POST', `/api/items/${item.id}/transitions`, { to });
    if (t.status !== 200) throw new Error(`${to}: ${t.status} ${await t.text()}`);
  }
  return (await (await editor.request('GET', `/api/items/${item.id}`)).json()).item as { id: string; slug: string; version: number; live: Record<string, unknown> };
}

export const postUpdate = (who: Client, id: string, body: Record<string, unknown>) => who.request('POST', `/api/items/${id}/updates`, body);
export const transition = (who: Client, id: string, uid: string, body: Record<string, unknown>) => who.request('POST', `/api/items/${id}/updates/${uid}/transitions`, body);
