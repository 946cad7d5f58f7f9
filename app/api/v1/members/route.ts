import { apiRoute } from '@/lib/http/api-route';
import { addOrganizationMember, listMembers } from '@/lib/members/manage-members';
import { addMemberInput } from '@/lib/members/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/members: the organization's members (owners and auditors)
export const GET = apiRoute({ permission: 'members.read' }, async (ctx) =>
  Response.json({ members: await listMembers(ctx) }),
);

// POST /api/v1/members: add a person with a role (owners)
export const POST = apiRoute({ permission: 'members.write', body: addMemberInput }, async (ctx, { body }) =>
  Response.json(await addOrganizationMember(ctx, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');
