import 'server-only';
import type { Principal } from '@/lib/credentials/principals';
import { auditableClientId } from './client-id';
import type { DpopPresentation, VerifiedProof } from './dpop';

/** Who a federated credential's external token says the workload is (issue 12). */
export type ExternalIdentity = { issuer: string; subject: string };

/**
 * TokenAttempt is what the token service learns about one request while deciding it, and the
 * one owner of what that request's audit event records (lib/oauth/token-audit.ts reads it).
 * The presented client id is taken once, when the attempt starts, and only if it has the shape
 * of one (never a secret); once the credential behind the request is known, its id replaces it.
 */
export class TokenAttempt {
  readonly grantType: string;
  /** Whether a cached copy of a client secret may decide (client_credentials only; token-service.ts runGrant). */
  readonly cache: boolean;
  /** Reads a client secret instead of findClientSecret (introspection reads it with the token's state). */
  readonly readSecret?: (id: string) => Promise<Principal | null>;
  #clientId: string | null;
  #principal: Principal | null = null;
  #legacyAudience = false;
  #onCache = false;
  readonly #dpop: DpopPresentation | undefined;
  #external: ExternalIdentity | null = null;

  constructor(
    grantType: string,
    presentedClientId: string | null,
    options: {
      cache?: boolean;
      readSecret?: (id: string) => Promise<Principal | null>;
      dpop?: DpopPresentation;
    } = {},
  ) {
    this.grantType = grantType;
    this.#clientId = auditableClientId(presentedClientId);
    this.cache = options.cache === true;
    this.readSecret = options.readSecret;
    this.#dpop = options.dpop;
  }

  /**
   * dpopProof is the request's DPoP proof, verified (once per request, however often it is
   * decided; lib/oauth/dpop.ts), or null when it has none. Throws TokenRefusal for a bad proof.
   */
  async dpopProof(): Promise<VerifiedProof | null> {
    return this.#dpop ? this.#dpop.proof() : null;
  }

  /** The client id for the audit log: the credential's id once known, else the presented one (or null). */
  get clientId(): string | null {
    return this.#clientId;
  }

  /** The credential (and account) behind the request, once known: even before it is verified, so a refusal is audited in its organization. */
  get principal(): Principal | null {
    return this.#principal;
  }

  /** True when a client assertion used the legacy audience (the token endpoint URL): audited as deprecated. */
  get deprecatedAssertionAudience(): boolean {
    return this.#legacyAudience;
  }

  /** True when part of the decision rested on a cached answer (a secret's copy, or "unknown"): a refusal is decided again on fresh data. */
  get decidedOnCache(): boolean {
    return this.#onCache || this.#principal?.fromCache === true;
  }

  /** usedCache records that a cached answer took part in the decision. */
  usedCache(): void {
    this.#onCache = true;
  }

  /** identified records the credential the request names (verified or not yet). */
  identified(principal: Principal): void {
    this.#principal = principal;
    this.#clientId = principal.credentialId;
  }

  /** The external workload identity a federated credential verified (issuer and subject; never the token). */
  get external(): ExternalIdentity | null {
    return this.#external;
  }

  /** federated records the external identity behind the request, once its token's signature is verified. */
  federated(identity: ExternalIdentity): void {
    this.#external = identity;
  }

  /** usedLegacyAudience records that a client assertion named the token endpoint URL as its audience. */
  usedLegacyAudience(): void {
    this.#legacyAudience = true;
  }
}
