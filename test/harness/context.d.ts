// Values handed from test/harness/global-setup.ts to test files via inject().
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the shared redis-server on 127.0.0.1. */
    redisPort: number;
    /** Prosody client-to-server port on 127.0.0.1 (plain TCP, no TLS). */
    c2sPort: number;
    /** Prosody XEP-0114 component port on 127.0.0.1. */
    componentPort: number;
    /** Secret of every component bot1.localhost … bot12.localhost. */
    componentSecret: string;
  }
}
