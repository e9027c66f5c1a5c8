// The closed set of failures a command can report; src/xmpp/errors.ts and src/fallback/sentences.ts map each one.

export const CONDITIONS = [
  // RFC 6120 stanza errors
  'bad-request',
  'not-allowed',
  'forbidden',
  'item-not-found',
  'service-unavailable',
  'not-acceptable',
  // XEP-0050 §4.6 specific conditions
  'bad-action',
  'bad-locale',
  'bad-payload',
  'bad-sessionid',
  'malformed-action',
  'session-expired',
] as const;
export type Condition = (typeof CONDITIONS)[number];

export class CommandError extends Error {
  constructor(
    readonly condition: Condition,
    /** Safe to show a user: never internal details. */
    readonly userText?: string,
  ) {
    super(userText ?? condition);
    this.name = 'CommandError';
  }
}

/** The store could not be reached; the user is told to retry, nothing was written. */
export class UnavailableError extends Error {
  constructor(cause?: unknown) {
    super('temporarily unavailable', { cause });
    this.name = 'UnavailableError';
  }
}
