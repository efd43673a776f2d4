import type { Case } from '../../core/case';
import type { Reply } from '../../core/message';
import type { Stores } from '../../core/ports';

let sequence = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(sequence += 1)}`;

const reply = (text: string): Reply => ({ from: 'bot', text });

function makeCase(id: string, customerId: string, conversationId: string, phone: string): Case {
  return {
    id,
    conversationId,
    customerId,
    channels: ['sms'],
    queue: 'billing',
    priority: 1,
    status: 'queued',
    createdAt: 1000,
    updatedAt: 1000,
    package: {
      version: 1,
      reason: 'complaint',
      summary: { slots: { orderId: 'A1001' }, tried: [`talked to ${phone}`] },
      customer: { id: customerId, identities: [{ channel: 'sms', id: phone }] },
      transcript: [{ at: 1, speaker: 'customer', channel: 'sms', text: `I am ${phone}` }],
    },
  };
}

/** One customer with `conversations` conversations (default 2) and data in every store; returns their ids. */
export async function seedCustomer(stores: Stores, count = 2) {
  const phone = unique('+1555');
  const conversations = Array.from({ length: count }, () => unique('conv'));
  const first = conversations[0]!;
  const caseId = unique('case');
  const { customerId } = await stores.identities.resolve(
    { channel: 'sms', userId: phone },
    { customerId: unique('cust'), conversationId: first },
  );
  for (const conversationId of conversations.slice(1))
    await stores.identities.beginConversation(customerId, conversationId);
  for (const conversationId of conversations) {
    await stores.commits.commit({
      conversationId,
      state: { conversationId, customerId, channel: 'sms', channelUserId: phone, updatedAt: 1 },
      entries: [{ at: 1, speaker: 'customer', channel: 'sms', text: `hello from ${phone}` }],
      processed: { messageId: unique('msg'), replies: [reply(`hi ${phone}`)] },
    });
  }
  await stores.cases.create(makeCase(caseId, customerId, first, phone));
  await stores.keyValue.set(`twilio:conversation:${first}`, { ourNumber: phone });
  await stores.keyValue.set(`opt-out:${phone}`, { at: 1 });
  await stores.consent.record({
    customerId,
    purpose: 'analytics',
    granted: true,
    at: 5,
    channel: 'sms',
    locale: 'en',
    wordingVersion: 'analytics.v1',
  });
  return { customerId, phone, conversations, caseId };
}
