import { createStore } from '../../server/store/index.ts';
import { testStore } from '../contracts/store.ts';
import { tempDir } from '../helpers.ts';

testStore('memory', async () => ({ store: createStore({ adapter: 'memory' }), cleanup: async () => {} }));

testStore('lowdb', async () => {
  const { dir, cleanup } = tempDir();
  return {
    store: createStore({ adapter: 'lowdb', dir }),
    reopen: async () => createStore({ adapter: 'lowdb', dir }),
    cleanup: async () => cleanup(),
  };
});
