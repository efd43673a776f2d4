import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageCatalogue, interpolate } from '../core/messages';
import { DEFAULT_TEXTS } from '../dialogs';
import { engineTextKey } from '../dialogs/engine-texts';
import { FRAMEWORK_LOCALES, loadMessages, parseCatalogue, readCatalogues } from './load';

describe('the framework catalogues (locales/*.yaml)', () => {
  const shipped = readCatalogues(FRAMEWORK_LOCALES);

  it('ship English and Spanish', () => {
    expect(Object.keys(shipped).sort()).toEqual(['en', 'es']);
  });

  it('have every engine text, and Spanish has every English key', () => {
    const english = Object.keys(shipped.en);
    for (const name of Object.keys(DEFAULT_TEXTS) as Array<keyof typeof DEFAULT_TEXTS>)
      expect(english).toContain(engineTextKey(name));
    expect(Object.keys(shipped.es).sort()).toEqual(english.sort());
  });

  it('keep the placeholders of each English sentence in Spanish', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(shipped.en))
      expect([key, names(shipped.es[key])]).toEqual([key, names(text)]);
  });
});

describe('message lookup', () => {
  const messages = createMessageCatalogue(
    [
      {
        en: { 'handoff.connected': "You're now chatting with {agent}.", only: 'English only' },
        es: { 'handoff.connected': 'Ahora hablas con {agent}.' },
        de: { only: 'Nur auf Deutsch' },
      },
    ],
    'de',
  );

  it('fills placeholders in the asked locale, trying the region-less language first', () => {
    expect(messages.text('es-MX', 'handoff.connected', { agent: 'Sam' })).toBe('Ahora hablas con Sam.');
  });

  it("falls back to the bot's default locale, then English", () => {
    expect(messages.text('es', 'only')).toBe('Nur auf Deutsch');
    expect(createMessageCatalogue([{ en: { only: 'English only' } }], 'de').text('fr', 'only')).toBe(
      'English only',
    );
  });

  it('shows a missing key rather than saying nothing', () => {
    expect(messages.text('en', 'no.such.key')).toBe('[no.such.key]');
    expect(messages.template('en', 'no.such.key')).toBeUndefined();
  });

  it('leaves an unknown placeholder visible', () => {
    expect(interpolate('Hello {name}, {other}', { name: 'Ana' })).toBe('Hello Ana, {other}');
  });
});

describe('bot overrides', () => {
  const bot = mkdtempSync(join(tmpdir(), 'parley-bot-'));
  mkdirSync(join(bot, 'locales'));
  writeFileSync(join(bot, 'locales', 'es.yaml'), 'handoff:\n  connected: Te atiende {agent}.\n');

  it("a bot's locales/<locale>.yaml overrides one key and keeps the rest", () => {
    const messages = loadMessages({ botDirectory: bot });
    expect(messages.text('es', 'handoff.connected', { agent: 'Sam' })).toBe('Te atiende Sam.');
    expect(messages.text('es', 'handoff.closed', { agent: 'Sam' })).toMatch(/^Sam ha cerrado/);
  });

  it("the definition's overrides win over the files", () => {
    const messages = loadMessages({
      botDirectory: bot,
      overrides: { es: { 'handoff.connected': '{agent} está contigo.' } },
    });
    expect(messages.text('es', 'handoff.connected', { agent: 'Sam' })).toBe('Sam está contigo.');
  });

  it('rejects a catalogue whose leaves are not sentences, naming the file and key', () => {
    expect(() => parseCatalogue('es.yaml', 'handoff:\n  connected: [a, b]\n')).toThrow(
      /es\.yaml: handoff\.connected/,
    );
  });
});
