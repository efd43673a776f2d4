import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecognitionHints, RecognitionStream, SpeechToText, Transcript } from '../../core/speech';
import { MULAW_RATE, mulawToPcm16, pcm16Wav } from './mulaw';
import { runProgram } from './offline.tts';
import { EnergyVad, type VadOptions } from './vad';
import { codeAsWords } from './voice.spoken';

const DICTIONARY = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const DIGITS = 'zero | one | two | three | four | five | six | seven | eight | nine';

let words: Set<string> | undefined;
/** The recogniser's pronouncing dictionary: a grammar may only use words it knows. */
function dictionary(path = DICTIONARY): Set<string> {
  words ??= new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((word) => !word.includes('(')),
  );
  return words;
}

/** A phrase as grammar words: lower case, codes spelled, punctuation gone; undefined if a word is unknown. */
function grammarWords(phrase: string, known: Set<string>): string | undefined {
  const spelled = phrase.replace(/\b[A-Za-z]{0,3}\d+\b/g, (code) => ` ${codeAsWords(code)} `);
  const list = spelled
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0);
  if (list.length === 0 || list.some((word) => !known.has(word))) return undefined;
  return list.join(' ');
}

/**
 * A JSGF grammar from the turn's hints: any of the phrases, optionally followed by a spelled code, or a code
 * or number alone. Codes take the shapes the phrases show ("A1001": A and four digits); a tight grammar is
 * what makes pocketsphinx hear a bot's own domain reliably.
 */
export function hintsGrammar(hints: RecognitionHints, known = dictionary()): string {
  const phrases = [...new Set(hints.phrases.map((phrase) => grammarWords(phrase, known)))].filter(
    (phrase): phrase is string => phrase !== undefined,
  );
  const shapes = new Set<string>();
  for (const phrase of hints.phrases) {
    for (const [, letters = '', digits = ''] of phrase.matchAll(/\b([A-Za-z]{1,3})(\d{2,12})\b/g)) {
      const spelled = letters
        .toLowerCase()
        .split('')
        .filter((letter) => known.has(letter));
      if (spelled.length === letters.length)
        shapes.add(`${spelled.join(' ')} ${'<digit> '.repeat(digits.length)}`.trim());
    }
  }
  const alternatives = phrases.length > 0 ? phrases.map((p) => `(${p})`).join(' | ') : 'yes | no';
  const codes = shapes.size > 0 ? [...shapes].map((shape) => `(${shape})`).join(' | ') : '<digit> <digit>+';
  return [
    '#JSGF V1.0;',
    'grammar hints;',
    'public <utterance> = <phrase> [<code>] | <code> | <digit>+ ;',
    `<phrase> = ${alternatives} ;`,
    `<code> = ${codes} ;`,
    `<digit> = ${DIGITS} ;`,
    '',
  ].join('\n');
}

export interface PocketsphinxOptions extends VadOptions {
  /** Audio kept from before the detector fired, so the first syllable is not lost. */
  preRollMs?: number;
}

/**
 * Offline speech-to-text with Debian's pocketsphinx and a grammar built from each turn's hints. An energy
 * detector finds the utterance; telephone audio (8 kHz) is upsampled for the 16 kHz model with faint noise in
 * the empty upper band (without it the model hears nothing). Needs `pocketsphinx_continuous` and `sox`.
 */
export function pocketsphinxSpeechToText(options: PocketsphinxOptions = {}): SpeechToText {
  return {
    name: 'pocketsphinx',
    open: (_format, hints) => new PocketsphinxStream(hints, options),
  };
}

class PocketsphinxStream implements RecognitionStream {
  private readonly vad: EnergyVad;
  private readonly preRoll: Buffer[] = [];
  private readonly preRollFrames: number;
  private utterance: Buffer[] = [];
  private closed = false;
  private transcriptListeners: ((t: Transcript) => void)[] = [];
  private startListeners: (() => void)[] = [];
  private errorListeners: ((e: Error) => void)[] = [];

  constructor(
    private readonly hints: RecognitionHints,
    options: PocketsphinxOptions,
  ) {
    this.vad = new EnergyVad(options);
    this.preRollFrames = Math.round((options.preRollMs ?? 200) / 20);
  }

  write(audio: Buffer): void {
    if (this.closed) return;
    const wasSpeaking = this.vad.speaking;
    const event = this.vad.push(audio);
    if (wasSpeaking || event === 'speech-start') this.utterance.push(audio);
    else {
      this.preRoll.push(audio);
      if (this.preRoll.length > this.preRollFrames) this.preRoll.shift();
    }
    if (event === 'speech-start') {
      this.utterance = [...this.preRoll, audio];
      this.startListeners.forEach((listener) => listener());
    }
    if (event === 'speech-end') this.finish();
  }

  end(): void {
    if (this.vad.speaking) this.finish();
  }

  close(): void {
    this.closed = true;
  }

  onTranscript(listener: (t: Transcript) => void): void {
    this.transcriptListeners.push(listener);
  }
  onSpeechStart(listener: () => void): void {
    this.startListeners.push(listener);
  }
  onError(listener: (e: Error) => void): void {
    this.errorListeners.push(listener);
  }

  private finish(): void {
    const audio = Buffer.concat(this.utterance);
    this.utterance = [];
    recognizeMulaw(audio, hintsGrammar(this.hints)).then(
      (transcript) => {
        if (!this.closed) this.transcriptListeners.forEach((listener) => listener(transcript));
      },
      (error: Error) => {
        if (!this.closed) this.errorListeners.forEach((listener) => listener(error));
      },
    );
  }
}

/** Recognises a whole 8 kHz μ-law utterance against a JSGF grammar. */
export async function recognizeMulaw(mulaw: Buffer, grammar: string): Promise<Transcript> {
  const base = join(tmpdir(), `parley-asr-${randomUUID()}`);
  const files = {
    raw: `${base}.8k.wav`,
    up: `${base}.16k.wav`,
    noise: `${base}.n.wav`,
    mixed: `${base}.wav`,
    gram: `${base}.gram`,
  };
  try {
    await writeFile(files.raw, pcm16Wav(mulawToPcm16(mulaw), MULAW_RATE));
    await writeFile(files.gram, grammar);
    const seconds = (mulaw.length / MULAW_RATE).toFixed(3);
    await runProgram('sox', ['-R', files.raw, '-r', '16000', files.up]);
    // -R: the same noise every time, so recognition is repeatable.
    const noise = ['-R', '-n', '-r', '16000', '-b', '16', '-e', 'signed', '-c', '1', files.noise];
    await runProgram('sox', [...noise, 'synth', seconds, 'whitenoise', 'highpass', '4000', 'vol', '0.02']);
    await runProgram('sox', ['-R', '-m', files.up, files.noise, files.mixed]);
    const out = await runProgram('pocketsphinx_continuous', [
      '-infile',
      files.mixed,
      '-logfn',
      '/dev/null',
      '-jsgf',
      files.gram,
    ]);
    const text = out
      .toString('utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' ');
    return { text, final: true, ...(text ? { confidence: 1 } : { confidence: 0 }) };
  } finally {
    await Promise.all(Object.values(files).map((file) => rm(file, { force: true })));
  }
}
