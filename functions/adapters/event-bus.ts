import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBus } from '../domain/event-publisher.ts';
import { EVENT_SOURCE, type RequestEvent } from '../domain/events.ts';
import { Dependency, DependencyUnavailable } from '../shared/errors.ts';
import { callDependency } from './dependency-errors.ts';

/**
 * The stack's EventBridge bus: source `smart-account-requests`, detail-type the event type,
 * detail the event. Locally the same client talks to the local stack's bus (local/event-bus.ts).
 */
export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async put(event: RequestEvent): Promise<void> {
    const result = await callDependency(Dependency.EVENTS, () =>
      this.client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: this.busName,
              Source: EVENT_SOURCE,
              DetailType: event.type,
              Detail: JSON.stringify(event),
              Time: new Date(event.createdAt),
            },
          ],
        }),
      ),
    );
    // PutEvents answers 200 with per-entry failures (throttling, internal errors): retry later.
    if ((result.FailedEntryCount ?? 0) > 0) {
      const entry = result.Entries?.[0];
      throw new DependencyUnavailable(
        `EventBridge refused the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`,
        { dependency: Dependency.EVENTS },
      );
    }
  }
}
