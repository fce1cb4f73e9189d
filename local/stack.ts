import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import sesModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import {
  catalog,
  entriesTriggeredBy,
  entryOf,
  machineOf,
  type WorkflowMachine,
} from '../functions/catalog.ts';
import { DEFAULT_REMINDER_OFFSETS_SECONDS } from '../functions/domain/reminders.ts';
import { DEFAULT_RETENTION_DAYS } from '../functions/domain/retention.ts';
import { DEFAULT_WEBHOOK_RETRY_SECONDS } from '../functions/domain/webhook-retries.ts';
import { DEFAULT_ACTIVATION_TIMEOUT_SECONDS } from '../functions/shared/config.ts';
import { createTableInput } from '../infra/table-schema.ts';
import { createApiGateway, LOCAL_REST_API_ID, LOCAL_STAGE_NAME } from './api-gateway.ts';
import type { LocalData } from './data-dir.ts';
import { createLocalEventBus, type LocalBusEntry } from './event-bus.ts';
import { FaultInjector } from './faults.ts';
import { scopeInvocations } from './invocation-scope.ts';
import {
  invocationsSettled,
  invokeHandler,
  localFunctionArn,
  startSchedules,
} from './lambda-registry.ts';
import { close, LOOPBACK, listen } from './listen.ts';
import { installLongTimers } from './long-timers.ts';
import { LocalStepFunctions } from './step-functions.ts';
import { createStepFunctionsServer } from './step-functions-server.ts';
import { upgradeKeptTable } from './table-upgrade.ts';

export const STATE_MACHINE_FILE = fileURLToPath(
  new URL('../statemachines/smart-account-request.asl.json', import.meta.url),
);
export const DELIVERY_MACHINE_FILE = fileURLToPath(
  new URL('../statemachines/webhook-delivery.asl.json', import.meta.url),
);
export const LOCAL_TABLE_NAME = 'smart-account-requests';
export const LOCAL_EVENT_BUS_NAME = 'smart-account-requests';
const DEFAULT_SWEEP_INTERVAL_SECONDS = 300;
/** The sweep (functions/domain/sweep.ts), which the start also runs once over everything. */
const SWEEP_MODULE = entryOf('workflow/sweep-requests').module;
export const LOCAL_SENDER = 'Smart Account Requests <no-reply@smart-accounts.local.example>';

export interface StackOptions {
  /** API and activation pages; 0 picks a free port. */
  readonly port?: number;
  readonly sesPort?: number;
  readonly activationTimeoutSeconds?: number;
  /** Delays between webhook delivery attempts, seconds (default: about 27 h in 7 steps). */
  readonly webhookRetrySeconds?: readonly number[];
  /** Reminder offsets before expiry, seconds (default: 60, 30 and 7 days). */
  readonly reminderOffsetsSeconds?: readonly number[];
  /** Seeds partner `local-partner-N` for the N-th key; one random key when empty. */
  readonly partnerKeys?: readonly string[];
  /** Base of activation links; defaults to the API's own URL. */
  readonly publicBaseUrl?: string;
  /** Shortens the ASL's Retry intervals (ms) for tests. */
  readonly retryIntervalMs?: number;
  /**
   * The handlers' application log level, set as Lambda sets it (`AWS_LAMBDA_LOG_LEVEL`;
   * default INFO). The handlers' logger reads it once, when it is built: in a process that
   * already loaded a handler module, the level it had then stays.
   */
  readonly logLevel?: string;
  /** Puts fault-injecting proxies between the handlers and the stand-ins (local/faults.ts). */
  readonly faults?: boolean;
  /**
   * What is kept between runs (local/data-dir.ts): the table's directory, the activation
   * secret and the partner keys. Without it everything is in memory (tests).
   */
  readonly data?: LocalData;
  /** RETENTION_DAYS (default 400); a fraction of a day lets a test watch a deletion. */
  readonly retentionDays?: number;
  /** How often the sweep runs (default 300 s, as on AWS); tests shorten it. */
  readonly sweepIntervalSeconds?: number;
}

