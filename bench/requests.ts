let sequence = 0;

/**
 * A valid create body whose account domain (`<prefix>-<pid>-<n>.bench.example`) is unique
 * across the whole run.
 */
export const benchRequest = (prefix: string) => {
  sequence += 1;
  const domain = `${prefix}-${process.pid}-${sequence}.bench.example`;
  return {
    accountName: 'Bench BV',
    accountDomain: domain,
    customerEmail: `it@${domain}`,
    noteToCustomer: 'Benchmark request.',
    userEmails: [`a@${domain}`, `b@${domain}`],
    noteToUsers: 'Welcome.',
    locale: 'en',
  };
};
