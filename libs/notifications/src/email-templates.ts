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
} satisfies Record<string, (data: never) => RenderedEmail>;
