import { APOLOGY } from '../../core/pipeline';
import type { Message } from '../../core/message';
import { StoreUnavailableError, storeUnavailable } from '../../core/store-unavailable';
import { TurnError } from '../../core/errors';
import { createRuntime } from '../../app/runtime';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';
import type { DialogEngine } from '../../core/dialog';
import type { NluParser } from '../../core/nlu';

const nlu: NluParser = {
  parse: async (text) => {
    const intent = { name: 'greet', confidence: 1 };
    return { text, intent, intent_ranking: [intent], entities: [], locale: 'en' };
  },
};

function message(id: string, text: string): Message {
  return {
    channel: 'rest',
    channelUserId: 'u1',
    conversationId: 'rest:u1',
    messageId: id,
    kind: 'text',
    text,
    timestamp: 1,
  };
}

describe('a turn that finds a store unavailable', () => {
  function runtimeWith(step: DialogEngine['step']) {
    const stores = createMemoryStores({ retentionMs: 60_000 });
    const dialog: DialogEngine = { step, summarize: () => ({}) as never };
    const runtime = createRuntime({
      stores,
      nlu,
      dialog,
      redact: (text) => ({ text, redactions: [] }),
      logger: silentLogger,
    });
    return { runtime, stores };
  }

  it('propagates the outage, records nothing as processed, and the retry with the same id runs afresh', async () => {
    let down = true;
    const { runtime, stores } = runtimeWith(async (state) => {
      if (down) throw new StoreUnavailableError('redis', new Error('Command timed out'));
      return { state: state ?? {}, replies: [{ from: 'bot', text: 'Hello!' }], events: [] };
    });
    await expect(runtime.handle(message('m1', 'hi'))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await stores.processed.get('rest:u1', 'rest:m1')).toBeUndefined();
    const lines = await stores.transcripts.read('rest:u1');
    expect(lines.map((l) => l.text)).not.toContain(APOLOGY.text);

    down = false;
    await expect(runtime.handle(message('m1', 'hi'))).resolves.toEqual([{ from: 'bot', text: 'Hello!' }]);
  });

  it('still apologises for a bug in a flow, which a retry would not fix', async () => {
    const { runtime } = runtimeWith(async () => {
      throw new TypeError('undefined is not a function');
    });
    const replies = await runtime.handle(message('m2', 'hi'));
    expect(replies.map((r) => r.text)).toEqual([APOLOGY.text]);
  });

  it('finds the outage behind a stage error', () => {
    const outage = new StoreUnavailableError('postgres', new Error('Connection terminated'));
    expect(storeUnavailable(new TurnError('record', 'c', outage))).toBe(outage);
    expect(storeUnavailable(new TurnError('record', 'c', new Error('bug')))).toBeUndefined();
  });
});
