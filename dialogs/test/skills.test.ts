import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DialogOutcome } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import { BUILTIN_SKILLS } from '../../core/skills';
import {
  loadBotTrainingData,
  loadBuiltinSkillData,
  normalisePhrase,
  trainBotNlu,
  type NluModel,
} from '../../nlu';
import { DEFAULT_TEXTS, loadDialogEngine, type FlowDialogEngine } from '..';
import { turnAt } from '../../test/support/nlu-fixtures';

const NOW = Date.UTC(2025, 5, 2, 9, 0);

/** A freshly written shop bot: order phrases and one flow, nothing about people, help or yes/no. */
const SHOP_FILES: Record<string, string> = {
  'nlu/orders.yaml': `intents:
  order_status:
    - where is my order
    - track my order
    - has my parcel shipped
    - I want to check my order
    - order status please
    - when will my package arrive
    - my delivery is late
    - what's happening with order A1001
    - can you tell me where my order is
    - I ordered something last week and it hasn't come
    - tracking for my purchase
    - is my order on its way
entities:
  order_number:
    pattern: "[A-Z]\\\\d{4}"
`,
  'nlu/es/orders.yaml': `intents:
  order_status:
    - ¿dónde está mi pedido?
    - quiero saber el estado de mi pedido
    - mi paquete no ha llegado
    - seguimiento del pedido
    - ¿cuándo llega mi pedido?
    - mi pedido va con retraso
    - ¿ya han enviado mi pedido?
    - estado del pedido A1001
`,
  'flows/order.flow.yaml': `id: order_status
title: Order status
triggers: [order_status]
slots:
  order_number:
    prompt: What is your order number?
initial: ask
states:
  ask:
    collect: order_number
    on:
      filled: tell
      exhausted: tell
  tell:
    type: final
    entry:
      - say: Order {order_number} is on its way.
`,
};

