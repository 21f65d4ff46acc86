/** Email templates rendered to text and HTML. Each takes plain data; values are HTML-escaped. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export type EmailTemplateName = keyof typeof TEMPLATES;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A short message with one call-to-action link, in both formats. */
function message(
  subject: string,
  greeting: string,
  paragraphs: string[],
  action?: { label: string; url: string },
) {
  const text = [
    greeting,
    '',
    ...paragraphs,
    ...(action ? ['', `${action.label}: ${action.url}`] : []),
    '',
    '— FitTrack',
  ];
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    action ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>` : '',
    '<p>— FitTrack</p>',
  ].join('\n');
  return { subject, text: text.join('\n'), html };
}

export const TEMPLATES = {
  verification: (data: { name: string; url: string; hours: number }) =>
    message(
      'Verify your FitTrack email',
      `Hi ${data.name},`,
      [`Confirm your email address to start earning points. The link expires in ${data.hours} hours.`],
      { label: 'Verify email', url: data.url },
    ),
  welcome: (data: { name: string }) =>
    message('Welcome to FitTrack', `Hi ${data.name},`, [
      'Your email is verified. Connect a fitness tracker to start earning points and sweepstakes tickets.',
    ]),
  password_reset: (data: { name: string; url: string }) =>
    message(
      'Reset your FitTrack password',
      `Hi ${data.name},`,
      [
        'Someone asked to reset your password. The link expires in 1 hour. If it was not you, ignore this email.',
      ],
      { label: 'Reset password', url: data.url },
    ),
  tracker_reconnect: (data: { name: string; provider: string; url: string }) =>
    message(
      `Reconnect your ${data.provider} to FitTrack`,
      `Hi ${data.name},`,
      [
        `We can no longer read your activity from ${data.provider}: access was revoked or expired. Reconnect it to keep earning points.`,
      ],
      { label: 'Reconnect tracker', url: data.url },
    ),
  prize_won: (data: { name: string; prize: string; drawing: string; url: string; days: number }) =>
    message(
      `You won ${data.prize}!`,
      `Hi ${data.name},`,
      [
        `Your ticket won ${data.prize} in ${data.drawing}.`,
        `Confirm your US shipping address within ${data.days} days to claim it; after that the prize is forfeited.`,
      ],
      { label: 'Claim your prize', url: data.url },
    ),
  prize_digital: (data: { name: string; prize: string; drawing: string; code: string }) =>
    message(`Your prize: ${data.prize}`, `Hi ${data.name},`, [
      `Your ticket won ${data.prize} in ${data.drawing}.`,
      `Your code: ${data.code}`,
    ]),
  prize_reminder: (data: { name: string; prize: string; url: string; daysLeft: number }) =>
    message(
      `Reminder: claim ${data.prize}`,
      `Hi ${data.name},`,
      [
        `You have not confirmed a shipping address for ${data.prize} yet. Confirm it within ${data.daysLeft} days or the prize is forfeited.`,
      ],
      { label: 'Claim your prize', url: data.url },
    ),
  prize_forfeited: (data: { name: string; prize: string }) =>
    message(`${data.prize} was forfeited`, `Hi ${data.name},`, [
      `No shipping address was confirmed for ${data.prize} within 14 days, so the prize is forfeited under the official rules.`,
    ]),
  prize_shipped: (data: { name: string; prize: string; carrier: string; trackingNumber: string }) =>
    message(`${data.prize} has shipped`, `Hi ${data.name},`, [
      `${data.prize} is on its way with ${data.carrier}, tracking number ${data.trackingNumber}.`,
    ]),
  prize_address_confirmed: (data: { prize: string; drawing: string; url: string }) =>
    message(
      `Address confirmed: ${data.prize}`,
      'Hello,',
      [
        `The winner of ${data.prize} in ${data.drawing} confirmed a shipping address; the prize is ready to ship.`,
      ],
      { label: 'Open fulfillments', url: data.url },
    ),
} satisfies Record<string, (data: never) => RenderedEmail>;
