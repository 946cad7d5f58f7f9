'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { addOrganizationMember, changeMemberRole, removeMember } from '@/lib/members/manage-members';
import { addMemberForm, changeRoleInput, memberParams } from '@/lib/members/schema';
import { paths } from '@/lib/paths';

// Members are managed by owners only (members.write).
export const addMemberAction = defineAction(
  { input: addMemberForm, permission: 'members.write' },
  async (ctx, input) => {
    const member = await addOrganizationMember(ctx, input);
    revalidatePath(paths.members(ctx.orgSlug));
    return { email: member.email };
  },
);

export const changeRoleAction = defineAction(
  { input: memberParams.extend(changeRoleInput.shape), permission: 'members.write' },
  async (ctx, { userId, role }) => {
    await changeMemberRole(ctx, userId, role);
    revalidatePath(paths.members(ctx.orgSlug));
  },
);

export const removeMemberAction = defineAction(
  { input: memberParams, permission: 'members.write' },
  async (ctx, { userId }) => {
    await removeMember(ctx, userId);
    revalidatePath(paths.members(ctx.orgSlug));
  },
);
