import type { StoredData } from '../core/data-map';

const memory = (entry: Omit<StoredData, 'store'>): StoredData => ({ store: 'memory', ...entry });

/** What the in-memory stores hold: the same records as Redis, in this process only, gone on restart. */
export const MEMORY_DATA_MAP: readonly StoredData[] = [
  memory({
    what: 'conversation state, processed replies, connector values',
    where: 'process memory',
    class: 'state',
    why: 'continue conversations; answer retries',
    expiry: 'expiring map: retention after last write',
    personal: true,
  }),
  memory({
    what: 'identities and conversation index',
    where: 'process memory',
    class: 'state',
    why: 'recognise customers; export and erasure',
    expiry: 'expiring map: retention',
    personal: true,
  }),
  memory({
    what: 'transcripts',
    where: 'process memory',
    class: 'transcripts',
    durableWithPostgres: true,
    why: 'handoff, history',
    expiry: 'retention after last append',
    personal: true,
  }),
  memory({
    what: 'cases; tombstones after erasure',
    where: 'process memory',
    class: 'cases',
    durableWithPostgres: true,
    why: 'agents work the case',
    expiry: 'retention after last write',
    personal: true,
  }),
  memory({
    what: 'consent records',
    where: 'process memory',
    class: 'consent',
    durableWithPostgres: true,
    why: 'evidence of consent',
    expiry: 'consent retention after last record',
    personal: true,
  }),
  memory({
    what: 'audit trail',
    durableWithPostgres: true,
    where: 'process memory',
    class: 'audit',
    why: 'accountability',
    expiry: 'audit retention per entry',
    personal: false,
  }),
];
