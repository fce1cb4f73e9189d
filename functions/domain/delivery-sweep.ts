import type { DeliveryStore } from './webhook-ports.ts';

/**
 * A pending delivery whose execution should have attempted it this long ago has lost its
 * execution (a Lambda failure that outlasted the retries, or the local stack's restart): the
 * sweep starts another. The delivery item is the schedule, so the new execution waits for the
 * planned attempt or makes it now, and a duplicate run records nothing twice.
 */
export const DELIVERY_GRACE_SECONDS = 900;

export interface DeliveryResumer {
  /** Starts an execution for the delivery; `tag` makes its name new for this sweep period. */
  resume(endpointId: string, eventId: string, redelivery: number, tag: string): Promise<void>;
}

export class DeliverySweep {
  constructor(
    private readonly deliveries: Pick<DeliveryStore, 'overdue'>,
    private readonly resumer: DeliveryResumer,
    private readonly options: { graceSeconds?: number; batchSize?: number } = {},
  ) {}

  /** `everything` (the local stack's start): every pending delivery, none has an execution. */
  async run(now: Date, options: { everything?: boolean } = {}): Promise<number> {
    const graceMs = (this.options.graceSeconds ?? DELIVERY_GRACE_SECONDS) * 1000;
    const overdue = await this.deliveries.overdue(
      options.everything ? undefined : new Date(now.getTime() - graceMs),
      this.options.batchSize ?? 200,
    );
    // One name per grace period: two sweeps in the same period start one execution.
    const tag = `s${Math.floor(now.getTime() / graceMs)}`;
    for (const delivery of overdue) {
      await this.resumer.resume(delivery.endpointId, delivery.eventId, delivery.redeliveries, tag);
    }
    return overdue.length;
  }
}