async function writeBot(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-skills-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** The NLU and the engine of a bot folder, as the server builds them, talking turn by turn. */
class Chat {
  state: JsonValue | undefined;
  last!: DialogOutcome;
  constructor(
    readonly nlu: NluModel,
    readonly engine: FlowDialogEngine,
  ) {}

  static async of(dir: string): Promise<Chat> {
    const nlu = await trainBotNlu(join(dir, 'nlu'));
    const engine = loadDialogEngine({
      flowsDir: join(dir, 'flows'),
      implementations: {},
      options: { intents: nlu.intents() },
    });
    return new Chat(nlu, engine);
  }

  async send(text: string, locale?: string): Promise<string[]> {
    const nlu = await this.nlu.parse(text, { now: new Date(NOW), ...(locale ? { locale } : {}) });
    this.last = await this.engine.step(this.state, { type: 'user', text, nlu }, turnAt(NOW));
    this.state = this.last.state;
    return this.last.replies.map((reply) => reply.text);
  }
}

const help = DEFAULT_TEXTS.help.replace('{menu}', 'order status');

describe('a bot whose training data has no built-in skills', () => {
  let dir: string;
  let shop: NluModel;
  beforeAll(async () => {
    dir = await writeBot(SHOP_FILES);
    shop = await trainBotNlu(join(dir, 'nlu'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const chat = (): Chat =>
    new Chat(
      shop,
      loadDialogEngine({
        flowsDir: join(dir, 'flows'),
        implementations: {},
        options: { intents: shop.intents() },
      }),
    );

  it('knows every skill, in both languages it speaks', () => {
    expect(shop.intents()).toEqual([...BUILTIN_SKILLS, 'order_status'].sort());
    expect(shop.languages().sort()).toEqual(['en', 'es']);
  });

  it('escalates "I want to talk to a person" instead of starting an order', async () => {
    for (const text of ['I want to talk to a person', 'could I speak with a real person please']) {
      const talk = chat();
      await talk.send(text);
      expect(talk.last.escalation).toEqual({ reason: 'customer_request' });
    }
    const spanish = chat();
    await spanish.send('quiero hablar con una persona', 'es');
    expect(spanish.last.escalation).toEqual({ reason: 'customer_request' });
  });

  it('answers help with what the bot can do', async () => {
    expect(await chat().send('help')).toEqual([help]);
    expect(await chat().send('what can you do for me?')).toEqual([help]);
  });

  it('greets, thanks and says goodbye with the engine texts', async () => {
    const talk = chat();
    expect(await talk.send('hello')).toEqual([DEFAULT_TEXTS.greet.replace('{menu}', 'order status')]);
    expect(await talk.send('thanks a lot')).toEqual([DEFAULT_TEXTS.thanks]);
    expect(await talk.send('bye')).toEqual([DEFAULT_TEXTS.goodbye]);
    expect(talk.last.replies[0].endSession).toBe(true);
  });

  it('answers yes/no questions of the engine: a person offered after misunderstandings', async () => {
    const talk = chat();
    await talk.send('blorp zzk');
    await talk.send('qwfp arst');
    expect(talk.last.replies[0].text).toBe(DEFAULT_TEXTS.offerHuman);
    expect(await talk.send('no thanks')).toEqual([DEFAULT_TEXTS.declinedHuman]);
    await talk.send('blorp zzk');
    await talk.send('qwfp arst');
    await talk.send('yes please');
    expect(talk.last.escalation).toEqual({ reason: 'repeated_misunderstanding' });
  });

  it('repeats the last replies, and says so when it has said nothing yet', async () => {
    const talk = chat();
    expect(await talk.send('say that again')).toEqual([
      DEFAULT_TEXTS.nothingToRepeat.replace('{menu}', 'order status'),
    ]);
    expect(await talk.send('where is my order')).toEqual(['What is your order number?']);
    expect(await talk.send('sorry, what did you say?')).toEqual(['What is your order number?']);
    expect(await talk.send('A1234')).toEqual(['Order A1234 is on its way.']);
    expect(await talk.send('repite', 'es')).toEqual(['Order A1234 is on its way.']);
  });

  it('cancels the flow under way, and says so when nothing is', async () => {
    const talk = chat();
    expect(await talk.send('where is my order')).toEqual(['What is your order number?']);
    expect(await talk.send('I changed my mind')).toEqual([DEFAULT_TEXTS.cancelledAll]);
    expect(talk.last.events.map((event) => event.event)).toContain('flow.cancelled');
    expect(await talk.send('forget about it')).toEqual([
      DEFAULT_TEXTS.nothingToCancel.replace('{menu}', 'order status'),
    ]);
    expect(await talk.send('track my order')).toEqual(['What is your order number?']);
  });
});

describe('a bot overriding the built-in skills', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await writeBot({
      ...SHOP_FILES,
      'nlu/skills.yaml': `skills:
  repeat: off
  help: replace
intents:
  help:
    - what do you sell
    - how does the shop work
    - show me around
`,
      'nlu/greet.yaml': 'intents:\n  greet: [ahoy, ahoy there, ahoy shopkeeper]\n',
      'flows/greet.flow.yaml': `id: greet
triggers: [greet]
initial: hello
states:
  hello:
    type: final
    entry:
      - say: Ahoy! Welcome to the shop.
`,
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('adds, replaces or leaves out the built-in phrases as the bot says', async () => {
    const data = await loadBotTrainingData(join(dir, 'nlu'));
    const texts = (intent: string): string[] =>
      data.examples.filter((e) => e.intent === intent && e.language === 'en').map((e) => e.text);
    expect(texts('repeat')).toEqual([]);
    expect(texts('help')).toEqual(['what do you sell', 'how does the shop work', 'show me around']);
    expect(texts('greet')).toEqual(expect.arrayContaining(['ahoy', 'hello', 'good morning']));
    expect(texts('human_agent').length).toBeGreaterThanOrEqual(25);
  });

  it("lets the bot's own flow answer its skill", async () => {
    const talk = await Chat.of(dir);
    expect(talk.nlu.intents()).not.toContain('repeat');
    expect(await talk.send('hello')).toEqual(['Ahoy! Welcome to the shop.']);
    await talk.send('I want to talk to a person');
    expect(talk.last.escalation).toEqual({ reason: 'customer_request' });
  });

  it('refuses "replace" when the bot wrote no phrases to replace them with', async () => {
    const bad = await writeBot({ ...SHOP_FILES, 'nlu/skills.yaml': 'skills:\n  cancel: replace\n' });
    await expect(loadBotTrainingData(join(bad, 'nlu'))).rejects.toThrow(/skills\.cancel is "replace"/);
    await rm(bad, { recursive: true, force: true });
  });
});

describe('the built-in skill phrases', () => {
  it('give every skill at least 25 phrases per language, none under two skills', async () => {
    const builtin = await loadBuiltinSkillData();
    for (const language of ['en', 'es']) {
      for (const skill of BUILTIN_SKILLS) {
        const phrases = builtin.examples.filter((e) => e.intent === skill && e.language === language);
        expect([skill, language, phrases.length >= 25]).toEqual([skill, language, true]);
      }
      const owner = new Map<string, string>();
      const clashes: string[] = [];
      for (const e of builtin.examples.filter((x) => x.language === language)) {
        const key = normalisePhrase(e.text);
        const seen = owner.get(key);
        if (seen && seen !== e.intent) clashes.push(`${e.text}: ${seen} and ${e.intent}`);
        owner.set(key, e.intent);
      }
      expect(clashes).toEqual([]);
    }
  });
});
