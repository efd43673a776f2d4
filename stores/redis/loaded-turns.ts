/** What a turn's first script read with its lock: the state's JSON and the message's dedupe record. */
export interface Loaded {
  /** The state's JSON, null when none is stored; absent once taken. */
  state?: string | null;
  /** The dedupe record of the turn's message, `replies` null when there is none; absent once taken. */
  seen?: { dedupeId: string; replies: string | null };
}

/**
 * The reads a running turn already made, handed out once each to the stores' first `get` in that turn.
 * A write of the conversation's state in this process drops the loaded state; the turn's end drops all.
 */
export class LoadedTurns {
  private readonly byConversation = new Map<string, Loaded>();

  set(conversationId: string, loaded: Loaded): void {
    this.byConversation.set(conversationId, { ...loaded });
  }

  /** The state's JSON (null: none stored), or undefined when nothing was loaded or it was taken. */
  takeState(conversationId: string): string | null | undefined {
    const loaded = this.byConversation.get(conversationId);
    if (loaded?.state === undefined) return undefined;
    const { state } = loaded;
    delete loaded.state;
    return state;
  }

  /** The dedupe record's JSON (null: none), or undefined when that message's record was not loaded. */
  takeSeen(conversationId: string, dedupeId: string): string | null | undefined {
    const loaded = this.byConversation.get(conversationId);
    if (!loaded?.seen || loaded.seen.dedupeId !== dedupeId) return undefined;
    const { replies } = loaded.seen;
    delete loaded.seen;
    return replies;
  }

  /** The state was written (or deleted) in this process: a loaded copy is stale now. */
  dropState(conversationId: string): void {
    delete this.byConversation.get(conversationId)?.state;
  }

  /** The turn ended. */
  drop(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }
}
