/** referenceKey is the key of an audit event's target or actor in auditReferenceNames' map. */
export const referenceKey = (type: string, id: string) => `${type}:${id}`;
