import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { DeliveryStarter } from '../domain/webhook-ports.ts';
import { Dependency } from '../shared/errors.ts';
import { dependencyError } from './dependency-errors.ts';

/** An execution's name: one per delivery, and one per redelivery. */
export const deliveryExecutionName = (
  endpointId: string,
  eventId: string,
  redelivery = 0,
): string =>
  redelivery > 0 ? `${endpointId}-${eventId}-r${redelivery}` : `${endpointId}-${eventId}`;

/** Starts a delivery's execution on the webhook-delivery state machine. */
export class SfnDeliveryStarter implements DeliveryStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(endpointId: string, eventId: string, redelivery = 0): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          // Names are unique per machine: a repeated fan-out cannot deliver twice in parallel.
          name: deliveryExecutionName(endpointId, eventId, redelivery),
          input: JSON.stringify({ endpointId, eventId }),
        }),
      );
    } catch (error) {
      // Running or ended already: the delivery item says what is left to do.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
      throw dependencyError(Dependency.WORKFLOW, error);
    }
  }
}
