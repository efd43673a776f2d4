/**
 * `npm run bench:knowledge [-- --json]`: how often acme's help centre answers the questions in
 * bench/knowledge/acme-questions.yaml correctly, wrongly or not at all, asked through the whole bot
 * (NLU, flows, then the knowledge base). `dev` tuned the threshold; `test` is held out.
 */
import { join } from 'node:path';
import { loadBotDefinition } from '../app/bot-definition';
import { buildRuntime } from '../app/bootstrap';
import { loadConfig } from '../app/config';
import { readArticles } from '../knowledge/articles';
import {
  customerMessage,
  readQuestions,
  scoreKnowledge,
  sectionsByUrl,
  type KnowledgeScore,
} from '../knowledge/evaluate';
import { silentLogger } from '../stores/silent-logger';

const QUESTIONS = join(__dirname, 'knowledge', 'acme-questions.yaml');

export async function measureAcmeKnowledge(split: 'dev' | 'test'): Promise<KnowledgeScore> {
  const bot = loadBotDefinition('acme');
  const config = loadConfig({ LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' });
  const runtime = await buildRuntime(bot, config, { logger: silentLogger });
  try {
    const sectionOf = sectionsByUrl(readArticles(join(bot.directory, 'knowledge')));
    const now = Date.parse('2026-06-01T10:00:00Z');
    return await scoreKnowledge(
      readQuestions(QUESTIONS)[split],
      (text, index) => runtime.handle(customerMessage(text, index, now)),
      sectionOf,
    );
  } finally {
    await runtime.close();
  }
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const splits = { dev: await measureAcmeKnowledge('dev'), test: await measureAcmeKnowledge('test') };
  if (json) {
    console.log(JSON.stringify(splits, null, 2));
    return;
  }
  const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;
  console.log('split  questions  answered correctly  answered wrongly  unanswerable refused');
  for (const [name, score] of Object.entries(splits)) {
    console.log(
      `${name.padEnd(6)} ${String(score.questions).padStart(9)}  ${pct(score.correctShare).padStart(18)}  ${pct(score.wrongShare).padStart(16)}  ${pct(score.refusedShare).padStart(20)}`,
    );
  }
  for (const r of splits.test.results.filter((r) => r.verdict !== 'correct' && r.verdict !== 'refused')) {
    console.log(`  test ${r.verdict}: "${r.q}" expected ${r.expect}, cited ${r.cited ?? 'nothing'}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
