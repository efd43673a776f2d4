import { join } from 'node:path';
import { createRuntime } from '../../../app/runtime';
import type { Reply } from '../../../core/message';
import type { NluParser } from '../../../core/nlu';
import { loadDialogEngine } from '../../../dialogs';
import { loadConversationScripts } from '../../../dialogs/testing/conversation-script';
import { runConversation, type ScriptTarget } from '../../../dialogs/testing/conversation-runner';
import { trainBotNlu } from '../../../nlu';
import { createMemoryStores } from '../../../stores/memory';
import { silentLogger } from '../../../stores/silent-logger';
import { redactText } from '../../../transcripts/redact';
import { acmeEngineOptions, createAcmeImplementations } from '../bot';
import { createAcmeBackend } from '../services';

const BOT = join(__dirname, '..');

/** A whole Acme runtime (real NLU, flows, fake back-end, memory stores) on a clock the script sets. */
function acmeTarget(nlu: NluParser): ScriptTarget {
  let now = 0;
  const clock = { now: () => now };
  let ids = 0;
  const stores = createMemoryStores({ retentionMs: 24 * 60 * 60 * 1000, clock });
  const dialog = loadDialogEngine({
    flowsDir: join(BOT, 'flows'),
    implementations: createAcmeImplementations(createAcmeBackend()),
    options: acmeEngineOptions,
  });
  const runtime = createRuntime({
    stores,
    nlu,
    dialog,
    redact: redactText,
    logger: silentLogger,
    clock,
    ids: { next: () => `case-${(ids += 1)}` },
  });
  return {
    handle: (message) => runtime.handle(message),
    // Hand-back replies reach the customer as pushes, like an agent's messages.
    handBack: async (conversationId, input) => {
      const pushed: Reply[] = [];
      const stop = await runtime.onPush(conversationId, (reply) => pushed.push(reply));
      await runtime.handBack(conversationId, input);
      await stop();
      return pushed;
    },
    stores,
    setNow: (epochMs) => {
      now = epochMs;
    },
  };
}

describe('Acme conversation scripts', () => {
  let nlu: NluParser;
  beforeAll(async () => {
    nlu = await trainBotNlu(join(BOT, 'nlu'));
  });

  for (const script of loadConversationScripts(__dirname)) {
    it(`${script.file.split('/').pop()}: ${script.name}`, async () => {
      await runConversation(script, acmeTarget(nlu));
    });
  }
});
