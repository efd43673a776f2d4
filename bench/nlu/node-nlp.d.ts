// The few parts of NLP.js (a dev dependency, used only as a benchmark peer) that Parley calls.
declare module 'node-nlp' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpProcessResult {
    intent: string;
    score: number;
    classifications?: NlpClassification[];
  }
  export class NlpManager {
    constructor(settings?: Record<string, unknown>);
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpProcessResult>;
  }
}