export interface RunningStack {
  readonly apiUrl: string;
  readonly sesUrl: string;
  readonly stepFunctionsUrl: string;
  readonly dynamoUrl: string;
  readonly stateMachineArn: string;
  /** The webhook-delivery machine, one execution per delivery. */
  readonly deliveryMachine: LocalStepFunctions;
  /** What the handlers put on the bus, oldest first (also at GET /_local/events). */
  readonly busEntries: () => readonly LocalBusEntry[];
  readonly tableName: string;
  readonly partnerKeys: readonly string[];
  readonly stepFunctions: LocalStepFunctions;
  /** Only with `faults: true`; the URLs above stay direct, so tests observe the stand-ins. */
  readonly faults?: FaultInjector;
  /** Runs one sweep now, as the schedule would (tests call it instead of waiting a period). */
  sweep(options?: { everything?: boolean }): Promise<unknown>;
  /**
   * Stops everything. `graceful` (SIGTERM): stop accepting and answer what is in flight first;
   * otherwise connections are cut, as a crash would.
   */
  stop(options?: { graceful?: boolean }): Promise<void>;
}

// aws-ses-v2-local is CommonJS with an `exports.default`; Node's ESM interop nests it once more.
type SesServer = (config: { host: string; port: number }) => Promise<Server>;
const sesServer = ((sesModule as unknown as { default?: SesServer }).default ??
  sesModule) as SesServer;

const newLocalKey = (): string => `sak_${randomBytes(32).toString('base64url')}`;

/**
 * The whole system on one machine: dynalite, aws-ses-v2-local, the ASL on
 * aws-local-stepfunctions behind a Step Functions endpoint, and the handlers behind a local
 * API Gateway. Handlers reach the stand-ins only through the SDK's endpoint variables, so one
 * stack runs per process.
 */
