/**
 * What several `lianxin serve` processes on one database share beyond records: who runs the
 * once-per-cluster work, and messages between them. The embedded (one process) setup has none.
 */
export interface Cluster {
  /** Runs `fn` unless another process runs work of the same name right now; resolves undefined when skipped. */
  exclusive<R>(name: string, fn: () => Promise<R>): Promise<R | undefined>;
  /** Runs `fn` and waits for the same-named work of every other process to finish first. */
  serialized<R>(name: string, fn: () => Promise<R>): Promise<R>;
  /**
   * Competes for the named role: `start` runs in exactly one process at a time (the leader) and
   * returns its stop function; when the leader stops or dies, another process takes over. Returns
   * a function that leaves the race (stepping down when leading).
   */
  lead(name: string, start: () => () => void): () => void;
  /** Sends a message to every process (itself included) subscribed to `channel`. */
  publish(channel: string, payload: unknown): Promise<void>;
  subscribe(channel: string, listener: (payload: unknown) => void): Promise<() => void>;
  close(): Promise<void>;
}
