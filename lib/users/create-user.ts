import 'server-only';
import type { Tx } from '@/lib/db/client';
import { hashPassword } from '@/lib/auth/password';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';

export type UserDto = { id: string; email: string; name: string; createdAt: string };

/**
 * createUser stores a console user with an argon2id password hash. The email must be new
 * (`email_taken` otherwise). The password is never stored or returned in any other form.
 */
export async function createUser(tx: Tx, input: { email: string; name: string; password: string }): Promise<UserDto> {
  const email = input.email.toLowerCase();
  if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new AppError('email_taken', 'A user with this email already exists.', {
      fields: { email: ['This email is already registered.'] },
    });
  }
  const user = await tx.user.create({
    data: { id: newId('user'), email, name: input.name, passwordHash: await hashPassword(input.password) },
  });
  return { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt.toISOString() };
}
