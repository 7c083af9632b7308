declare module 'vitest' {
  export interface ProvidedContext {
    salesforceServer: string;
  }
}

/** The connected app's consumer key and secret the stand-in org accepts (vitest.config.ts gives them to the Worker as SALESFORCE_CLIENT_ID / _SECRET). */
export const SALESFORCE_CLIENT_ID = '3MVG9test.consumer.key.0000';
export const SALESFORCE_CLIENT_SECRET = 'test-consumer-secret-0000';
