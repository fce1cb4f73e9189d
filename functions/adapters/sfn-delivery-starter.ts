import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { DeliveryResumer } from '../domain/delivery-sweep.ts';
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
export class SfnDeliveryStarter implements DeliveryStarter, DeliveryResumer {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  start(endpointId: string, eventId: string, redelivery = 0): Promise<void> {
    // Names are unique per machine: a repeated fan-out cannot deliver twice in parallel.
    return this.startNamed(deliveryExecutionName(endpointId, eventId, redelivery), {
      endpointId,
      eventId,
    });
  }

  resume(endpointId: string, eventId: string, redelivery: number, tag: string): Promise<void> {
    return this.startNamed(`${deliveryExecutionName(endpointId, eventId, redelivery)}-${tag}`, {
      endpointId,
      eventId,
    });
  }

  private async startNamed(
    name: string,
    input: { endpointId: string; eventId: string },
  ): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // Running or ended already: the delivery item says what is left to do.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
      throw dependencyError(Dependency.WORKFLOW, error);
    }
  }
}
