/**
 * What pocketsphinx hears in the bot's side of a call (8 kHz μ-law), against a grammar of what the acme bot
 * may answer about an order: the offline "ear" of the phone end-to-end tests and of `parley call` tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulawToPcm } from '../../speech/audio';
import { recognizeSamples } from '../../speech/pocketsphinx/recognizer';

export const ANSWER_GRAMMAR = `#JSGF V1.0;
grammar answer;
public <s> = (<heard> | <shipped> | <processing> | <unknown> | <day> | <date> | good news)+ ;
<date> = [the] <number> [of] <month> ;
<number> = one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen | twenty | thirty | first | second | third | fourth | fifth | sixth | seventh | eighth | ninth | tenth ;
<month> = january | february | march | april | may | june | july | august | september | october | november | december ;
<code> = a <d> <d> <d> <d> ;
<d> = zero | one | two | three | four | five | six | seven | eight | nine ;
<heard> = i heard <code> ;
<day> = monday | tuesday | wednesday | thursday | friday | saturday | sunday ;
<shipped> = [good news] order <code> has shipped and should arrive on [<day>] ;
<processing> = order <code> is being processed ;
<unknown> = i could not find an order with the number <code> ;
`;

export async function heardAnswer(mulaw: Buffer, grammarText = ANSWER_GRAMMAR): Promise<string> {
  const workDir = await mkdtemp(join(tmpdir(), 'parley-answer-'));
  try {
    const grammar = join(workDir, 'answer.gram');
    await writeFile(grammar, grammarText);
    const { words } = await recognizeSamples(mulawToPcm(mulaw), 8000, grammar, { workDir });
    return words.join(' ');
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
