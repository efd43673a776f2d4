import type { StoredData } from '../../core/data-map';

const pg = (entry: Omit<StoredData, 'store'>): StoredData => ({ store: 'postgres', ...entry });

/** What the PostgreSQL records hold (see migrations/ for the tables). */
export const POSTGRES_DATA_MAP: readonly StoredData[] = [
  pg({
    what: 'transcript heads, lines and turn keys (redacted)',
    where: 'parley_transcripts, parley_transcript_lines, parley_transcript_turns',
    class: 'transcripts',
    why: 'handoff to agents, customer service history',
    expiry: 'sweep: written_at + retention (lines go with their head)',
    personal: true,
  }),
  pg({
    what: 'cases and handoff packages; tombstones after erasure',
    where: 'parley_cases',
    class: 'cases',
    why: 'agents work the case',
    expiry: 'sweep: written_at + retention',
    personal: true,
  }),
  pg({
    what: 'consent records',
    where: 'parley_consent_records',
    class: 'consent',
    why: 'evidence of consent per purpose',
    expiry: 'sweep: written_at + retention',
    personal: true,
  }),
  pg({
    what: 'audit events',
    where: 'parley_audit_events',
    class: 'audit',
    why: 'accountability',
    expiry: 'sweep: written_at + retention',
    personal: true,
  }),
  pg({
    what: 'analytics events',
    where: 'parley_analytics_events',
    class: 'analytics',
    why: 'product metrics',
    expiry: 'sweep: written_at + retention',
    personal: true,
  }),
  pg({
    what: 'unanswered questions (redacted text the bot could not answer)',
    where: 'parley_unanswered_questions',
    class: 'unansweredQuestions',
    why: 'improve the bot (the "unanswered questions" report)',
    expiry: 'sweep: PARLEY_UNANSWERED_RETENTION_DAYS (at most the analytics retention)',
    personal: true,
  }),
];
