declare module 'vitest' {
  export interface ProvidedContext {
    hubspotServer: string;
  }
}

/** The private app token the stand-in HubSpot accepts (vitest.config.ts gives it to the Worker as HUBSPOT_TOKEN). */
export const HUBSPOT_TOKEN = 'pat-na1-test-0000-hubspot';
