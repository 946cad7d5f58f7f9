import type { z } from 'zod';
import type { roleBindingDto } from './schema';

export type {
  ServiceAccountDto,
  ServiceAccountListItemDto,
  ServiceAccountDetailDto,
  ServiceAccountPageDto,
} from './schema';
export type RoleBindingDto = z.output<typeof roleBindingDto>;
