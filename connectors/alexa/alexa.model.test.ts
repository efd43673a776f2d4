import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelCommand } from '../../cli/actions/alexa';
import {
  buildInteractionModel,
  invocationNameSchema,
  isDigitsPattern,
  slotValue,
  type InteractionModel,
} from './alexa.model';

function output() {
  const io = {
    outText: '',
    errText: '',
    out: (t: string) => void (io.outText += t),
    err: (t: string) => void (io.errText += t),
  };
  return io;
}

describe('Alexa interaction model', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('turns training phrases into catch-all values Alexa accepts', () => {
    expect(slotValue("Where's my order A1001?")).toBe("where's my order");
    expect(slotValue('¿Dónde está mi pedido?')).toBe('dónde está mi pedido');
    expect(slotValue('12345678')).toBe('');
  });

  it('tells digit-only patterns (account numbers) from others (order numbers)', () => {
    expect(isDigitsPattern('\\b\\d{8}\\b')).toBe(true);
    expect(isDigitsPattern('\\b[Aa]\\d{4}\\b')).toBe(false);
    expect(isDigitsPattern('[A-Za-z]{1,2}\\d')).toBe(false);
    expect(isDigitsPattern(undefined)).toBe(false);
  });

  it('checks the invocation name as Alexa does', () => {
    expect(invocationNameSchema.parse('Acme Support')).toBe('acme support');
    expect(invocationNameSchema.safeParse('acme skill').success).toBe(false);
    expect(invocationNameSchema.safeParse('acme 24/7').success).toBe(false);
  });

  it('adds date and number intents only when flows collect them', () => {
    const base = { invocationName: 'acme support', language: 'en', phrases: ['hello there'], patterns: {} };
    const names = (model: InteractionModel) =>
      model.interactionModel.languageModel.intents.map((i) => i.name);
    expect(names(buildInteractionModel({ ...base, slotEntities: ['email'] }))).not.toEqual(
      expect.arrayContaining(['ParleyDateIntent']),
    );
    const both = buildInteractionModel({
      ...base,
      slotEntities: ['datetime', 'account_number'],
      patterns: { account_number: '\\b\\d{8}\\b' },
    });
    expect(names(both)).toEqual(expect.arrayContaining(['ParleyDateIntent', 'ParleyNumberIntent']));
  });

  it('`parley alexa model` writes the acme model from its phrases and flows', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'parley-alexa-')), 'model.json');
    const io = output();
    await modelCommand({ bot: 'bots/acme', out, locale: 'en', invocation: 'acme help desk' }, io);
    expect(io.errText).toBe('');
    const model = JSON.parse(readFileSync(out, 'utf8')) as InteractionModel;
    const { invocationName, intents, types } = model.interactionModel.languageModel;
    expect(invocationName).toBe('acme help desk');
    expect(intents.map((i) => i.name)).toEqual([
      'AMAZON.StopIntent',
      'AMAZON.CancelIntent',
      'AMAZON.NavigateHomeIntent',
      'AMAZON.HelpIntent',
      'AMAZON.FallbackIntent',
      'AMAZON.YesIntent',
      'AMAZON.NoIntent',
      'AMAZON.RepeatIntent',
      'ParleyCatchAllIntent',
      'ParleyDateIntent', // book_appointment collects a date
      'ParleyNumberIntent', // check_balance collects an 8-digit account number
    ]);
    const values = types[0]?.values.map((v) => v.name.value) ?? [];
    expect(values).toEqual(expect.arrayContaining(['where is my order', 'i forgot my password']));
    expect(values.every((value) => /^[\p{L}\p{M}' ]+$/u.test(value))).toBe(true);
    expect(io.outText).toMatch(/wrote .*model\.json: 11 intents/);
  });

  it('prints a Spanish model, and refuses an invalid invocation name', async () => {
    const io = output();
    await modelCommand({ bot: 'bots/acme', locale: 'es-ES', invocation: 'soporte acme' }, io);
    const model = JSON.parse(io.outText) as InteractionModel;
    const values = model.interactionModel.languageModel.types[0]?.values.map((v) => v.name.value) ?? [];
    expect(values).toEqual(expect.arrayContaining(['dónde está mi pedido']));
    const bad = output();
    await modelCommand({ bot: 'bots/acme', locale: 'en', invocation: 'open acme' }, bad);
    expect(bad.errText).toMatch(/--invocation "open acme"/);
    expect(process.exitCode).toBe(1);
  });
});
