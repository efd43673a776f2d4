import { createMemoryStores } from '../../stores/memory';
import { createMemoryReferenceStore, createSharedReferenceStore } from './botframework.references';

describe('conversation references', () => {
  const reference = { serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'c-1' }, bot: { id: 'b' } };

  it('are shared through the key-value store: what one process keeps, another finds', async () => {
    const stores = createMemoryStores({ retentionMs: 60_000 });
    const here = createSharedReferenceStore(stores.keyValue);
    const there = createSharedReferenceStore(stores.keyValue);
    await here.put('botframework:test:c-1', reference);
    await expect(there.get('botframework:test:c-1')).resolves.toEqual(reference);
    await expect(there.get('botframework:test:other')).resolves.toBeUndefined();
    await stores.close();
  });

  it('ignore a stored value that is not a reference object', async () => {
    const stores = createMemoryStores({ retentionMs: 60_000 });
    await stores.keyValue.set('botframework:reference:x', ['not', 'an', 'object']);
    await expect(createSharedReferenceStore(stores.keyValue).get('x')).resolves.toBeUndefined();
    await stores.close();
  });

  it('in memory keep only the most recent conversations', async () => {
    const store = createMemoryReferenceStore(2);
    for (const id of ['a', 'b', 'c']) await store.put(id, reference);
    await expect(store.get('a')).resolves.toBeUndefined();
    await expect(store.get('c')).resolves.toEqual(reference);
  });
});
