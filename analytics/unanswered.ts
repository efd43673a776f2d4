import type { UnansweredQuestion } from '../core/analytics';

/** A sparse vector as the NLU's featurizer makes it: indices and their values. */
export interface MeaningVector {
  idx: ArrayLike<number>;
  val: ArrayLike<number>;
}

/** The NLU's view of what a text means (`NluModel.meaningVector`). */
export type Vectorize = (text: string, locale: string) => MeaningVector;

/** Unanswered questions that mean alike: what a designer reads to choose the next intent to add. */
export interface QuestionCluster {
  /** The question closest to the cluster's centre. */
  label: string;
  count: number;
  /** Up to `examples` distinct texts, most central first. */
  examples: string[];
  kinds: { out_of_scope: number; fallback: number };
  locales: string[];
}

export interface ClusterOptions {
  /** Cosine similarity to a cluster's centre at or above which a question joins it. */
  similarity: number;
  examples: number;
}

type Dense = Map<number, number>;

function toMap(vector: MeaningVector): Dense {
  const out: Dense = new Map();
  for (let i = 0; i < vector.idx.length; i++) {
    const index = vector.idx[i];
    const value = vector.val[i];
    if (index !== undefined && value !== undefined && value !== 0)
      out.set(index, (out.get(index) ?? 0) + value);
  }
  return out;
}

function cosine(a: Dense, b: Dense): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [i, v] of a) {
    na += v * v;
    dot += v * (b.get(i) ?? 0);
  }
  for (const v of b.values()) nb += v * v;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

interface Building {
  members: { question: UnansweredQuestion; vector: Dense }[];
  /** Index of each distinct text's vector in the similarity matrix. */
  texts: number[];
}

/**
 * Groups questions by meaning: every distinct text starts alone, then the two groups whose texts are most
 * alike on average (cosine of the NLU's vectors) merge, while that average is at least `similarity`
 * (average-linkage clustering). Largest groups first.
 */
export function clusterQuestions(
  questions: readonly UnansweredQuestion[],
  vectorize: Vectorize,
  options: ClusterOptions = { similarity: 0.4, examples: 5 },
): QuestionCluster[] {
  const byText = new Map<string, Building>();
  const vectors: Dense[] = [];
  for (const question of questions) {
    let group = byText.get(question.text);
    if (!group) {
      vectors.push(toMap(vectorize(question.text, question.locale)));
      group = { members: [], texts: [vectors.length - 1] };
      byText.set(question.text, group);
    }
    group.members.push({ question, vector: vectors[group.texts[0] as number] as Dense });
  }
  const sim = vectors.map((a) => vectors.map((b) => cosine(a, b)));
  const linkage = (x: Building, y: Building) => {
    let sum = 0;
    for (const i of x.texts) for (const j of y.texts) sum += sim[i]?.[j] ?? 0;
    return sum / (x.texts.length * y.texts.length);
  };
  const groups = [...byText.values()];
  for (;;) {
    let best: [number, number] | undefined;
    let bestScore = options.similarity;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const score = linkage(groups[i] as Building, groups[j] as Building);
        if (score >= bestScore) [best, bestScore] = [[i, j], score];
      }
    }
    if (!best) break;
    const [i, j] = best;
    const [x, y] = [groups[i] as Building, groups[j] as Building];
    groups[i] = { members: [...x.members, ...y.members], texts: [...x.texts, ...y.texts] };
    groups.splice(j, 1);
  }
  return groups
    .map((group) => describe(group, options.examples))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

function describe(cluster: Building, examples: number): QuestionCluster {
  const centre: Dense = new Map();
  for (const m of cluster.members) for (const [i, v] of m.vector) centre.set(i, (centre.get(i) ?? 0) + v);
  const ranked = cluster.members
    .map((m) => ({ text: m.question.text, score: cosine(m.vector, centre) }))
    .sort((a, b) => b.score - a.score);
  const texts = [...new Set(ranked.map((r) => r.text))];
  const kinds = { out_of_scope: 0, fallback: 0 };
  for (const m of cluster.members) kinds[m.question.kind] += 1;
  return {
    label: texts[0] ?? '',
    count: cluster.members.length,
    examples: texts.slice(0, examples),
    kinds,
    locales: [...new Set(cluster.members.map((m) => m.question.locale))].sort(),
  };
}