export const startStack = async (options: StackOptions = {}): Promise<RunningStack> => {
  installLongTimers();
  const servers: Server[] = [];
  const dynamo = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    // LevelDB under LOCAL_DATA_DIR: requests, keys and locks survive a restart.
    ...(options.data?.tablePath ? { path: options.data.tablePath } : {}),
  });
  const dynamoPort = await listen(dynamo, 0);
  servers.push(dynamo);
  const ses = await sesServer({ host: LOOPBACK, port: options.sesPort ?? 0 });
  servers.push(ses);
  const sesPort = (ses.address() as import('node:net').AddressInfo).port;

  // Listening at once, answering 503 until every route can serve (api.ready() below).
  const bus = createLocalEventBus();
  const busPort = await listen(bus.server, 0);
  servers.push(bus.server);
  const api = createApiGateway({
    // The events published, newest last (contract: `npm start` keeps them here).
    'GET /_local/events': () => ({ items: bus.entries().map((entry) => entry.detail) }),
  });
  const apiPort = await listen(api.server, options.port ?? 0);
  const managementPort = await listen(api.management, 0);
  servers.push(api.management);
  const apiUrl = `http://${LOOPBACK}:${apiPort}`;
  const activationTimeoutSeconds =
    options.activationTimeoutSeconds ?? DEFAULT_ACTIVATION_TIMEOUT_SECONDS;
  const sweepIntervalSeconds = options.sweepIntervalSeconds ?? DEFAULT_SWEEP_INTERVAL_SECONDS;

  // The workflows' functions and their ASL substitutions, from functions/catalog.ts.
  const workflowEntries = entriesTriggeredBy('workflowTask');
  const functionModules = new Map(
    workflowEntries.map(({ module }) => [localFunctionArn(module), module]),
  );
  const invoke = async (functionArn: string, payload: unknown) => {
    const module = functionModules.get(functionArn);
    if (!module) throw new Error(`No local function ${functionArn}`);
    try {
      return await invokeHandler(module, payload);
    } catch (error) {
      // Lambda reports only the error's name and message to Step Functions.
      const reported = new Error(error instanceof Error ? error.message : String(error));
      reported.name = error instanceof Error ? error.name : 'Error';
      throw reported;
    }
  };
  const machine = (name: string, definitionFile: string, of: WorkflowMachine) =>
    new LocalStepFunctions({
      definitionFile,
      stateMachineName: name,
      substitutions: Object.fromEntries(
        workflowEntries
          .filter(({ trigger }) => machineOf(trigger) === of)
          .map(({ module, trigger }) => [trigger.substitution, localFunctionArn(module)]),
      ),
      retryIntervalMs: options.retryIntervalMs,
      invoke,
    });
  const stepFunctions = machine('smart-account-request', STATE_MACHINE_FILE, 'request');
  const deliveryMachine = machine('webhook-delivery', DELIVERY_MACHINE_FILE, 'delivery');
  const sfnServer = createStepFunctionsServer(stepFunctions, deliveryMachine);
  const sfnPort = await listen(sfnServer, 0);
  servers.push(sfnServer);

  const faults = options.faults
    ? await FaultInjector.start({ dynamodb: dynamoPort, sfn: sfnPort, ses: sesPort })
    : undefined;
  const publicBaseUrl = options.publicBaseUrl ?? apiUrl;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: faults?.url('dynamodb') ?? `http://${LOOPBACK}:${dynamoPort}`,
    AWS_ENDPOINT_URL_SFN: faults?.url('sfn') ?? `http://${LOOPBACK}:${sfnPort}`,
    AWS_ENDPOINT_URL_SESV2: faults?.url('ses') ?? `http://${LOOPBACK}:${sesPort}`,
    AWS_ENDPOINT_URL_EVENTBRIDGE: `http://${LOOPBACK}:${busPort}`,
    // A revoked key's cache flush goes to the local gateway (local/api-gateway.ts).
    AWS_ENDPOINT_URL_API_GATEWAY: `http://${LOOPBACK}:${managementPort}`,
    REST_API_ID: LOCAL_REST_API_ID,
    STAGE_NAME: LOCAL_STAGE_NAME,
    EVENT_BUS_NAME: LOCAL_EVENT_BUS_NAME,
    // Lets a receiver on this machine (http, loopback) be tested; never set on AWS.
    WEBHOOK_ALLOW_LOCAL: 'true',
    TABLE_NAME: LOCAL_TABLE_NAME,
    STATE_MACHINE_ARN: stepFunctions.stateMachineArn,
    DELIVERY_STATE_MACHINE_ARN: deliveryMachine.stateMachineArn,
    WEBHOOK_RETRY_SECONDS: (options.webhookRetrySeconds ?? DEFAULT_WEBHOOK_RETRY_SECONDS).join(','),
    SENDER_EMAIL: LOCAL_SENDER,
    PUBLIC_BASE_URL: publicBaseUrl,
    ACTIVATION_TIMEOUT_SECONDS: String(activationTimeoutSeconds),
    ACTIVATION_REMINDER_SECONDS: (
      options.reminderOffsetsSeconds ?? DEFAULT_REMINDER_OFFSETS_SECONDS
    ).join(','),
    // Kept in the data directory: links mailed before a restart must still open.
    ACTIVATION_SECRET:
      options.data?.activationSecret ||
      process.env.ACTIVATION_SECRET ||
      randomBytes(32).toString('base64url'),
    SWEEP_INTERVAL_SECONDS: String(sweepIntervalSeconds),
    // dynalite has no TTL: here the sweep deletes what retention is done with.
    RETENTION_BY_SWEEP: 'true',
    RETENTION_DAYS: String(
      options.retentionDays ?? (Number(process.env.RETENTION_DAYS) || DEFAULT_RETENTION_DAYS),
    ),
    AWS_LAMBDA_LOG_LEVEL: (
      options.logLevel ??
      process.env.AWS_LAMBDA_LOG_LEVEL ??
      'INFO'
    ).toUpperCase(),
    // EMF lines are for CloudWatch; here they would only bury the log lines. Set
    // POWERTOOLS_METRICS_DISABLED=false to see them.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_SERVICE_NAME: 'smart-account-requests',
    // Every function here serves invocations at the same time (local/invocation-scope.ts).
    ...scopeInvocations(),
  });
  delete process.env.AWS_PROFILE;

  const client = new DynamoDBClient({});
  try {
    await client.send(new CreateTableCommand(createTableInput(LOCAL_TABLE_NAME)));
  } catch (error) {
    // A kept table from an earlier run: everything in it stays.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  // With today's indexes (also finishing a rebuild an earlier start left midway).
  const upgraded = await upgradeKeptTable(client, LOCAL_TABLE_NAME, options.data?.tablePath);
  if (upgraded) {
    console.warn(`Rebuilt the kept table with today's indexes (${upgraded.rebuilt} items).`);
  }
  const partnerKeys = options.partnerKeys?.length
    ? [...options.partnerKeys]
    : options.data?.partnerKeys.length
      ? [...options.data.partnerKeys]
      : [newLocalKey()];
  // Loaded only now: through the adapters it loads the handlers' logger and metrics, which
  // read their settings above when they are built.
  const { seedPartners } = await import('./seed-partners.ts');
  const seeded = await seedPartners(partnerKeys);
  seeded.forEach((outcome, index) => {
    // A kept table remembers what the partner did with its keys; the environment does not win.
    if (outcome !== 'seeded') {
      console.warn(
        `LOCAL_PARTNER_KEYS: key ${index + 1} is not a key of local-partner-${index + 1} ` +
          `(${outcome === 'taken' ? 'it is an earlier partner’s' : 'revoked, or the partner was seeded with another key'}): it answers 401.`,
      );
    }
  });
  // A table kept from before the list's filter indexes and the counters: its requests get
  // their keys and counts once, before any execution runs to count them too.
  const { migrateRequests } = await import('../scripts/request-migration.ts');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const migration = await migrateRequests(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    LOCAL_TABLE_NAME,
    { retention: { days: Number(process.env.RETENTION_DAYS), bySweep: true } },
  );
  if (migration.updated > 0) {
    console.warn(`Brought ${migration.updated} stored requests up to date (filters, counts).`);
  }
  client.destroy();
  const sweep = (sweepOptions: { everything?: boolean } = {}) =>
    invokeHandler(SWEEP_MODULE, {
      source: 'local',
      detail: { everything: sweepOptions.everything === true },
    });
  // Every pending request gets its wait back (its execution died with the last run): expiries
  // that fell in the downtime happen now, the others on time. Ready only after that.
  await sweep({ everything: true });
  const stopSchedules = startSchedules(catalog, invokeHandler, sweepIntervalSeconds * 1000);
  api.ready();

  return {
    apiUrl: publicBaseUrl,
    sesUrl: `http://${LOOPBACK}:${sesPort}`,
    stepFunctionsUrl: `http://${LOOPBACK}:${sfnPort}`,
    dynamoUrl: `http://${LOOPBACK}:${dynamoPort}`,
    stateMachineArn: stepFunctions.stateMachineArn,
    tableName: LOCAL_TABLE_NAME,
    partnerKeys,
    stepFunctions,
    deliveryMachine,
    busEntries: () => bus.entries(),
    faults,
    sweep,
    stop: async (stopOptions = {}) => {
      stopSchedules();
      if (stopOptions.graceful) await api.drain();
      else await close(api.server);
      stepFunctions.stopAll();
      deliveryMachine.stopAll();
      // Steps already running finish their writes; aborted executions start no new ones.
      await invocationsSettled();
      await faults?.stop();
      await Promise.all(servers.map(close));
    },
  };
};
