'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { addOrganizationMember, changeMemberRole, removeMember } from '@/lib/members/manage-members';
import { resetMemberPassword, resetMemberTwoFactor } from '@/lib/members/reset-member-login';
import { addMemberForm, changeRoleInput, memberParams, resetPasswordInput } from '@/lib/members/schema';
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

export const resetPasswordAction = defineAction(
  { input: memberParams.extend(resetPasswordInput.shape), permission: 'members.write' },
  async (ctx, { userId, password }) => {
    await resetMemberPassword(ctx, userId, password);
    revalidatePath(paths.members(ctx.orgSlug));
  },
);

export const resetTwoFactorAction = defineAction(
  { input: memberParams, permission: 'members.write' },
  async (ctx, { userId }) => {
    await resetMemberTwoFactor(ctx, userId);
    revalidatePath(paths.members(ctx.orgSlug));
  },
);
