/**
 * Audit action names shared across domains (resource.past_tense). The token service writes the
 * token ones; the auditors' charts count them.
 */
export const TOKEN_ISSUED = 'token.issued';
export const TOKEN_REFUSED = 'token.refused';
