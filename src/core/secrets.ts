/**
 * What counts as a secret, by a variable's name and by a value's shape. Shared by the Dockerfile
 * rule (ENV/ARG) and image triage (config Env, history). Values are only ever tested here, never
 * shown: `maskSecret` is what reports print.
 */

const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET)(_|$)/i;
/** What every name SECRET_NAME matches holds: text without one needs no closer look. */
export const SECRET_WORD = /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL/i;
/** Names that hold where a secret is, or something public about it, rather than the secret. */
const NOT_A_SECRET =
  /(_FILE|_PATH|_DIR|_URL|_HOST|_PORT|_USER|_USERNAME|_NAME|_ENABLED|_LENGTH|_EXPIRY|_TTL|_HEADER)$|(^|_)(PUBLIC|PUB|GPG)_?KEYS?$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET.test(name);
}

/** Values that stand for a secret rather than being one. */
export function isPlaceholder(value: string): boolean {
  return (
    value === '' ||
    value.includes('$') ||
    value.startsWith('/') ||
    /^(changeme|change_me|none|null|false|true|x+|\*+|<.*>)$/i.test(value)
  );
}

/** Shapes of well-known credentials, whatever the variable is called. */
const SHAPES: readonly (readonly [string, RegExp])[] = [
  ['an AWS access key', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a GitHub token', /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}\b/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/],
  ['a private key', /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/],
  ['a JSON web token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ['a Stripe secret key', /\bsk_live_[A-Za-z0-9]{20,}\b/],
];

/** What kind of credential a value looks like, if any. */
export function secretShape(value: string): string | undefined {
  for (const [kind, shape] of SHAPES) if (shape.test(value)) return kind;
  return undefined;
}

/** A stand-in for a secret value in reports: its length only. */
export function maskSecret(value: string): string {
  return `<masked, ${value.length} characters>`;
}

const GLOBAL_SHAPES = SHAPES.map(([, shape]) => new RegExp(shape.source, 'g'));
/** `NAME=value` with its value, as ENV lines, build arguments and shell assignments write it. */
const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|"']*)/g;
const PRIVATE_KEY_BLOCK =
  /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----[\s\S]*?(-----END ([A-Z]+ )?PRIVATE KEY-----|$)/g;

/**
 * A text from an image (an Env entry, a history step, a label) with every secret in it masked:
 * credential-shaped values, and the values of secret-named assignments. What reports print.
 */
export function maskText(text: string): string {
  let out = text.replace(PRIVATE_KEY_BLOCK, (m) => maskSecret(m));
  for (const shape of GLOBAL_SHAPES) out = out.replace(shape, (m) => maskSecret(m));
  if (!SECRET_WORD.test(out)) return out;
  return out.replace(ASSIGNMENT, (whole, name: string, value: string) => {
    const bare = value.replace(/^["']|["']$/g, '');
    return isSecretName(name) && !isPlaceholder(bare) && !bare.startsWith('<masked')
      ? `${name}=${maskSecret(bare)}`
      : whole;
  });
}
