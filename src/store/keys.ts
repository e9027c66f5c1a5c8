// Every Redis key the bot reads or writes. Names from the seeds and JMP's schema are kept verbatim;
// the bot's own keys all start with `bot-`. The README's data model lists the same keys.

export const keys = {
  // ---- seeds (SignupAndUpgradeFlow, MultiAccountAdminAndPayments) ----
  /** Plan id in force for JID during month YYYYMM. */
  planAsOf: (month: string, jid: string) => `payment-plan_as_of_${month}-${jid}`,
  /** Prepaid balance in integer minor units (written by the payments issue). */
  balancePrepaid: (jid: string) => `payment-balance_prepaid-${jid}`,
  /** ISO date (YYYY-MM-DD) the number started being used. */
  usageStartDay: (tel: string) => `usage_start_day-${tel}`,
  // ---- written by the SMS/voice gateway, read by the bot ----
  /**
   * Hash of what number TEL did on day YYYYMMDD (UTC): `messages_in`, `messages_out`, `minutes_in`, `minutes_out`
   * (whole numbers; the gateway HINCRBYs them). The bot only reads it (and `npm run cli -- usage record`).
   */
  usageDay: (tel: string, day: string) => `usage_day-${tel}-${day.replace(/-/g, '')}`,
  /** A list: the main JID first, then the leaf JIDs it pays for (created with the first leaf, never a duplicate). */
  leafJids: (n: string) => `payment-leaf_jids-${n}`,
  /** Main JID → N of its payment-leaf_jids-N (written when that list is created). */
  leafJidsIndex: (jid: string) => `payment-leaf_jids_index-${jid}`,
  // ---- JMP's deployed schema ----
  /** Number → the JID it is assigned to. */
  catapultJid: (tel: string) => `catapult_jid-${tel}`,
  /** JMP's credential list; its 4th element is the JID's number. Read only: the bot never writes it. */
  catapultCred: (jid: string) => `catapult_cred-${jid}`,
  // ---- the bot's own ----
  /**
   * Set of the bare JIDs that have (or had) a number: every script that gives one adds it, `npm run cli --
   * accounts reindex` builds it from an existing JMP-style Redis. The monthly rollover walks it (SSCAN, never KEYS).
   */
  accounts: 'bot-accounts',
  /** '1' once the notice KIND (trial-ends, balance-short) of STAGE (7, 1) for month YYYYMM was queued for JID. */
  noticeSent: (kind: string, stage: number, month: string, jid: string) => `bot-notice-${kind}-${stage}-${month}-${jid}`,
  /** '1' once the person was told (the outbox) what Checkout Session CS of payment ID came to. */
  paymentTold: (id: string, checkout: string) => `bot-payment_told-${id}-${checkout}`,
  /** Held (a process id, PX) while one process runs the daily billing jobs: a crashed holder loses it. */
  schedulerLock: 'bot-scheduler_lock',
  /** '1' once a scheduled job finished (`daily-YYYY-MM-DD`, `rollover-YYYYMM`); TTL a little past its period. */
  ran: (job: string) => `bot-ran-${job}`,
  /** The rollover's outcome for JID and month YYYYMM: written with its charge, so a second run charges no one twice. */
  rolloverDone: (month: string, jid: string) => `bot-rollover-${month}-${jid}`,
  /**
   * Stream of messages the bot decided to send (to, body, why), written in the same script as the change they
   * report; the sender delivers and deletes them (consumer group `sender`).
   */
  outbox: 'bot-outbox',
  /**
   * Sorted set of deadlines that must cause a message, scored by when they are due (ms): `payment|ID` (its link
   * lapses; a safety net for a Stripe event that never comes), `hold|TEL|HOLDER|JID` (a number held for a signup).
   * Written with what they watch; the bot's deadline runner takes the due ones (see store/deadlines.ts).
   */
  deadlines: 'bot-deadlines',
  /** JID → its number, written on approval (the reverse of catapult_jid for accounts made by the bot). */
  jidNumber: (jid: string) => `bot-jid_number-${jid}`,
  /** Ad-hoc session JSON, by session id. */
  session: (id: string) => `bot-session-${id}`,
  /**
   * The session a person last started of a command, `adhoc:ID` or `chat`: a new start of the same command
   * supersedes it and lets go of what it held. TTL of that session.
   */
  currentSession: (node: string, bare: string) => `bot-current_session-${node}-${bare}`,
  /** '1' once a JID has written to the bot (it was welcomed). */
  contact: (bare: string) => `bot-contact-${bare}`,
  /** Held while one step of a session runs (`adhoc-ID` or `chat-BAREJID`): a second request at once is refused. */
  sessionLock: (of: string) => `bot-session_lock-${of}`,
  /**
   * Which bot process holds the component connection to the XMPP server for `domain` (a random id, PX a few
   * seconds, renewed while online): a standby (BOT_STANDBY) connects as soon as it lapses.
   */
  componentHolder: (domain: string) => `bot-component_holder-${domain}`,
  /** Chat session JSON, by bare JID (one chat conversation per person). */
  chatSession: (bare: string) => `bot-chat_session-${bare}`,
  /** Sorted set (all scores 0, ordered by member) of unassigned numbers in E.164. */
  numbersAvailable: 'bot-numbers_available',
  /** Sorted set of `place|tel` (place lower-cased, e.g. `toronto, on|+14165550100`) for search by city. */
  numbersByPlace: 'bot-numbers_by_place',
  /** '1' once every by-place entry is folded (lower case, no accents): see NumberStore.foldPlaces. */
  placesFolded: 'bot-numbers_places_folded',
  /** Hash tel → JSON {rateCentre, region}. */
  numbersInfo: 'bot-numbers_info',
  /** Number → who holds it: a session id while signing up, `pending:JID` while awaiting approval. */
  reservation: (tel: string) => `bot-reservation-${tel}`,
  /** JSON {tel, method, at} of a signup waiting for an admin. */
  pending: (jid: string) => `bot-pending-${jid}`,
  /** Sorted set of JIDs awaiting approval, scored by request time (ms). */
  pendingApprovals: 'bot-pending_approvals',
  /** Hash: a card payment the bot opened (who, what for, amount, the current Stripe Checkout Session, state). */
  payment: (id: string) => `bot-payment-${id}`,
  /**
   * JSON {id, token, purpose, tel, amount, currency, expiresAt} of the JID's open card payment (the latest one),
   * so the person can be given its link again; gone when it is paid or closed, or its link lapses.
   */
  paymentOpen: (jid: string) => `bot-payment_open-${jid}`,
  /**
   * JSON {token, expiresAt} agreed for a payment's Checkout Session number N: every request for that session
   * sends the same parameters (Stripe refuses a reused idempotency key with others). TTL: the session's life.
   */
  checkoutIntent: (paymentId: string, generation: number) => `bot-checkout_intent-${paymentId}-${generation}`,
  /** Opaque token of a payment link (`PUBLIC_URL/pay/<token>`) → payment id; gone when the payment closes. */
  payToken: (token: string) => `bot-pay_token-${token}`,
  /** Set once a payment is fulfilled: the Checkout Session id that paid it (a second paid session only credits). */
  paymentDone: (id: string) => `bot-payment_done-${id}`,
  /** A Stripe PaymentIntent → the payment it paid: refunds and disputes name the PaymentIntent. */
  paymentIntent: (pi: string) => `bot-payment_intent-${pi}`,
  /** A Stripe event id already handled (Stripe retries and replays; each event acts once). */
  stripeEvent: (eventId: string) => `bot-stripe_event-${eventId}`,
  // ---- referral codes and leaf accounts ----
  /** Counter: the last N given to a payment-leaf_jids-N list. */
  leafJidsNext: 'bot-leaf_jids_next',
  /** Main JID → the N its leaf list will have, decided before the list exists (its first payer code). */
  leafListN: (jid: string) => `bot-leaf_list_n-${jid}`,
  /** Leaf JID → JSON {main, show}: who pays for it, and whether it is shown the main's number or JID (one read). */
  leafMain: (jid: string) => `bot-leaf_main-${jid}`,
  /** Hash: a referral code → kind, creator, uses (-1: no limit), expires (ms, 0: never), created, revoked, list, show. */
  code: (code: string) => `bot-code-${code}`,
  /** List of the JIDs that signed up with a code, in order. */
  codeUsedBy: (code: string) => `bot-code_used_by-${code}`,
  /** Sorted set of a creator's codes, scored by creation time (ms). */
  codesOf: (jid: string) => `bot-codes_of-${jid}`,
  /** How many codes a JID created in month YYYYMM (REFERRAL_CODES_PER_MONTH). TTL: two months. */
  codesCreated: (month: string, jid: string) => `bot-codes_created-${month}-${jid}`,
  /** Wrong codes a JID typed in the last hour (CODE_TRIES_PER_HOUR). TTL: one hour from the first. */
  codeTries: (jid: string) => `bot-code_tries-${jid}`,
  /**
   * JSON {main, show, list, at} of an offer to pay for this JID's account (a main added it by JID); the JID
   * accepts or declines. TTL 7 days. Kept whether or not the JID has an account, so the offer says nothing.
   */
  payerInvite: (jid: string) => `bot-payer_invite-${jid}`,
  /** Sorted set of the JIDs a main has offered to pay for, scored by when (ms). */
  invitesOf: (jid: string) => `bot-invites_of-${jid}`,
  // ---- signup that starts on the web site ----
  /**
   * JSON {tel, at} of the number the web site chose for this JID (web-register): held for it (bot-reservation-TEL
   * is `web:JID`) until it answers; TTL the hold (WEB_REGISTER_HOLD_MINUTES).
   */
  webChoice: (jid: string) => `bot-web_choice-${jid}`,
  /** Messages the site had sent to JID in the last hour, the first and the resends (WEB_REGISTER_MESSAGES_PER_HOUR). */
  webResends: (jid: string) => `bot-web_resends-${jid}`,
  /** Friend JID → the JID whose invite code it signed up with (for INVITE_CREDIT on its first payment). */
  invitedBy: (jid: string) => `bot-invited_by-${jid}`,
} as const;

/** The reservation holder of a number whose signup is being paid for by card. */
export const payHolder = (paymentId: string) => `pay:${paymentId}`;
