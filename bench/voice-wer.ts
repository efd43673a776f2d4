// `npm run bench:wer`: word error rate of the offline recogniser on the demo bot's own phrases. A fixed sample
// of the acme English training phrases (VOICE_WER_SAMPLE, 100 by default) is spoken by espeak-ng and recognised
// by pocketsphinx with the grammar built from the bot, twice: as a telephone carries it (8 kHz μ-law) and as
// wideband audio (16 kHz). Phrases the grammar leaves out (typos such as "wheres my oder") are not spoken.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AudioFormat } from '../core/speech';
import { loadTrainingData } from '../nlu/loader';
import { EspeakTextToSpeech } from '../speech/espeak/engine';
import { PocketsphinxSpeechToText } from '../speech/pocketsphinx/engine';
import { spokenWords } from '../speech/spoken';

const SAMPLE = Number(process.env.VOICE_WER_SAMPLE ?? 100);
const PATHS: { name: string; format: AudioFormat }[] = [
  { name: 'telephone 8 kHz μ-law', format: { encoding: 'mulaw', sampleRateHertz: 8000 } },
  { name: 'wideband 16 kHz PCM', format: { encoding: 'linear16', sampleRateHertz: 16000 } },
];

/** Word-level edit distance. */
function wordErrors(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const substitution = previous[j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, previous[j] + 1, row[j - 1] + 1));
    }
    previous = row;
  }
  return previous[hypothesis.length];
}

async function main(): Promise<void> {
  const training = await loadTrainingData('bots/acme/nlu');
  const stt = await PocketsphinxSpeechToText.create({ training });
  // The caller speaks at espeak-ng's own default rate, like the test audio (test/support/spoken-audio.ts).
  const tts = new EspeakTextToSpeech({ wordsPerMinute: 175 });
  const skipped = new Set(stt.baseGrammar.skipped.map((s) => s.phrase));
  const phrases = training.examples
    .filter((e) => e.language === 'en' && !skipped.has(e.text))
    .map((e) => e.text);
  // Every k-th phrase: a fixed sample spread over all intents.
  const step = Math.max(1, phrases.length / SAMPLE);
  const sample = Array.from(
    { length: Math.min(SAMPLE, phrases.length) },
    (_, i) => phrases[Math.floor(i * step)],
  );
  const results = [];
  for (const path of PATHS) {
    let errors = 0;
    let words = 0;
    let exact = 0;
    const started = Date.now();
    const misses: { said: string; heard: string }[] = [];
    for (const phrase of sample) {
      const reference = spokenWords(phrase);
      const audio = await tts.synthesize({ text: reference.join(' '), locale: 'en-US' }, path.format);
      const { words: heard } = await stt.recognize(audio, path.format, { locale: 'en-US', phrases: [] });
      const e = wordErrors(reference, heard);
      errors += e;
      words += reference.length;
      if (e === 0) exact++;
      else misses.push({ said: reference.join(' '), heard: heard.join(' ') });
    }
    const row = {
      path: path.name,
      phrases: sample.length,
      wer: errors / words,
      sentenceAccuracy: exact / sample.length,
      secondsPerPhrase: (Date.now() - started) / 1000 / sample.length,
      misses: misses.slice(0, 10),
    };
    results.push(row);
    console.log(
      `${row.path}: WER ${(row.wer * 100).toFixed(1)}%, sentence accuracy ${(row.sentenceAccuracy * 100).toFixed(0)}% ` +
        `(${row.phrases} phrases, ${row.secondsPerPhrase.toFixed(2)} s each incl. synthesis)`,
    );
  }
  await stt.dispose();
  mkdirSync('artifacts', { recursive: true });
  writeFileSync('artifacts/voice-wer.json', JSON.stringify(results, null, 2));
  console.log('details: artifacts/voice-wer.json');
}

void main();
