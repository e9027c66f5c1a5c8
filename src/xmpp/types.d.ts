// @xmpp/component 0.13 ships no types (xmpp.js #542): the part of its API the bot uses.
declare module '@xmpp/component' {
  import type { EventEmitter } from 'node:events';
  import type { Element } from '@xmpp/xml';

  export interface IqContext {
    readonly stanza: Element;
    readonly element: Element;
    readonly from: unknown;
    readonly to: unknown;
  }
  type IqHandler = (ctx: IqContext) => Promise<Element | undefined> | Element | undefined;

  export interface Component extends EventEmitter {
    readonly status: string;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(el: Element): Promise<void>;
    /** Raw text onto the stream (the bench's replaying stand-in; the bot never writes raw XML). */
    write(text: string): Promise<void>;
    /** @xmpp/reconnect: retries `delay` ms after each disconnect; scheduleReconnect() re-arms that timer. */
    readonly reconnect: EventEmitter & { stop(): void; delay: number; scheduleReconnect(): void };
    readonly iqCallee: { get(ns: string, name: string, h: IqHandler): void; set(ns: string, name: string, h: IqHandler): void };
  }

  export function component(opts: { service: string; domain: string; password: string }): Component;
}
