import { OUT_OF_SCOPE } from '../../core/nlu';
import type { ProgressListener } from '../../nlu/classifier';
import { NluModel } from '../../nlu/model';
import type { LabelledText } from './datasets';

/** The systems a benchmark can run: Parley's own and the peers it is compared with. */
export const SYSTEMS = ['parley', 'natural-bayes', 'nlpjs'] as const;
export type SystemName = (typeof SYSTEMS)[number];
export const PEERS = SYSTEMS.filter((s) => s !== 'parley');

/** A top guess with a confidence that a threshold can be tuned on. */
export interface Guess {
  top: string;
  confidence: number;
}

export interface BenchSystem {
  train(examples: readonly LabelledText[], onProgress?: ProgressListener): Promise<void>;
  classify(text: string): Promise<Guess>;
}

class Parley implements BenchSystem {
  private model?: NluModel;

  async train(examples: readonly LabelledText[], onProgress?: ProgressListener): Promise<void> {
    const data = { examples: examples.map((e) => ({ ...e, language: 'en' })), entities: [] };
    this.model = await NluModel.train(data, { onProgress });
  }

  async classify(text: string): Promise<Guess> {
    if (!this.model) throw new Error('not trained');
    const ranked = this.model.rank(text, 'en');
    // The score the model's own threshold applies to (the best intent's probability by default).
    return { top: ranked[0].name, confidence: this.model.scopeScore(ranked) };
  }
}

interface BayesLike {
  addDocument(text: string, label: string): void;
  train(): void;
  getClassifications(text: string): { label: string; value: number }[];
}

/** natural's BayesClassifier; its scores are not probabilities, so they are normalised to sum to one. */
class NaturalBayes implements BenchSystem {
  private classifier?: BayesLike;

  async train(examples: readonly LabelledText[]): Promise<void> {
    const { BayesClassifier } = await import('natural/lib/natural/classifiers/index.js');
    const classifier = new BayesClassifier() as unknown as BayesLike;
    for (const e of examples) classifier.addDocument(e.text, e.intent);
    classifier.train();
    this.classifier = classifier;
  }

  async classify(text: string): Promise<Guess> {
    if (!this.classifier) throw new Error('not trained');
    const scores = this.classifier.getClassifications(text);
    const total = scores.reduce((sum, s) => sum + s.value, 0);
    const top = scores[0];
    const best = scores.find((s) => s.label !== OUT_OF_SCOPE);
    return { top: top?.label ?? OUT_OF_SCOPE, confidence: total > 0 && best ? best.value / total : 0 };
  }
}

class NlpJs implements BenchSystem {
  private manager?: import('node-nlp').NlpManager;

  async train(examples: readonly LabelledText[]): Promise<void> {
    const { NlpManager } = await import('node-nlp');
    const manager = new NlpManager({
      languages: ['en'],
      forceNER: false,
      autoSave: false,
      nlu: { log: false },
    });
    for (const e of examples) manager.addDocument('en', e.text, e.intent);
    await manager.train();
    this.manager = manager;
  }

  async classify(text: string): Promise<Guess> {
    if (!this.manager) throw new Error('not trained');
    const result = await this.manager.process('en', text);
    const ranked = result.classifications ?? [{ intent: result.intent, score: result.score }];
    const top = ranked[0]?.intent ?? 'None';
    const best = ranked.find((r) => r.intent !== OUT_OF_SCOPE && r.intent !== 'None');
    return { top: top === 'None' ? OUT_OF_SCOPE : top, confidence: best?.score ?? 0 };
  }
}

export function createSystem(name: SystemName): BenchSystem {
  if (name === 'natural-bayes') return new NaturalBayes();
  if (name === 'nlpjs') return new NlpJs();
  return new Parley();
}
