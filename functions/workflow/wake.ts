import { eventPublisher, reminderMail, requestStore, statusCounts } from '../adapters/wiring.ts';
import { type WakePlan, wakeRequest } from '../domain/schedule.ts';
import { countingReads } from '../domain/status-counts.ts';
import { requiredString } from '../shared/event-fields.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { taskHandler } from '../shared/task-handler.ts';

// Every read of the request brings its counters up to it: the first Wake counts a new request
// (and one closed before its execution began), as its execution is the one that counts it.
const requests = countingReads(requestStore(), statusCounts());
const reminders = reminderMail();
const events = eventPublisher();

/**
 * `Wake`: reads the request, sends a reminder that is due, and answers what is due next and how
 * long to wait (functions/domain/schedule.ts).
 */
export const handler = taskHandler(
  async (event): Promise<WakePlan> =>
    wakeRequest(
      requests,
      async (request, now) => {
        if (await reminders.remind(request, now)) businessMetrics.reminderSent();
        // The reminder's event: a failure here is retried with the step (nothing is re-sent).
        await events.publish(request.id);
      },
      requiredString(event, 'requestId'),
      new Date(),
    ),
);
