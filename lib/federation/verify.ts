import 'server-only';
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWK, type JWTPayload } from 'jose';
import { IAT_TOLERANCE_SECONDS } from '@/lib/oauth/assertion';
import { KeySourceError, keysFor, refetchKeysFor, type KeySourceSpec } from './jwks';
import { FEDERATED_ALGORITHMS, MAX_EXTERNAL_TOKEN_LENGTH, type ClaimCondition } from './schema';

/**
 * The one validator of external workload tokens (GitHub Actions, GitLab CI, Kubernetes, SPIFFE,
 * any OIDC issuer) against a federated credential's policy. It takes the policy as data and
 * returns a value, never throws for a bad token: the token endpoint turns a refusal into the
 * same invalid_client as any failed client authentication (the reason goes to the audit log),
 * the dry-run tester shows every check.
 */

/** A federated credential's rules, as stored. */
export type FederatedPolicy = KeySourceSpec & {
  audience: string;
  subjectMatch: 'EXACT' | 'GLOB';
  subject: string;
  claimConditions: ClaimCondition[];
  allowedAlgorithms: string[];
  maxTokenAgeSeconds: number;
};

export type FederatedCheck = { check: string; ok: boolean; detail: string };

export type FederatedVerdict =
  | { ok: true; claims: JWTPayload; subject: string; checks: FederatedCheck[] }
  | {
      ok: false;
      /** Stable code for the audit log (prefixed `federated_` there). */
      reason: string;
      /** The verified claims, once the signature passed (a refusal may then name the subject). */
      claims: JWTPayload | null;
      checks: FederatedCheck[];
    };

/** How far an external issuer's clock may be ahead of ours (`iat`, `nbf`); `exp` has no tolerance. */
export const CLOCK_SKEW_SECONDS = IAT_TOLERANCE_SECONDS;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const SAFE_ALGORITHMS = new Set<string>(FEDERATED_ALGORITHMS);
/** `typ` values of workload identity tokens (absent in Kubernetes', `JWT` in GitHub's and GitLab's, `JOSE`/`JWT` in SPIFFE's). */
const TYPS = new Set(['JWT', 'JOSE']);

/** globMatches: `*` matches any run of characters (also none), everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** claimAt reads a claim by its path (`a/b` is claim b of object claim a). */
export function claimAt(claims: JWTPayload, path: string): unknown {
  let value: unknown = claims;
  for (const segment of path.split('/')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return value;
}

/** Only scalars compare: a string as is, a number or boolean as its text (GitHub's ids are strings, some issuers send numbers). */
function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}

/** conditionHolds evaluates one claim condition; a missing, array or object claim never holds. */
export function conditionHolds(claims: JWTPayload, condition: ClaimCondition): boolean {
  const text = scalarText(claimAt(claims, condition.claim));
  if (text === null) return false;
  if (condition.op === 'equals') return text === condition.value;
  if (condition.op === 'one_of') return condition.values.includes(text);
  return globMatches(condition.value, text);
}

function describe(condition: ClaimCondition): string {
  if (condition.op === 'one_of') return `${condition.claim} is one of ${condition.values.join(', ')}`;
  return `${condition.claim} ${condition.op === 'equals' ? 'equals' : 'matches'} ${condition.value}`;
}

