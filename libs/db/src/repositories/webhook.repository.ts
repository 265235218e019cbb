import type { Prisma, PrismaClient } from '../generated/client.ts';
import type { WebhookDeliveryStatus } from '../generated/enums.ts';
import type { WebhookDeliveryModel, WebhookEndpointModel } from '../generated/models.ts';
import { withDbErrors } from '../db.errors.ts';
import { isUuid, pageSize } from '../db.util.ts';

/** Where an organization wants file outcomes POSTed. `secret` signs each delivery. */
export type WebhookEndpointRow = WebhookEndpointModel;
/** One event to one endpoint and its attempts. `payload` holds the event's `data` object. */
export type WebhookDeliveryRow = WebhookDeliveryModel;
export type WebhookDeliveryWithEndpoint = WebhookDeliveryRow & { endpoint: WebhookEndpointRow };

export interface CreateEndpointInput {
  orgId: string;
  url: string;
  secret: string;
  /** Subscribed events; empty = all. */
  events: readonly string[];
}

export interface CreateDeliveriesInput {
  orgId: string;
  fileId: string;
  event: string;
  /** The event's `data`, stored so that every attempt sends the same. */
  payload: Prisma.InputJsonValue;
  endpointIds: readonly string[];
}

/** What one attempt learnt. `status` moves the delivery on; PENDING keeps it for another attempt. */
export interface DeliveryAttempt {
  status: WebhookDeliveryStatus;
  /** HTTP status the receiver answered; null when no answer came. */
  statusCode: number | null;
  error: string | null;
  /** When the next attempt is due (PENDING only). */
  nextAttemptAt?: Date | null;
  at?: Date;
}

const live = { deletedAt: null } as const;

