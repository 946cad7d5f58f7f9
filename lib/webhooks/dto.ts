import 'server-only';
import type { DeliveryDto, WebhookDto } from './schema';
import type { EventType } from '@/lib/events/catalog';

/** The columns a WebhookDto is built from: never the sealed secret. */
export const webhookSelect = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  status: true,
  consecutiveFailures: true,
  disabledReason: true,
  createdAt: true,
  updatedAt: true,
} as const;

type WebhookRow = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: 'ENABLED' | 'DISABLED';
  consecutiveFailures: number;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export function toWebhookDto(row: WebhookRow): WebhookDto {
  return {
    ...row,
    eventTypes: row.eventTypes as EventType[],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const deliverySelect = {
  id: true,
  eventId: true,
  status: true,
  attempts: true,
  responseStatus: true,
  latencyMs: true,
  error: true,
  manual: true,
  createdAt: true,
  lastAttemptAt: true,
  event: { select: { type: true } },
} as const;

type DeliveryRow = {
  id: string;
  eventId: string;
  status: DeliveryDto['status'];
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  error: string | null;
  manual: boolean;
  createdAt: Date;
  lastAttemptAt: Date | null;
  event: { type: string };
};

export function toDeliveryDto(row: DeliveryRow): DeliveryDto {
  const { event, ...rest } = row;
  return {
    ...rest,
    eventType: event.type,
    createdAt: row.createdAt.toISOString(),
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
  };
}
