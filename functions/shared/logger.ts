import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per Lambda. Handlers never log whole events or records: task tokens, activation
 * codes and customer addresses would end up in CloudWatch.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'smart-account-requests',
});
