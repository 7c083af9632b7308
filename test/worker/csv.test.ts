import { describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS, accountCsvHeader, accountCsvRecord, readAccountCsv, readHeader, rowToAccount } from '../../shared/admin/account-csv';
import { formatCsvRecord, parseCsv } from '../../shared/csv';
import { validateImportRows } from '../../shared/admin/import-rows';
import { Account } from '../../shared/schemas';
import { demoAccounts } from '../../shared/demo/site';

describe('parseCsv (RFC 4180)', () => {
  it.each([
    ['plain fields and LF', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['CRLF and no final line break', 'a,b\r\n1,2', [['a', 'b'], ['1', '2']]],
    ['a lone CR (old Mac exports)', 'a,b\r1,2', [['a', 'b'], ['1', '2']]],
    ['quoted commas, quotes and line breaks', '"x, y","say ""hi""","two\r\nlines"\n', [['x, y', 'say "hi"', 'two\r\nlines']]],
    ['a BOM', '\ufeffdomain,name\n', [['domain', 'name']]],
    ['empty fields', ',a,,\n', [['', 'a', '', '']]],
    ['an empty quoted field', '"",x\n', [['', 'x']]],
    ['blank lines, skipped', 'a\n\n\nb\n', [['a'], ['b']]],
    ['a quote inside an unquoted field, kept', 'it"s,x\n', [['it"s', 'x']]],
    ['text after a closing quote, appended', '"a"b,c\n', [['ab', 'c']]],
    ['nothing', '', []],
  ])('reads %s', (_label, text, records) => {
    expect(parseCsv(text)).toEqual({ ok: true, records });
  });

  it('reports a quoted field that never ends, with its record number', () => {
    expect(parseCsv('a,b\n1,"unterminated\n2,3\n')).toEqual({ ok: false, record: 2, reason: 'record 2 has a quoted field that never ends' });
  });

  it('formats only what needs quoting, and round-trips', () => {
    const fields = ['plain', 'with, comma', 'say "hi"', 'two\nlines', ' padded ', ''];
    const line = formatCsvRecord(fields);
    expect(line).toBe('plain,"with, comma","say ""hi""","two\nlines"," padded ",\r\n');
    expect(parseCsv(line)).toEqual({ ok: true, records: [fields] });
  });
});

describe('account CSV', () => {
  it('needs domain and name columns, and names the one missing', () => {
    expect(readHeader(['Domain', 'Industry'])).toEqual({ ok: false, reason: 'the header has no "name" column (found: Domain, Industry)' });
    expect(readAccountCsv('name,industry\nAcme,Retail\n')).toEqual({ ok: false, field: 'header', reason: 'the header has no "domain" column (found: name, industry)' });
    expect(readAccountCsv('domain,name,Domain\n')).toMatchObject({ ok: false, reason: 'the header names column "domain" twice' });
    expect(readAccountCsv('')).toMatchObject({ ok: false, reason: 'the file is empty' });
  });

  it('maps columns by name, whatever their case and spelling, lists on ; or |, unknown columns to attributes', () => {
    const head = readHeader(['Domain', 'Name', 'Sub Industry', 'employees', 'ip_ranges', 'TECH', 'Owner', '']);
    if (!head.ok) throw new Error(head.reason);
    const account = rowToAccount(head.columns, ['Acme.com', ' Acme ', 'Payments', '4,200', '192.0.2.0/24; 198.51.100.0/24', 'Snowflake|dbt', 'jane', 'noise']);
    expect(account).toEqual({
      domain: 'Acme.com',
      name: 'Acme',
      subIndustry: 'Payments',
      employees: 4200,
      ipRanges: ['192.0.2.0/24', '198.51.100.0/24'],
      tech: ['Snowflake', 'dbt'],
      attributes: { Owner: 'jane' },
    });
    expect(Account.parse(account).domain).toBe('acme.com');
  });

  it('leaves a non-numeric employee count for validation to name', () => {
    const head = readHeader(['domain', 'name', 'employees']);
    if (!head.ok) throw new Error(head.reason);
    const { rejected } = validateImportRows([{ row: 2, value: rowToAccount(head.columns, ['a.example', 'A', 'lots']) }]);
    expect(rejected).toEqual([{ row: 2, field: 'employees', reason: expect.stringContaining('number') }]);
  });

  it('numbers rows as a spreadsheet does and rejects rows with more cells than the header', () => {
    const csv = readAccountCsv('domain,name\r\nok.example,Ok\r\n"multi\nline.example",X\r\nshifted.example,A,B\r\n');
    expect(csv).toMatchObject({
      ok: true,
      rows: [{ row: 2, value: { domain: 'ok.example' } }, { row: 3 }],
      rejected: [{ row: 4, field: '(row)', reason: 'has 3 cells but the header has 2' }],
    });
  });

  it('round-trips every demo account through export and import', () => {
    const accounts = demoAccounts.map((a, i) => (i % 3 === 0 ? { ...a, attributes: { owner: `rep ${i}`, 'tier, "gold"': 'yes' } } : a));
    const keys = ['owner', 'tier, "gold"'];
    const file = accountCsvHeader(keys) + accounts.map((a) => accountCsvRecord(a, keys)).join('');
    const csv = readAccountCsv(file);
    if (!csv.ok) throw new Error(csv.reason);
    expect(csv.rejected).toEqual([]);
    const { valid, rejected } = validateImportRows(csv.rows);
    expect(rejected).toEqual([]);
    expect(valid.map((v) => v.account)).toEqual(accounts);
    expect(file.split('\r\n')[0]).toBe([...ACCOUNT_COLUMNS, 'owner', '"tier, ""gold"""'].join(','));
  });
});

describe('CSV injection', () => {
  const HOSTILE = ['=HYPERLINK("https://evil.example","x")', '+1+cmd', '-2+3', '@SUM(A1:A9)', "'=already quoted", "''@twice"];

  it('puts every cell a spreadsheet would run as a formula behind a quote, and the import gives back exactly what was exported', () => {
    const accounts: Account[] = HOSTILE.map((text, i) => ({
      domain: `hostile-${i}.example`,
      name: text,
      industry: text,
      tech: [text, 'Snowflake'],
      orgNames: [text],
      attributes: { note: text },
    }));
    const keys = ['note'];
    const file = accountCsvHeader(keys) + accounts.map((a) => accountCsvRecord(a, keys)).join('');
    const parsed = parseCsv(file);
    if (!parsed.ok) throw new Error(parsed.reason);
    for (const record of parsed.records.slice(1))
      for (const cell of record) expect(cell, `a cell a spreadsheet would run: ${cell}`).not.toMatch(/^[=+\-@\t\r]/);
    const csv = readAccountCsv(file);
    if (!csv.ok) throw new Error(csv.reason);
    const { valid, rejected } = validateImportRows(csv.rows);
    expect(rejected).toEqual([]);
    expect(valid.map((v) => v.account)).toEqual(accounts);
  });

  it('leaves ordinary cells, and quotes that are not before a formula character, as they are', () => {
    const account: Account = { domain: 'plain.example', name: "O'Brien & Sons", industry: 'Retail', attributes: { note: "'quoted'" } };
    const record = accountCsvRecord(account, ['note']);
    expect(record).toContain("O'Brien & Sons");
    expect(record).toContain(",'quoted'");
  });
});

describe('validateImportRows', () => {
  it('rejects bad domains, bad CIDRs and duplicates per row and keeps the rest', () => {
    const rows = [
      { domain: 'a.example', name: 'A', ipRanges: ['192.0.2.0/24'] },
      { domain: 'not a domain', name: 'B' },
      { domain: 'c.example', name: 'C', ipRanges: ['192.0.2.0/33'] },
      { domain: 'A.example', name: 'A again' },
      { domain: 'd.example' },
      { domain: 'c.example', name: 'C fixed' }, // row 3 was rejected, so this is no duplicate
    ].map((value, i) => ({ row: 10 + i, value }));
    const { valid, rejected } = validateImportRows(rows);
    expect(valid.map((v) => [v.row, v.account.domain])).toEqual([[10, 'a.example'], [15, 'c.example']]);
    expect(rejected).toEqual([
      { row: 11, field: 'domain', reason: 'must be a domain such as acme.com' },
      { row: 12, field: 'ipRanges', reason: 'prefix length must be 0-32' },
      { row: 13, field: 'domain', reason: 'duplicate of row 10' },
      { row: 14, field: 'name', reason: expect.any(String) },
    ]);
  });
});
