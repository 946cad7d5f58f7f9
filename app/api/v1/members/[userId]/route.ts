import { apiRoute } from '@/lib/http/api-route';
import { changeMemberRole, removeMember } from '@/lib/members/manage-members';
import { changeRoleInput, memberParams } from '@/lib/members/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// PATCH /api/v1/members/{userId}: change a member's role (owners)
export const PATCH = apiRoute(
  { permission: 'members.write', params: memberParams, body: changeRoleInput },
  async (ctx, { params, body }) => {
    await changeMemberRole(ctx, params.userId, body.role);
    return Response.json({ userId: params.userId, role: body.role });
  },
);

// DELETE /api/v1/members/{userId}: remove a member from the organization (owners)
export const DELETE = apiRoute({ permission: 'members.write', params: memberParams }, async (ctx, { params }) => {
  await removeMember(ctx, params.userId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('PATCH', 'DELETE');
export const POST = notAllowed('PATCH', 'DELETE');
export const PUT = notAllowed('PATCH', 'DELETE');
