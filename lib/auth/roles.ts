/** Console roles, one per member and organization. Kept free of Prisma so UI code can import it. */
export const ROLES = ['OWNER', 'ADMIN', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  AUDITOR: 'Auditor',
};
