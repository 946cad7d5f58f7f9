'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { verifyAuditChain } from '@/lib/audit/verify-audit-chain';

// Verify the organization's audit hash chain; the result names the first broken link.
export const verifyAuditChainAction = defineAction({ input: z.object({}), permission: 'audit.verify' }, (ctx) =>
  verifyAuditChain(ctx),
);
