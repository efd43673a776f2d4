import { Client } from 'pg';
import { plainRequest } from './parley-start';

/** One REST request the load sent, and how it ended. */
export interface Attempt {
  sender: string;
  messageId: string;
  startedAt: number;
  ms: number;
  /** HTTP status, or 0 when the request timed out or the connection failed. */
  status: number;
  body: string;
}

const APOLOGY = /something went wrong/i;

/** A 200 whose body is the apology: what a REST client cannot tell from an answer. */
export const isApology = (attempt: Attempt): boolean => attempt.status === 200 && APOLOGY.test(attempt.body);

/**
 * `senders` customers each sending one message after another to the REST webhook until `stop()`;
 * every request is bounded by `timeoutMs` on the client side.
 */
export function runRestLoad(url: string, senders: number, timeoutMs: number) {
  const attempts: Attempt[] = [];
  let running = true;
  const loop = async (sender: string) => {
    for (let n = 0; running; n += 1) {
      const messageId = `${sender}-m${n}`;
      const startedAt = Date.now();
      const body = { sender, message: `hello number ${n}`, metadata: { message_id: messageId } };
      const settled = await plainRequest(`${url}/webhooks/rest/webhook`, { body, timeoutMs }).then(
        (res) => ({ status: res.status, body: res.body }),
        (error: unknown) => ({ status: 0, body: String(error) }),
      );
      attempts.push({ sender, messageId, startedAt, ms: Date.now() - startedAt, ...settled });
      // A refused turn is retried a little later, as Retry-After asks (shortened for the test).
      if (settled.status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const loops = Array.from({ length: senders }, (_, i) => loop(`chaos-${i}`));
  return {
    attempts,
    async stop(): Promise<Attempt[]> {
      running = false;
      await Promise.all(loops);
      return attempts;
    },
  };
}

/** The customer message ids PostgreSQL holds in the transcripts of `conversationIds`. */
export async function transcriptMessageIds(
  databaseUrl: string,
  conversationIds: string[],
): Promise<Set<string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ entry: { speaker?: string; messageId?: string } }>(
      'SELECT entry FROM parley_transcript_lines WHERE conversation_id = ANY($1)',
      [conversationIds],
    );
    return new Set(
      rows
        .filter((r) => r.entry.speaker === 'customer' && r.entry.messageId)
        .map((r) => String(r.entry.messageId)),
    );
  } finally {
    await client.end();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
