// The few web pages a person sees around a card payment: plain words, readable on a phone, no scripts. Pure.

export interface Page {
  readonly status: number;
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly link?: { readonly href: string; readonly text: string };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function renderPage(p: Page): string {
  const link = p.link ? `<p><a class="button" href="${escapeHtml(p.link.href)}">${escapeHtml(p.link.text)}</a></p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(p.title)}</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:34em;margin:0 auto;padding:1.2em;color:#222}
h1{font-size:1.4em}.button{display:inline-block;padding:.6em 1.2em;background:#1d4ed8;color:#fff;border-radius:.4em;text-decoration:none}</style>
</head><body><main><h1>${escapeHtml(p.title)}</h1>
${p.paragraphs.map((t) => `<p>${escapeHtml(t)}</p>`).join('\n')}
${link}</main></body></html>
`;
}

const BACK_TO_CHAT = 'You can close this page and go back to your chat with the bot.';

export const pages = {
  expired: (): Page => ({
    status: 404,
    title: 'This payment link has expired',
    paragraphs: [
      'This link is no longer valid, and nothing was charged through it.',
      'Ask the bot for a new one: send "signup", "upgrade" or "top-up" in your chat with it.',
    ],
  }),
  alreadyPaid: (): Page => ({
    status: 200,
    title: 'Already paid',
    paragraphs: ['This payment has been received; there is nothing more to pay here.', BACK_TO_CHAT],
  }),
  unavailable: (): Page => ({
    status: 503,
    title: 'Card payments are not reachable right now',
    paragraphs: ['Nothing was charged. Please try the same link again in a few minutes.'],
  }),
  success: (confirmed: boolean): Page =>
    confirmed
      ? {
          status: 200,
          title: 'Payment received',
          paragraphs: ['Thank you! Your payment is confirmed, and the bot has sent you a message with the details.', BACK_TO_CHAT],
        }
      : {
          status: 200,
          title: 'Thank you',
          paragraphs: [
            'Your card payment is being confirmed. As soon as it is, the bot sends you a message in your chat with it, usually within a minute.',
            'If no message comes within an hour, write to the bot or to support: you will not be charged twice.',
          ],
        },
  cancelled: (retry: string | undefined): Page => ({
    status: 200,
    title: 'No payment was made',
    paragraphs: retry
      ? ['You left the payment page, and nothing was charged.', 'Changed your mind? The same link still works for a while.']
      : ['You left the payment page, and nothing was charged.', BACK_TO_CHAT],
    ...(retry ? { link: { href: retry, text: 'Pay now' } } : {}),
  }),
  notFound: (): Page => ({ status: 404, title: 'Not found', paragraphs: ['There is nothing here.'] }),
};
