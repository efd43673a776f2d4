import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBotParts, buildRuntime } from '../../app/bootstrap';
import type { BotDefinition } from '../../app/bot-definition';
import { loadConfig } from '../../app/config';
import { watchBotFiles, type HotReload } from '../../app/hot-reload';
import type { ParleyRuntime } from '../../app/runtime';
import type { Logger } from '../../core/ports';
import { bot as acme } from '../../bots/acme';
import { silentLogger } from '../../stores/silent-logger';

const OPENING_FLOW = 'flows/opening-hours.flow.yaml';

describe('hot reload of a bot’s files', () => {
  let directory: string;
  let runtime: ParleyRuntime;
  let watcher: HotReload;
  const errors: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    error: (_fields, message) => errors.push(message ?? ''),
    child: () => logger,
  };
  let turn = 0;
  const ask = async (text: string): Promise<string> => {
    const replies = await runtime.handle({
      channel: 'test',
      channelUserId: 'designer',
      conversationId: `reload-${++turn}`,
      messageId: `m${turn}`,
      kind: 'text',
      text,
      timestamp: Date.now(),
    });
    return replies.map((reply) => reply.text).join(' | ');
  };
  const edit = (file: string, change: (text: string) => string): void => {
    const path = join(directory, file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'parley-reload-'));
    cpSync(join(acme.directory, 'nlu'), join(directory, 'nlu'), { recursive: true });
    cpSync(join(acme.directory, 'flows'), join(directory, 'flows'), { recursive: true });
    cpSync(join(acme.directory, 'knowledge'), join(directory, 'knowledge'), { recursive: true });
    const bot: BotDefinition = { ...acme, directory };
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const implementations = bot.createImplementations();
    runtime = await buildRuntime(bot, config, { logger, implementations });
    watcher = watchBotFiles({
      bot,
      build: () => buildBotParts(bot, config, implementations),
      apply: (parts) => runtime.replaceBot(parts),
      logger,
      debounceMs: 50,
    });
  });

  afterAll(async () => {
    watcher.close();
    await runtime.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers with the edited flow after a save, without a restart', async () => {
    expect(await ask('what are your opening hours?')).not.toContain('Reloaded hours');
    edit(OPENING_FLOW, (text) => text.replace("We're open", "Reloaded hours. We're open"));
    expect(await watcher.reload()).toBe(true);
    expect(await ask('what are your opening hours?')).toContain('Reloaded hours.');
  });

  it('keeps the running version and logs file and line when a saved flow is invalid', async () => {
    edit(OPENING_FLOW, (text) => text.replace(/^initial: .*$/m, 'initial: nowhere'));
    expect(await watcher.reload()).toBe(false);
    expect(errors.join('\n')).toMatch(/opening-hours\.flow\.yaml:\d+/);
    expect(await ask('what are your opening hours?')).toContain('Reloaded hours.');
  });

  it('picks up a file change by itself', async () => {
    edit(OPENING_FLOW, (text) => text.replace('initial: nowhere', `initial: ${initialState(text)}`));
    edit(OPENING_FLOW, (text) => text.replace('Reloaded hours.', 'Watched hours.'));
    const deadline = Date.now() + 15_000;
    let answer = '';
    while (Date.now() < deadline && !answer.includes('Watched hours.')) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await ask('what are your opening hours?');
    }
    expect(answer).toContain('Watched hours.');
  });

  it('answers from an edited help-centre article, and names the file of a broken one', async () => {
    expect(await ask('can I pay by cheque?')).toContain('We do not accept cheques');
    edit('knowledge/billing.md', (text) =>
      text.replace(/We do not accept cheques\s+or cash\./, 'We now accept cheques.'),
    );
    expect(await watcher.reload()).toBe(true);
    expect(await ask('can I pay by cheque?')).toContain('We now accept cheques.');
    edit('knowledge/billing.md', (text) => text.replace(/^title: .*$/m, 'titel: Billing'));
    expect(await watcher.reload()).toBe(false);
    expect(errors.at(-1)).toMatch(/knowledge\/billing\.md:2: front matter/);
    expect(await ask('can I pay by cheque?')).toContain('We now accept cheques.');
  });
});

/** The first state named in the flow's `states:` map, to repair the `initial:` broken above. */
function initialState(flow: string): string {
  const match = /^states:\s*\n\s+(\w+):/m.exec(flow);
  if (!match?.[1]) throw new Error('no states in the flow');
  return match[1];
}
