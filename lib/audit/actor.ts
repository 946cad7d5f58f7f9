/** Who did something: a console member, a service account (API), or Latchkey itself. */
export type Actor =
  | { type: 'MEMBER'; id: string; label: string }
  | { type: 'SERVICE_ACCOUNT'; id: string; label: string }
  | { type: 'SYSTEM'; id: null; label: string };

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: null, label: 'latchkey' };

/** Where a request came from; recorded with every audit event. */
export type RequestMeta = { requestId: string; ip: string | null; userAgent: string | null };
