import type { StoredData } from '../core/data-map';

const memory = (entry: Omit<StoredData, 'store'>): StoredData => ({ store: 'memory', ...entry });

/** What the in-memory stores hold: the same records as Redis, in this process only, gone on restart. */
export const MEMORY_DATA_MAP: readonly StoredData[] = [
  memory({
    what: 'conversation state',
    where: 'process memory',
    class: 'state',
    why: 'continue conversations',
    expiry: 'expiring map: retention after last write',
    personal: true,
  }),
  memory({
    what: 'replies to processed messages',
    where: 'process memory',
    class: 'dedupe',
    why: "answer a channel's retry without processing twice",
    expiry: 'expiring map: retention after last write',
    personal: true,
  }),
  memory({
    what: "connectors' small values (options offered, SMS opt-outs)",
    where: 'process memory',
    class: 'connectorValues',
    why: 'channel behaviour between turns',
    expiry: 'expiring map: retention after last write',
    personal: true,
  }),
  memory({
    what: 'identities and conversation index',
    where: 'process memory',
    class: 'identities',
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
