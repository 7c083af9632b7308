/** HubSpot's standard company properties → account fields, when a site does not map its own. */
export const DEFAULT_HUBSPOT_MAPPING: Record<string, string> = {
  domain: 'domain',
  name: 'name',
  industry: 'industry',
  numberofemployees: 'employees',
  annualrevenue: 'attributes.annualRevenue',
  country: 'attributes.country',
  lifecyclestage: 'stage',
  hs_ideal_customer_profile: 'tier',
  hs_is_target_account: 'attributes.targetAccount',
};
