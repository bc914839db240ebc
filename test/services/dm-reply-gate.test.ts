import { createDmReplyGate } from '../../src/services/dm-reply-gate';
import { createFakeClock } from '../support/fake-clock';

describe('the DM reply gate', () => {
  it('admits each event once, whatever the cooldown says', () => {
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    const gate = createDmReplyGate(clock);
    expect(gate.admit('Ev1', 'U1')).toBe('admitted');
    expect(gate.admit('Ev1', 'U1')).toBe('duplicate');
    expect(gate.admit('Ev2', 'U1')).toBe('too_soon');
    clock.advance(5000);
    expect(gate.admit('Ev1', 'U1')).toBe('duplicate');
    expect(gate.admit('Ev3', 'U1')).toBe('admitted');
  });

  it('remembers at most its bound of event_ids, forgetting the oldest first', () => {
    const clock = createFakeClock(new Date('2026-11-23T14:00:00Z'));
    const gate = createDmReplyGate(clock, 3);
    for (const id of ['Ev1', 'Ev2', 'Ev3', 'Ev4']) {
      expect(gate.admit(id, `U${id}`)).toBe('admitted');
    }
    // Ev1 was forgotten (only the last 3 are kept); Ev2 is still known.
    expect(gate.admit('Ev2', 'U0OTHER1')).toBe('duplicate');
    expect(gate.admit('Ev1', 'U0OTHER2')).toBe('admitted');
  });
});