export function createWebhookRepository(prisma: PrismaClient) {
  return {
    createEndpoint(input: CreateEndpointInput): Promise<WebhookEndpointRow> {
      return withDbErrors(() =>
        prisma.webhookEndpoint.create({ data: { orgId: input.orgId, url: input.url, secret: input.secret, events: [...input.events] } }),
      );
    },

    /** The organization's endpoints (deleted ones excluded), newest first. */
    listEndpoints(orgId: string): Promise<WebhookEndpointRow[]> {
      return withDbErrors(() => prisma.webhookEndpoint.findMany({ where: { orgId, ...live }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }));
    },

    countEndpoints(orgId: string): Promise<number> {
      return withDbErrors(() => prisma.webhookEndpoint.count({ where: { orgId, ...live } }));
    },

    /** The endpoint if it belongs to `orgId` and is not deleted; otherwise null. */
    findEndpointForOrg(id: string, orgId: string): Promise<WebhookEndpointRow | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.webhookEndpoint.findFirst({ where: { id, orgId, ...live } }));
    },

    /**
     * Deletes an endpoint for its tenant: nothing more is sent to it (pending deliveries end
     * FAILED when their job runs); the row and its delivery log stay until the organization goes.
     * @returns false when unknown, another tenant's or already deleted.
     */
    async deleteEndpoint(id: string, orgId: string, at: Date = new Date()): Promise<boolean> {
      if (!isUuid(id)) return false;
      const res = await withDbErrors(() =>
        prisma.webhookEndpoint.updateMany({ where: { id, orgId, ...live }, data: { deletedAt: at, active: false } }),
      );
      return res.count === 1;
    },

    /** Active endpoints of `orgId` subscribed to `event` (an empty list subscribes to all). */
    subscribedEndpoints(orgId: string, event: string): Promise<WebhookEndpointRow[]> {
      return withDbErrors(() =>
        prisma.webhookEndpoint.findMany({
          where: { orgId, active: true, ...live, OR: [{ events: { isEmpty: true } }, { events: { has: event } }] },
          orderBy: { createdAt: 'asc' },
        }),
      );
    },

    /**
     * Creates one delivery per endpoint for the file's event unless it exists (unique endpoint +
     * file + event: a re-run finalize creates nothing), and returns those still PENDING, new or
     * left by an earlier run that stopped before enqueueing them.
     */
    async createDeliveries(input: CreateDeliveriesInput): Promise<WebhookDeliveryRow[]> {
      if (input.endpointIds.length === 0) return [];
      return withDbErrors(async () => {
        await prisma.webhookDelivery.createMany({
          data: input.endpointIds.map((endpointId) => ({
            orgId: input.orgId,
            endpointId,
            fileId: input.fileId,
            event: input.event,
            payload: input.payload,
          })),
          skipDuplicates: true,
        });
        return prisma.webhookDelivery.findMany({
          where: { fileId: input.fileId, event: input.event, endpointId: { in: [...input.endpointIds] }, status: 'PENDING' },
          orderBy: { createdAt: 'asc' },
        });
      });
    },

    /** A delivery with its endpoint (deleted or not), for the webhook job. */
    findDelivery(id: string): Promise<WebhookDeliveryWithEndpoint | null> {
      if (!isUuid(id)) return Promise.resolve(null);
      return withDbErrors(() => prisma.webhookDelivery.findUnique({ where: { id }, include: { endpoint: true } }));
    },

    /** Deliveries of one endpoint of `orgId`, newest first. @defaultValue limit 20, at most 100 */
    listDeliveries(
      endpointId: string,
      orgId: string,
      options: { limit?: number; status?: WebhookDeliveryStatus } = {},
    ): Promise<WebhookDeliveryRow[]> {
      if (!isUuid(endpointId)) return Promise.resolve([]);
      return withDbErrors(() =>
        prisma.webhookDelivery.findMany({
          where: { endpointId, orgId, ...(options.status ? { status: options.status } : {}) },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: pageSize(options.limit, 20, 100),
        }),
      );
    },

    /**
     * Counts one attempt and records its outcome, only while the delivery is PENDING (a delivery
     * that succeeded or gave up is never changed again). @returns the row, or null when not pending.
     */
    async recordAttempt(id: string, attempt: DeliveryAttempt): Promise<WebhookDeliveryRow | null> {
      const at = attempt.at ?? new Date();
      return withDbErrors(async () => {
        const res = await prisma.webhookDelivery.updateMany({
          where: { id, status: 'PENDING' },
          data: {
            attempts: { increment: 1 },
            status: attempt.status,
            lastStatusCode: attempt.statusCode,
            lastError: attempt.error === null ? null : attempt.error.slice(0, 1000),
            nextAttemptAt: attempt.status === 'PENDING' ? (attempt.nextAttemptAt ?? null) : null,
            ...(attempt.status === 'DELIVERED' ? { deliveredAt: at } : {}),
          },
        });
        return res.count === 1 ? prisma.webhookDelivery.findUnique({ where: { id } }) : null;
      });
    },

    /**
     * PENDING deliveries untouched since `olderThan`, oldest first: the reconciler re-enqueues
     * those no queue holds (Redis lost its data, a worker died between insert and enqueue).
     */
    findStalledDeliveries(options: { olderThan: Date; limit?: number }): Promise<WebhookDeliveryRow[]> {
      return withDbErrors(() =>
        prisma.webhookDelivery.findMany({
          where: { status: 'PENDING', updatedAt: { lt: options.olderThan } },
          orderBy: { updatedAt: 'asc' },
          take: pageSize(options.limit, 100),
        }),
      );
    },

    /**
     * Notes in a PENDING delivery's log why it is held back without an attempt (its endpoint is
     * paused after repeated failures) and when it is tried next. @returns false when not pending.
     */
    async noteHeld(id: string, reason: string, nextAttemptAt: Date): Promise<boolean> {
      const res = await withDbErrors(() =>
        prisma.webhookDelivery.updateMany({ where: { id, status: 'PENDING' }, data: { lastError: reason.slice(0, 1000), nextAttemptAt } }),
      );
      return res.count === 1;
    },

    /** Ends a PENDING delivery without an attempt (its endpoint was deleted). @returns false when not pending. */
    async abandon(id: string, reason: string): Promise<boolean> {
      const res = await withDbErrors(() =>
        prisma.webhookDelivery.updateMany({ where: { id, status: 'PENDING' }, data: { status: 'FAILED', lastError: reason, nextAttemptAt: null } }),
      );
      return res.count === 1;
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
