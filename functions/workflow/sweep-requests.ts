import { deliverySweep, sweeper } from '../adapters/wiring.ts';
import type { SweepReport } from '../domain/sweep.ts';
import { objectField } from '../shared/event-fields.ts';
import { logger } from '../shared/logger.ts';
import { businessMetrics } from '../shared/metrics.ts';
import { taskHandler } from '../shared/task-handler.ts';

const sweep = sweeper();
const deliveries = deliverySweep();

/**
 * The sweep (functions/domain/sweep.ts), every 5 minutes on AWS and on a timer locally. The
 * local stack's start also runs it once with `{ "detail": { "everything": true } }`, so every
 * pending request gets its wait back after a restart.
 */
export const handler = taskHandler(async (event): Promise<SweepReport> => {
  const everything = objectField(event, 'detail')?.everything === true;
  const now = new Date();
  const report = await sweep.run(now, { everything });
  const resumedDeliveries = await deliveries.run(now, { everything });
  if (resumedDeliveries > 0) logger.info('sweep resumed webhook deliveries', { resumedDeliveries });
  businessMetrics.sweepPass(report.resignalled + report.restarted, report.repeated.length);
  if (report.repeated.length > 0) {
    logger.warn('sweep repaired requests it had repaired before', { requestIds: report.repeated });
  } else if (report.resignalled + report.restarted > 0) {
    logger.info('sweep repaired requests', { ...report });
  }
  return report;
});
