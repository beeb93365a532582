/**
 * The editor's local copy: every change is written to localStorage with the time, and removed
 * once the server has confirmed a save with no changes pending. A copy found on load (after a
 * crash, a closed tab, a lost connection) that differs from what the server has is offered back.
 */
type Fields = Record<string, unknown>;

interface Stored {
  at: number;
  fields: Fields;
}

export interface LocalCopy {
  remember(): void;
  forget(): void;
  /** On load: offers a copy that differs from the page's content (restore → saved to the server, then reload). */
  offer(): void;
}

export function setupLocalCopy({ itemId, enabled, payload, restore }: { itemId: string; enabled: boolean; payload: () => Fields; restore: (fields: Fields) => Promise<void> }): LocalCopy {
  const key = `lianxin:local-copy:${itemId}`;
  const read = (): Stored | undefined => {
    try {
      const raw = localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as Stored) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    remember() {
      if (!enabled) return;
      try {
        localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: payload() } satisfies Stored));
      } catch {
        // storage full or disabled: the server save still runs
      }
    },
    forget() {
      try {
        localStorage.removeItem(key);
      } catch {
        // nothing to do
      }
    },
    offer() {
      const stored = read();
      const box = document.getElementById('local-copy');
      if (!stored || !box || !enabled) return;
      if (JSON.stringify(stored.fields) === JSON.stringify(payload())) return this.forget();
      const when = new Date(stored.at).toLocaleString('zh-CN', { hour12: false });
      box.querySelector('[data-local-copy-text]')!.textContent = `这台电脑上有一份 ${when} 的本地副本，还没有保存到服务器（可能是浏览器关闭或断网）。恢复后会保存为新版本，当前服务器上的内容仍保留在修订历史中。`;
      box.hidden = false;
      box.addEventListener('click', async (event) => {
        const choice = (event.target as HTMLElement).closest<HTMLElement>('[data-local-copy]')?.dataset.localCopy;
        if (choice === 'discard') {
          this.forget();
          box.hidden = true;
        } else if (choice === 'restore') {
          try {
            await restore(stored.fields);
            this.forget();
            location.reload();
          } catch (error) {
            box.querySelector('[data-local-copy-text]')!.textContent = error instanceof Error ? error.message : String(error);
          }
        }
      });
    },
  };
}
