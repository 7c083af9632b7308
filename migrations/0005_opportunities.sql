-- Pipeline (issue 17): the CRM's deals (HubSpot) / opportunities (Salesforce), kept in sync by the CRM
-- run of each site's SiteStore (edge/crm/) and read by the report's Pipeline goal, which joins them to
-- the accounts exposed per segment × arm (`exposures.unit` = 'a:' || account).
CREATE TABLE opportunities (
  site TEXT NOT NULL,
  -- the CRM's record id of the deal / opportunity
  id TEXT NOT NULL,
  -- the account's domain, when the deal's company / the opportunity's account is one the sync brought (else NULL)
  account TEXT,
  -- the CRM's record id of that company / account
  crm_account TEXT,
  name TEXT,
  -- epoch ms: when the deal was created in the CRM
  created_at INTEGER NOT NULL,
  -- in the CRM's currency; NULL when the CRM has none
  amount REAL,
  stage TEXT,
  -- epoch ms: the close date (expected, while open); NULL when the CRM has none
  closed_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost')),
  -- epoch ms: the CRM's last modification read
  modified_at INTEGER NOT NULL,
  PRIMARY KEY (site, id)
) WITHOUT ROWID;
CREATE INDEX opportunities_by_account ON opportunities (site, account, created_at);
