import type { StoresFixture } from './stores.contract';

/** The part of the contract only a backend shared by several processes can be held to. */
export function describeSharedBackend(_get: () => StoresFixture): void {
  // Filled in with the Redis implementation.
}
