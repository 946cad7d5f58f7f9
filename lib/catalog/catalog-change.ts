/** What a rename / describe / retire / restore of a catalog entry (a scope or a role) asks for. */
export type CatalogChangeInput = { name?: string; description?: string; retired?: boolean };

export type CatalogChange = {
  renaming: boolean;
  retiring: boolean;
  /** The columns to write (Prisma `data`). */
  data: { name?: string; description?: string; retiredAt?: Date | null };
  /** `<kind>.retired` / `.restored` / `.renamed` / `.updated`. */
  action: string;
  /** The audit event's details: the name, the previous one on a rename, `retired` on a retirement. */
  details: Record<string, unknown>;
};

/**
 * planCatalogChange works out, from an entry as locked and the change asked for, what a scope or
 * role update writes and how it is audited, so that both catalogs (lib/scopes/manage-scopes.ts,
 * lib/roles/manage-roles.ts) change and audit their entries alike. A name or retired state equal
 * to the current one is no change.
 */
export function planCatalogChange(
  kind: 'scope' | 'role',
  before: { name: string; retired_at: Date | null },
  input: CatalogChangeInput,
  now = new Date(),
): CatalogChange {
  const renaming = input.name !== undefined && input.name !== before.name;
  const retiring = input.retired !== undefined && input.retired !== (before.retired_at !== null);
  const verb = retiring ? (input.retired ? 'retired' : 'restored') : renaming ? 'renamed' : 'updated';
  return {
    renaming,
    retiring,
    data: {
      ...(renaming ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(retiring ? { retiredAt: input.retired ? now : null } : {}),
    },
    action: `${kind}.${verb}`,
    details: {
      name: input.name ?? before.name,
      ...(renaming ? { previousName: before.name } : {}),
      ...(retiring ? { retired: input.retired } : {}),
    },
  };
}
