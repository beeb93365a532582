// Child process for the kill -9 test: writes as fast as it can and prints each acknowledged write.
import { createStore } from '../../server/store/index.ts';

const dir = process.argv[2]!;
const store = createStore({ adapter: 'lowdb', dir });
const notes = store.collection<{ id: string; n: number; text: string; version: number; createdAt: string; updatedAt: string }>('notes');
const pad = 'x'.repeat(200);
let n = 0;
// several writers at once so the kill lands while shard writes and audit appends overlap
await Promise.all([
  ...Array.from({ length: 4 }, async (_, w) => {
    for (;;) {
      const id = `w${w}-${n++}`;
      await notes.insert({ id, n, text: pad });
      await store.audit.append({ actor: 'crash', action: 'note.create', target: { type: 'note', id } });
      process.stdout.write(`ack ${id}\n`);
    }
  }),
  // and batches, as an import writes them: each id acknowledged once its batch resolved
  (async () => {
    for (let b = 0; ; b++) {
      const ids = Array.from({ length: 40 }, (_, i) => `b${b}-${i}`);
      await notes.upsertMany(ids.map((id) => ({ id, change: () => ({ id, n: b, text: pad }) })));
      process.stdout.write(ids.map((id) => `ack ${id}\n`).join(''));
    }
  })(),
]);
