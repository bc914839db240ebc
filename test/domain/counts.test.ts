import { countStatuses } from '../../src/domain/counts';

describe('countStatuses', () => {
  it('counts every status, zero included', () => {
    expect(countStatuses([{ status: 'error' }, { status: 'error' }, { status: 'grace' }])).toEqual({
      non_compliant: 0,
      grace: 1,
      exempt: 0,
      error: 2,
      compliant: 0,
      no_console: 0,
    });
  });
});