function clip(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

async function verifySignature(
  token: string,
  keys: JWK[],
  algorithms: string[],
): Promise<'ok' | 'unknown_kid' | 'signature'> {
  try {
    await compactVerify(token, createLocalJWKSet({ keys }), { algorithms });
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWKS_NO_MATCHING_KEY') return 'unknown_kid';
    return 'signature';
  }
}

/**
 * verifyFederatedToken checks an external token against a policy, in this order, each failure
 * a stable reason: shape and size (`malformed`); `alg` allowed by the policy and asymmetric
 * (`alg_not_allowed`: never none, never HS*); `typ` absent, JWT or JOSE (`typ`); `iss` exactly
 * the policy's issuer (`issuer_mismatch`), before any key is fetched; the keys (`jwks_*`,
 * `discovery_*`, `issuer_host_not_allowed`); the signature (`unknown_kid` after one
 * rate-limited refetch, `signature`); then the claims: `exp` required and in the future
 * (`expired`), `iat` required, not in the future beyond CLOCK_SKEW_SECONDS (`iat_future`) and
 * at most maxTokenAgeSeconds old (`too_old`), `nbf` not in the future (`nbf_future`), `aud`
 * exactly the audience, as a string or a one-element array (`audience_mismatch`), `sub`
 * (`subject_mismatch`), each claim condition (`condition_<claim>`).
 */
export async function verifyFederatedToken(
  token: string,
  policy: FederatedPolicy,
  now = Date.now(),
): Promise<FederatedVerdict> {
  const checks: FederatedCheck[] = [];
  const fail = (reason: string, check: string, detail: string, claims: JWTPayload | null = null): FederatedVerdict => {
    checks.push({ check, ok: false, detail });
    return { ok: false, reason, claims, checks };
  };
  const pass = (check: string, detail: string) => checks.push({ check, ok: true, detail });

  if (token.length > MAX_EXTERNAL_TOKEN_LENGTH || !JWT_SHAPE.test(token))
    return fail('malformed', 'format', 'Not a signed JWT (three base64url parts).');
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    return fail('malformed', 'format', 'The header or payload is not JSON.');
  }
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!SAFE_ALGORITHMS.has(alg) || !policy.allowedAlgorithms.includes(alg))
    return fail(
      'alg_not_allowed',
      'alg',
      `alg ${clip(alg || '(none)')} is not one of ${policy.allowedAlgorithms.join(', ')}.`,
    );
  pass('alg', `alg ${alg} is allowed.`);
  if (header.typ !== undefined && !(typeof header.typ === 'string' && TYPS.has(header.typ.toUpperCase())))
    return fail('typ', 'typ', `typ ${clip(header.typ)} is not a workload identity token (absent, JWT or JOSE).`);
  if (unverified.iss !== policy.issuer)
    return fail('issuer_mismatch', 'issuer', `iss ${clip(unverified.iss ?? '(none)')} is not ${policy.issuer}.`);
  pass('issuer', `iss is ${policy.issuer}.`);

  let keys: JWK[];
  try {
    keys = await keysFor(policy);
  } catch (error) {
    if (error instanceof KeySourceError) return fail(error.reason, 'keys', error.message);
    throw error;
  }
  pass('keys', `${keys.length} issuer key(s).`);
  let signature = await verifySignature(token, keys, policy.allowedAlgorithms);
  if (signature === 'unknown_kid') {
    // The issuer may have rotated its keys since they were cached: one refetch, rate-limited.
    try {
      const fresh = await refetchKeysFor(policy);
      if (fresh) signature = await verifySignature(token, fresh, policy.allowedAlgorithms);
    } catch (error) {
      if (error instanceof KeySourceError) return fail(error.reason, 'keys', error.message);
      throw error;
    }
  }
  if (signature === 'unknown_kid')
    return fail('unknown_kid', 'signature', `No issuer key matches kid ${clip(header.kid ?? '(none)')}.`);
  if (signature === 'signature') return fail('signature', 'signature', 'The signature does not verify.');
  pass('signature', `Signed by the issuer${header.kid ? ` (kid ${clip(header.kid)})` : ''}.`);

  // The payload is now the issuer's: every claim check below is recorded, the first failure decides.
  const claims = unverified;
  const nowSeconds = Math.floor(now / 1000);
  const claimChecks: { reason: string; check: string; ok: boolean; detail: string }[] = [];
  const claim = (reason: string, check: string, ok: boolean, detail: string) =>
    claimChecks.push({ reason, check, ok, detail });

  const { exp, iat, nbf } = claims;
  claim(
    'expired',
    'exp',
    typeof exp === 'number' && exp > nowSeconds,
    typeof exp === 'number' ? `exp ${new Date(exp * 1000).toISOString()}.` : 'exp is missing.',
  );
  const iatOk = typeof iat === 'number' && iat <= nowSeconds + CLOCK_SKEW_SECONDS;
  claim(
    'iat_future',
    'iat',
    iatOk,
    typeof iat === 'number' ? `iat ${new Date(iat * 1000).toISOString()}.` : 'iat is missing.',
  );
  claim(
    'too_old',
    'age',
    typeof iat === 'number' && nowSeconds - iat <= policy.maxTokenAgeSeconds,
    typeof iat === 'number'
      ? `Issued ${Math.max(0, nowSeconds - iat)} s ago; at most ${policy.maxTokenAgeSeconds} s allowed.`
      : 'iat is missing.',
  );
  claim(
    'nbf_future',
    'nbf',
    nbf === undefined || (typeof nbf === 'number' && nbf <= nowSeconds + CLOCK_SKEW_SECONDS),
    nbf === undefined ? 'No nbf.' : `nbf ${clip(nbf)}.`,
  );
  const aud = claims.aud;
  const audOk = aud === policy.audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === policy.audience);
  claim('audience_mismatch', 'aud', audOk, `aud ${clip(aud ?? '(none)')}; required: ${policy.audience}.`);
  const sub = typeof claims.sub === 'string' ? claims.sub : null;
  const subOk =
    sub !== null && (policy.subjectMatch === 'EXACT' ? sub === policy.subject : globMatches(policy.subject, sub));
  claim(
    'subject_mismatch',
    'sub',
    subOk,
    `sub ${clip(sub ?? '(none)')}; required: ${policy.subjectMatch === 'GLOB' ? 'matching ' : ''}${policy.subject}.`,
  );
  for (const condition of policy.claimConditions) {
    const value = claimAt(claims, condition.claim);
    claim(
      `condition_${condition.claim.replace(/[^A-Za-z0-9_.:-]/g, '_')}`,
      `claim:${condition.claim}`,
      conditionHolds(claims, condition),
      `${describe(condition)}; the token has ${value === undefined ? 'no such claim' : clip(value)}.`,
    );
  }
  for (const c of claimChecks) checks.push({ check: c.check, ok: c.ok, detail: c.detail });
  const failed = claimChecks.find((c) => !c.ok);
  if (failed) return { ok: false, reason: failed.reason, claims, checks };
  return { ok: true, claims, subject: sub as string, checks };
}
