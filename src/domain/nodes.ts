// The ad-hoc node of each command, for text that names another command (see text.ts).
export const NODES = {
  signup: 'jabber:iq:register',
  number: 'number',
  status: 'status',
  upgrade: 'upgrade',
  topUp: 'top-up',
  approvals: 'pending-approvals',
  menu: 'menu',
  help: 'help',
  withdraw: 'withdraw-signup',
  codes: 'referral-codes',
  leaves: 'leaf-accounts',
  myPayer: 'my-payer',
  acceptPayer: 'accept-payer',
  usage: 'usage',
  webRegister: 'web-register',
  webRegisterResend: 'web-register-resend',
} as const;
