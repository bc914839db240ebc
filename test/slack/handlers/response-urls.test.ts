import {
  createResponseUrls,
  RESPONSE_URL_MAX_AGE_MS,
  RESPONSE_URL_MAX_USES,
} from '../../../src/slack/handlers/response-urls';
import { createFakeClock } from '../../support/fake-clock';

const URL_A = 'https://hooks.slack.com/actions/T1/1/a';
const URL_B = 'https://hooks.slack.com/actions/T1/2/b';

describe('response_urls: Slack allows 5 uses within 30 minutes; mfa-guard stops at 5 and 25', () => {
  it('states the limits', () => {
    expect(RESPONSE_URL_MAX_USES).toBe(5);
    expect(RESPONSE_URL_MAX_AGE_MS).toBe(25 * 60_000);
  });

  it('gives 5 uses per URL, shared by every request that brings it (Slack’s retries), and counts URLs apart', () => {
    const urls = createResponseUrls(createFakeClock(new Date('2026-11-23T14:00:00Z')));
    const first = urls.arrived(URL_A);
    const retry = urls.arrived(URL_A);
    const other = urls.arrived(URL_B);
    expect([first.take(), first.take(), retry.take(), retry.take(), first.take()]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(retry.take()).toBe(false);
    expect(first.take()).toBe(false);
    expect(other.take()).toBe(true);
  });

  it.each([
    [RESPONSE_URL_MAX_AGE_MS, true],
    [RESPONSE_URL_MAX_AGE_MS + 1, false],
    [30 * 60_000, false],
  ])('%i ms after the URL first arrived: usable %s', (ms, usable) => {
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    const urls = createResponseUrls(clock);
    const url = urls.arrived(URL_A);
    clock.advance(ms);
    expect(url.take()).toBe(usable);
  });

  it('a retry arriving later keeps the age of the first arrival', () => {
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    const urls = createResponseUrls(clock);
    urls.arrived(URL_A);
    clock.advance(20 * 60_000);
    const retry = urls.arrived(URL_A);
    clock.advance(6 * 60_000);
    expect(retry.take()).toBe(false);
  });

  it('a request whose work outlasts the memory of old URLs still counts its age from its arrival', () => {
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    const urls = createResponseUrls(clock);
    const slow = urls.arrived(URL_A);
    clock.advance(3 * 60 * 60_000);
    // Another request arriving now lets the map forget URL_A; the slow request still may not use it.
    urls.arrived(URL_B);
    expect(slow.take()).toBe(false);
  });
});
