/**
 * Cost of redaction per message: `npx tsx bench/redact.bench.ts`. Times the default redactor (card data)
 * and one with every optional class on, over typical messages, and the whole-message redactor.
 */
import type { Message } from '../core/message';
import { createRedactor, redactText, type TextRedactor } from '../transcripts/redact';
import { createMessageRedactor } from '../transcripts/redact-message';

const SAMPLES: Record<string, string> = {
  'no digits': 'hi, I would like to know where my parcel is, it was supposed to arrive yesterday',
  'order number': 'where is order A1001? I ordered it on 2024-01-15 at 10:30',
  'card and code': 'my card is 4111 1111 1111 1111, exp 12/27, the code on the back is 123',
  'card, Arabic digits': 'رقم البطاقة ٤١١١ ١١١١ ١١١١ ١١١١',
  '2,000 chars, digits': 'order 12 of 3 items at 10:30 on 15/01 for $12.50; '.repeat(40),
};

/** Mean µs per call over ~300 ms, after a warm-up of the same length (so the JIT has settled). */
function perCallMicros(run: () => void): number {
  const measure = () => {
    const start = process.hrtime.bigint();
    let calls = 0;
    while (process.hrtime.bigint() - start < 300_000_000n) {
      for (let i = 0; i < 100; i += 1) run();
      calls += 100;
    }
    return Number(process.hrtime.bigint() - start) / 1000 / calls;
  };
  measure();
  return measure();
}

function table(name: string, redact: TextRedactor): void {
  console.log(`\n${name}`);
  for (const [label, text] of Object.entries(SAMPLES)) {
    console.log(`  ${label.padEnd(22)} ${perCallMicros(() => redact(text)).toFixed(2)} µs`);
  }
}

table('redactText (card data only)', redactText);
table(
  'createRedactor (e-mail, phone GB, IBAN, SSN, DNI/NIE)',
  createRedactor({
    email: true,
    phone: { country: 'GB' },
    iban: true,
    nationalIds: ['us-ssn', 'es-dni', 'es-nie'],
  }),
);
const redactMessage = createMessageRedactor(redactText);
const message: Message = {
  channel: 'rest',
  channelUserId: 'customer-1',
  conversationId: 'rest:customer-1',
  messageId: 'm-1',
  kind: 'text',
  text: SAMPLES['card and code']!,
  timestamp: 0,
  metadata: { message_id: 'm-1', page: '/checkout', cart: { items: 3, total: '12.50' } },
};
console.log(
  `\nwhole message (text + metadata + ids): ${perCallMicros(() => redactMessage(message)).toFixed(2)} µs`,
);
