/**
 * The classes of data Parley keeps, each with its own retention period (`app/config.ts` reads them;
 * `parley privacy map` prints them). Hot stores enforce them as TTLs, PostgreSQL by a sweep.
 */
export const DATA_CLASSES = [
  'state',
  'identities',
  'dedupe',
  'connectorValues',
  'transcripts',
  'cases',
  'consent',
  'audit',
  'analytics',
  'unansweredQuestions',
] as const;

export type DataClass = (typeof DATA_CLASSES)[number];

/** Milliseconds each class is kept after its last write. */
export type RetentionPolicy = Record<DataClass, number>;

/**
 * Classes whose records are found for a customer through the identity index (by conversation id): the
 * index must outlive them, or export and erasure could no longer reach them.
 */
export const FOUND_THROUGH_IDENTITIES: readonly DataClass[] = [
  'state',
  'dedupe',
  'connectorValues',
  'transcripts',
  'cases',
  'analytics',
  'unansweredQuestions',
];

/** Why `policy` cannot be used, or undefined when it can. */
export function retentionProblem(policy: RetentionPolicy): string | undefined {
  for (const [name, ms] of Object.entries(policy))
    if (!(ms > 0)) return `retention of ${name} must be positive, got ${ms}`;
  const outlived = FOUND_THROUGH_IDENTITIES.filter((name) => policy[name] > policy.identities);
  if (outlived.length > 0)
    return `identities are kept for less time than ${outlived.join(', ')}: their records could no longer be found for export or erasure`;
  return undefined;
}
