import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Requests per five minutes. Above them WAF blocks, and API Gateway answers 429 problem+json. */
export const RATE_LIMITS = {
  /** Per API key: a partner's integration cannot starve the others. */
  perPartnerKey: 1_000,
  /** Per client address: bounds key guessing and floods of the public pages. */
  perClientIp: 2_000,
} as const;

const EVALUATION_WINDOW_SECONDS = 300;

export interface ApiFirewallProps {
  readonly stage: apigw.Stage;
  readonly metricPrefix: string;
}

/**
 * Per-partner limits. A usage plan would need an API Gateway key registered per partner and kept
 * in step with our own key store; rate-based rules keyed on the Authorization header give the
 * same per-key limit with nothing to provision.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);

    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.metricPrefix}-${metricName}`,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      rules: [
        {
          name: 'PerPartnerKeyRateLimit',
          priority: 0,
          action: { block: {} },
          // Requests without an Authorization header (public pages) are not counted here.
          statement: {
            rateBasedStatement: {
              limit: RATE_LIMITS.perPartnerKey,
              evaluationWindowSec: EVALUATION_WINDOW_SECONDS,
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [
                {
                  header: {
                    name: 'authorization',
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
              ],
            },
          },
          visibilityConfig: visibility('per-partner-key'),
        },
        {
          name: 'PerClientIpRateLimit',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: RATE_LIMITS.perClientIp,
              evaluationWindowSec: EVALUATION_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('per-client-ip'),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
