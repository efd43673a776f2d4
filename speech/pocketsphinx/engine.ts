/**
 * The offline speech-to-text engine: an energy VAD cuts the caller's audio into utterances, and
 * pocketsphinx recognises each one against a grammar generated from the bot's own training data.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AudioFormat,
  RecognitionHints,
  RecognitionStream,
  SpeechToText,
  Transcript,
} from '../../core/speech';
import type { TrainingData } from '../../nlu/loader';
import { decodeAudio } from '../audio';
import { writtenText } from '../spoken';
import type { VadOptions } from '../vad';
import { buildGrammar, type Grammar } from './grammar';
import { DEFAULT_MODEL_DIR, loadDictionaryWords, recognizeSamples } from './recognizer';
import { UtteranceStream } from '../utterance-stream';

export interface PocketsphinxOptions {
  training: TrainingData;
  /** The acoustic model's language; the Debian package ships US English. */
  language?: string;
  modelDir?: string;
  binary?: string;
  /** Tunes utterance detection (end of utterance after 700 ms of quiet by default). */
  vad?: Omit<VadOptions, 'sampleRateHertz'>;
}

/** Recognised text as the NLU reads it, from pocketsphinx's words. */
export interface Recognition {
  words: string[];
  text: string;
  /** pocketsphinx's posterior for its least sure word. */
  confidence?: number;
}

export class PocketsphinxSpeechToText implements SpeechToText {
  readonly name = 'pocketsphinx';
  private readonly grammarFiles = new Map<string, Promise<string>>();

  private constructor(
    private readonly options: PocketsphinxOptions,
    private readonly dictionary: ReadonlySet<string>,
    private readonly workDir: string,
    /** The grammar without hints, for reports (which training phrases were left out). */
    readonly baseGrammar: Grammar,
  ) {}

  /** Loads the pronunciation dictionary and builds the bot's grammar. Call `dispose` when done. */
  static async create(options: PocketsphinxOptions): Promise<PocketsphinxSpeechToText> {
    const dictionary = await loadDictionaryWords(options.modelDir ?? DEFAULT_MODEL_DIR);
    const workDir = await mkdtemp(join(tmpdir(), 'parley-pocketsphinx-'));
    const base = buildGrammar({ training: options.training, language: options.language ?? 'en', dictionary });
    return new PocketsphinxSpeechToText(options, dictionary, workDir, base);
  }

  open(format: AudioFormat, hints: RecognitionHints): RecognitionStream {
    const grammar = this.grammarFile(hints);
    return new UtteranceStream(
      format,
      { ...this.options.vad, sampleRateHertz: format.sampleRateHertz },
      (samples) =>
        grammar.then((file) => this.recognizeWith(samples, format.sampleRateHertz, file)).then(toTranscript),
    );
  }

  /** Recognises one whole utterance (tests, benchmarks, a WAV file played in). */
  async recognize(audio: Buffer, format: AudioFormat, hints: RecognitionHints): Promise<Recognition> {
    const samples = decodeAudio(audio, format.encoding);
    return this.recognizeWith(samples, format.sampleRateHertz, await this.grammarFile(hints));
  }

  async dispose(): Promise<void> {
    await rm(this.workDir, { recursive: true, force: true });
  }

  private async recognizeWith(samples: Int16Array, rate: number, grammarFile: string): Promise<Recognition> {
    const { words, confidence } = await recognizeSamples(samples, rate, grammarFile, {
      workDir: this.workDir,
      ...(this.options.binary ? { binary: this.options.binary } : {}),
    });
    return { words, text: writtenText(words), ...(confidence === undefined ? {} : { confidence }) };
  }

  /** One grammar file per distinct hint set, written once. */
  private grammarFile(hints: RecognitionHints): Promise<string> {
    const key = createHash('sha1')
      .update(JSON.stringify([hints.slot ?? '', ...hints.phrases]))
      .digest('hex')
      .slice(0, 16);
    let file = this.grammarFiles.get(key);
    if (!file) {
      if (this.grammarFiles.size >= 64) this.grammarFiles.clear();
      file = this.writeGrammar(key, hints);
      this.grammarFiles.set(key, file);
    }
    return file;
  }

  private async writeGrammar(key: string, hints: RecognitionHints): Promise<string> {
    const grammar =
      hints.phrases.length === 0 && !hints.slot
        ? this.baseGrammar
        : buildGrammar({
            training: this.options.training,
            language: this.options.language ?? 'en',
            dictionary: this.dictionary,
            hints: hints.phrases,
            ...(hints.slot ? { slot: hints.slot } : {}),
          });
    const file = join(this.workDir, `grammar-${key}.gram`);
    await writeFile(file, grammar.jsgf);
    return file;
  }
}

function toTranscript(recognition: Recognition): Transcript | undefined {
  if (!recognition.text) return undefined;
  const { text, confidence } = recognition;
  return { text, final: true, ...(confidence === undefined ? {} : { confidence }) };
}
