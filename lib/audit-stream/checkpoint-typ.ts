/** The JWS `typ` of a checkpoint, so it can never pass for an access token (and the reverse). */
export const CHECKPOINT_TYP = 'latchkey-audit-checkpoint+jwt';
