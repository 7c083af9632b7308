/**
 * Salesforce's standard Account fields → account fields, when a site does not map its own. The domain
 * is read from `Website` (`https://www.acme.com/` → acme.com). Account has no standard tier or
 * lifecycle stage: map your own fields (`Tier__c = tier`) when the org has them.
 */
export const DEFAULT_SALESFORCE_MAPPING: Record<string, string> = {
  Website: 'domain',
  Name: 'name',
  Industry: 'industry',
  NumberOfEmployees: 'employees',
  AnnualRevenue: 'attributes.annualRevenue',
  BillingCountry: 'attributes.country',
  Type: 'attributes.accountType',
  Rating: 'attributes.rating',
};
