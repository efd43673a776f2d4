import { isSealedJson, sealJson } from '../core/json';
import { createMemoryStores } from './memory';

describe('memory conversation store and sealed dialog snapshots', () => {
  const stores = createMemoryStores({ retentionMs: 60_000 });
  afterAll(() => stores.close());

  it('keeps a sealed snapshot as it is (frozen: sharing is as safe as copying) and copies the rest', async () => {
    const dialog = sealJson({ v: 1, stack: [] });
    await stores.commits.commit({
      conversationId: 'c-sealed',
      state: { conversationId: 'c-sealed', customerId: 'u', dialog, updatedAt: 1 },
      entries: [],
    });
    const first = await stores.conversations.get('c-sealed');
    expect(first?.dialog).toBe(dialog);
    first!.customerId = 'changed';
    expect((await stores.conversations.get('c-sealed'))?.customerId).toBe('u');
  });

  it('copies an unsealed snapshot both ways, so no caller can reach the stored one', async () => {
    const dialog = { v: 1, stack: [] as string[] };
    await stores.conversations.put({ conversationId: 'c-plain', customerId: 'u', dialog, updatedAt: 1 });
    dialog.stack.push('after put');
    const read = await stores.conversations.get('c-plain');
    expect(read?.dialog).toEqual({ v: 1, stack: [] });
    expect(isSealedJson(read?.dialog)).toBe(false);
    (read!.dialog as { stack: string[] }).stack.push('after get');
    expect((await stores.conversations.get('c-plain'))?.dialog).toEqual({ v: 1, stack: [] });
  });
});
