// What a designer sees in the terminal when a saved file is wrong: one line per problem, readable.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildBotParts } from '../../app/bootstrap';
import type { BotDefinition } from '../../app/bot-definition';
import { loadConfig } from '../../app/config';
import { watchBotFiles } from '../../app/hot-reload';
import { createLogger } from '../../app/logger';
import { reloadProblems } from '../../app/reload-problems';
import { bot as acme } from '../../bots/acme';
import { FlowValidationError } from '../../dialogs/errors';
import { TrainingDataError } from '../../nlu/loader';
import { redactText } from '../../transcripts/redact';

/** A destination that keeps what the logger wrote. */
function captured(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('reload errors in the log', () => {
  let directory: string;
  let bot: BotDefinition;
  const config = loadConfig({ LOG_LEVEL: 'silent' });

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'parley-reload-log-'));
    for (const folder of ['nlu', 'flows'])
      cpSync(join(acme.directory, folder), join(directory, folder), { recursive: true });
    bot = { ...acme, directory };
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const breakFlow = (): void => {
    const file = join(directory, 'flows', 'opening-hours.flow.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^initial: .*$/m, 'initial: nowhere'));
  };

  it('writes one JSON line per problem: file, line and reason, the reason once, no escaped newlines', async () => {
    breakFlow();
    const out = captured();
    const logger = createLogger({ level: 'info', redact: redactText, destination: out.stream });
    const watcher = watchBotFiles({
      bot,
      build: () => buildBotParts(bot, config),
      apply: () => undefined,
      logger,
    });
    try {
      expect(await watcher.reload()).toBe(false);
    } finally {
      watcher.close();
    }
    const lines = out.text().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      const entry = JSON.parse(line) as { msg: string; file?: string; line?: number; err?: unknown };
      expect(entry.msg).not.toContain('\n');
      expect(line).not.toContain('\\n');
      expect(entry.err).toBeUndefined(); // no stack repeating the message
    }
    const first = JSON.parse(lines[0] ?? '{}') as { msg: string; file: string; line: number };
    expect(first.file).toMatch(/opening-hours\.flow\.yaml$/);
    expect(first.line).toBeGreaterThan(0);
    expect(first.msg).toMatch(/opening-hours\.flow\.yaml:\d+: .*nowhere/);
    expect(first.msg.split('nowhere').length - 1).toBe(1);
  });

  it('prints the same problem as one readable line when pretty', async () => {
    breakFlow();
    const out = captured();
    const logger = createLogger({ level: 'info', redact: redactText, destination: out.stream, pretty: true });
    const watcher = watchBotFiles({
      bot,
      build: () => buildBotParts(bot, config),
      apply: () => undefined,
      logger,
    });
    try {
      await watcher.reload();
    } finally {
      watcher.close();
    }
    const text = out.text();
    const lines = text.trimEnd().split('\n');
    // One line per problem (an unknown initial state, then the states it leaves unreachable), each with
    // its context on the same line: no continuation lines.
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      expect(line).toMatch(
        /^\[[\d:.]+\] ERROR: not reloaded, still running the previous version: \S+opening-hours\.flow\.yaml:\d+: .+ \{"component":"hot-reload",.*\}$/,
      );
    }
    expect(lines[0]).toContain('nowhere');
    expect(text).toMatch(
      /ERROR.*not reloaded, still running the previous version: .*opening-hours\.flow\.yaml:\d+: /,
    );
  });

  it('turns each kind of error into located problems', () => {
    const flows = new FlowValidationError([
      { file: 'a.flow.yaml', line: 3, path: 'states.x', message: 'unknown\ntarget' },
      { file: 'b.flow.yaml', path: '', message: 'dead end', severity: 'warning' },
      { file: 'c.flow.yaml', path: '', message: 'no states' },
    ]);
    expect(reloadProblems(flows)).toEqual([
      { file: 'a.flow.yaml', line: 3, reason: 'states.x: unknown target' },
      { file: 'c.flow.yaml', reason: 'no states' },
    ]);
    expect(reloadProblems(new TrainingDataError('nlu/x.yaml', 7, 'duplicate phrase'))).toEqual([
      { file: 'nlu/x.yaml', line: 7, reason: 'duplicate phrase' },
    ]);
    expect(reloadProblems(new Error('locales/es.yaml: greeting: not a valid key'))).toEqual([
      { file: 'locales/es.yaml', reason: 'greeting: not a valid key' },
    ]);
    expect(reloadProblems('boom')).toEqual([{ reason: 'boom' }]);
  });
});
